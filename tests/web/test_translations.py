"""Every word the portal shows has its Chinese; every code the store holds has a word."""

from __future__ import annotations

import re
from pathlib import Path

from xinyong.i18n import catalog
from xinyong.policy.model import Category
from xinyong.rights.consent_service import READ_ACTIONS
from xinyong.store.tables import (
    ENTRY_STATES,
    OBJECTION_STATES,
    RECORD_STATUSES,
    REPAIR_STATES,
    SCOPES,
    SUBJECT_STATUSES,
)
from xinyong.web import labels

TEMPLATES = Path(labels.__file__).parent / "templates"
_CALL = re.compile(r"""_\((["'])(.+?)\1""")


def _template_strings() -> set[str]:
    return {m.group(2) for f in TEMPLATES.glob("*.html") for m in _CALL.finditer(f.read_text())}


def test_every_template_string_and_label_has_a_chinese_translation() -> None:
    zh = catalog("zh-CN")
    strings = _template_strings()
    assert len(strings) > 20  # the extraction found the templates' strings
    words = strings | set(labels.CATEGORIES.values()) | set(labels.STATUSES.values())
    words |= set(labels.SEVERITIES.values())
    for table in (labels.RECORD_STATUSES, labels.SCOPES, labels.CASE_STATES, labels.LOOKS,
                  labels.ENTRY_STATES):  # fmt: skip
        words |= set(table.values())
    missing = sorted(w for w in words if not zh.get(w))
    assert missing == []


def test_every_category_and_subject_status_has_a_label() -> None:
    assert set(labels.CATEGORIES) == {c.value for c in Category}
    assert set(labels.STATUSES) == set(SUBJECT_STATUSES)
    assert set(labels.SEVERITIES) == {"minor", "general", "serious"}
    assert "under_objection" in RECORD_STATUSES  # the one record status a page marks
    assert set(labels.RECORD_STATUSES) == set(RECORD_STATUSES)
    assert set(labels.SCOPES) == set(SCOPES)
    assert set(labels.CASE_STATES) == set(OBJECTION_STATES) | set(REPAIR_STATES)
    assert set(labels.LOOKS) == READ_ACTIONS | {"check"}
    assert set(labels.ENTRY_STATES) == set(ENTRY_STATES)
