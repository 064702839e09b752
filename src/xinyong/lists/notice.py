"""告知书: the written notice a subject receives before it is listed.

国办发〔2020〕49号 requires the notice to state the reasons, the basis and the
right to be heard; the texts are stored with the entry, so the subject can
read later exactly what it was told.
"""

from __future__ import annotations

from xinyong.lists.model import Entry
from xinyong.policy.model import CreditList


def notice_texts(credit_list: CreditList, entry: Entry) -> tuple[str, str]:
    """(Chinese, English) text of the notice for ``entry`` on ``credit_list``."""
    assert entry.objection_until is not None
    until = entry.objection_until
    documents = "、".join(entry.basis.documents) or "—"
    zh = (
        f"告知书：根据{credit_list.legal_basis}，你方因以下记录符合列入"
        f"「{credit_list.name.zh}」的条件：{documents}。"
        f"如有异议，可于{until.year}年{until.month}月{until.day}日前提出陈述申辩，"
        "逾期未提出的，将依法列入名单。"
    )
    en = (
        f"Notice: under {credit_list.legal_basis}, the following records qualify you for the list "
        f"“{credit_list.name.en}”: {', '.join(entry.basis.documents) or '—'}. "
        f"You may object until {until.isoformat()}; without an objection by then you will be listed."
    )
    if entry.deadline_provisional:
        zh += "（截止日期按法定节假日暂定，以国务院公布的放假安排为准。）"
        en += " (The deadline is provisional until the official holiday schedule is published.)"
    return zh, en
