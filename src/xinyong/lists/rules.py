"""Whether a subject's records qualify it for a list, and which records are the basis.

A list exists only where law provides, and its entry may rest only on
legally effective records from the catalog (国办发〔2020〕49号). So only
records that are current, active and tied to the subject by its code (not
by a fuzzy match awaiting confirmation) count: a record under objection, a
revoked or repaired one, or one linked only provisionally triggers nothing.
Plain Python: the service reads the records, this module judges them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinyong.clock import add_months
from xinyong.policy.model import CreditList, ListRule

SEVERITY_RANK = {"minor": 1, "general": 2, "serious": 3}


@dataclass(frozen=True, slots=True)
class RecordFact:
    """What a list rule reads of one current record version."""

    record_id: str
    version: int
    catalog_item: str
    department: str
    decided_on: date
    severity: str | None
    payload: Mapping[str, Any]
    status: str = "active"
    provisional_link: bool = False
    document_number: str = ""


@dataclass(frozen=True)
class Basis:
    """Why a subject qualifies: the rule's list and the records it rests on, (id, version)."""

    list_code: str
    records: tuple[tuple[str, int], ...]
    first_decided: date
    last_decided: date
    documents: tuple[str, ...] = ()  # the records' document numbers, for the notice


def counts(fact: RecordFact) -> bool:
    """Whether a record may found a list entry at all (see the module docstring)."""
    return fact.status == "active" and not fact.provisional_link


def qualifies(
    credit_list: CreditList,
    subject_kind: str,
    facts: Iterable[RecordFact],
    today: date,
    spent: Collection[tuple[str, int]] = (),
) -> Basis | None:
    """The basis on which the subject qualifies for the list on ``today``, or None.

    The records counted are those the rule selects, decided on or after the
    list's ``valid_from`` and, with ``within_months``, within that many months
    up to ``today``. All of them are cited, not only the first ``min_count``.
    Record versions in ``spent`` already founded an entry of this list that
    ran its course (expired, or ended by decision): they found no second one.
    """
    if not credit_list.in_force(today) or subject_kind not in credit_list.subject_kinds:
        return None
    rule = credit_list.rule
    since = credit_list.valid_from
    if rule.within_months is not None:
        since = max(since, add_months(today, -rule.within_months))
    chosen = [
        f
        for f in facts
        if counts(f)
        and since <= f.decided_on <= today
        and (f.record_id, f.version) not in spent
        and _selected(rule, f)
    ]
    if len(chosen) < rule.min_count:
        return None
    for name, least in rule.sum_at_least.items():
        if sum(_number(f.payload.get(name)) or 0 for f in chosen) < least:
            return None
    chosen.sort(key=lambda f: (f.decided_on, f.record_id))
    return Basis(
        credit_list.code,
        tuple((f.record_id, f.version) for f in chosen),
        chosen[0].decided_on,
        chosen[-1].decided_on,
        tuple(f.document_number for f in chosen),
    )


def _selected(rule: ListRule, fact: RecordFact) -> bool:
    if fact.catalog_item not in rule.items:
        return False
    if rule.departments and fact.department not in rule.departments:
        return False
    if rule.min_severity is not None:
        rank = SEVERITY_RANK.get(fact.severity or "", 0)
        if rank < SEVERITY_RANK[rule.min_severity]:
            return False
    for name, allowed in rule.payload_in.items():
        if str(fact.payload.get(name)) not in allowed:
            return False
    for name, least in rule.payload_at_least.items():
        value = _number(fact.payload.get(name))
        if value is None or value < least:
            return False
    return True


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None
