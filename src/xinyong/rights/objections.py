"""异议 (objections) as rules: deadlines in working days, extension, ruling, overdue.

Plain Python: no SQL, no HTTP. A subject objects to one record or one list
entry of its own file, or to the refusal of one of its repair applications. The item is marked "under objection" at once (the
pack's ``mark_within_working_days`` may allow longer; Xinyong marks at
filing, which every pack's limit allows) and the reporting department
decides by ``decide_within_working_days`` after the filing day, or, with a
recorded reason, by ``extended_working_days`` at the longest. An open
objection past its last day is overdue and goes to the operator.

Rulings: *uphold* (the item stands as it was), *correct* (a record gets a
corrected version; the old one no longer supports anything) and *revoke*
(the record or the entry no longer stands; a refusal is withdrawn and the
application is decided again). Every ruling carries a written reason, for
the subject.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from xinyong.i18n import Phrase
from xinyong.i18n import gettext_noop as _
from xinyong.lists.workdays import WorkCalendar
from xinyong.policy.model import ObjectionRules


class State(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    CORRECTED = "corrected"
    REVOKED = "revoked"


# Why a decided objection takes no further step, in words for each state.
_ALREADY = {
    State.UPHELD: _("the objection is already upheld"),
    State.CORRECTED: _("the objection is already corrected"),
    State.REVOKED: _("the objection is already revoked"),
}


class Ruling(StrEnum):
    """What the department decides."""

    UPHOLD = "uphold"
    CORRECT = "correct"
    REVOKE = "revoke"


RULED = {Ruling.UPHOLD: State.UPHELD, Ruling.CORRECT: State.CORRECTED, Ruling.REVOKE: State.REVOKED}


class Target(StrEnum):
    RECORD = "record"
    LIST_ENTRY = "list_entry"
    REPAIR = "repair"  # a refused repair application: the refusal is contested


class ObjectionRuleError(ValueError):
    """A step the rules forbid; the service turns it into a user-facing error."""


@dataclass(frozen=True)
class Deadlines:
    due_on: date  # the last day to decide
    latest_on: date  # the last day an extension may reach
    provisional: bool  # a day counted lies in a year without an official schedule


def deadlines(filed_on: date, rules: ObjectionRules, calendar: WorkCalendar) -> Deadlines:
    """The decision deadlines of an objection filed on ``filed_on`` (China's date)."""
    due = calendar.add_working_days(filed_on, rules.decide_within_working_days)
    latest = calendar.add_working_days(filed_on, rules.extended_working_days)
    return Deadlines(due.day, max(due.day, latest.day), due.provisional or latest.provisional)


@dataclass(frozen=True)
class Objection:
    """One objection as the rules see it (the store's row, without attachments)."""

    jurisdiction: str
    subject_code: str
    target: Target
    department: str
    reasons: str
    filed_by: str
    filed_at: datetime
    due_on: date
    latest_on: date
    due_provisional: bool = False
    record_id: str | None = None
    record_version: int | None = None
    entry_id: int | None = None
    repair_id: int | None = None
    extension_reason: str | None = None
    state: State = State.OPEN
    decision_reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    corrected_version: int | None = None
    escalated_at: datetime | None = None
    id: int | None = None

    @property
    def item(self) -> str:
        """The item objected to, as the audit log and notices name it."""
        if self.target is Target.RECORD:
            return f"record:{self.record_id}"
        if self.target is Target.REPAIR:
            return f"repair:{self.repair_id}"
        return f"list_entry:{self.entry_id}"


def file(
    *,
    jurisdiction: str,
    subject_code: str,
    target: Target,
    department: str,
    reasons: str,
    filed_by: str,
    now: datetime,
    filed_on: date,
    rules: ObjectionRules,
    calendar: WorkCalendar,
    record: tuple[str, int] | None = None,
    entry_id: int | None = None,
    repair_id: int | None = None,
) -> Objection:
    """A new open objection with its deadlines; reasons are required (the department reads them)."""
    text = reasons.strip()
    if not text:
        raise ObjectionRuleError(
            Phrase(_("say why the item is wrong: an objection needs its reasons"))
        )
    named = {Target.RECORD: record is not None, Target.LIST_ENTRY: entry_id is not None,
             Target.REPAIR: repair_id is not None}  # fmt: skip
    if not named[target] or sum(named.values()) != 1:
        raise ObjectionRuleError(
            Phrase(_("an objection is to one record, one list entry or one refused repair"))
        )
    due = deadlines(filed_on, rules, calendar)
    return Objection(
        jurisdiction=jurisdiction,
        subject_code=subject_code,
        target=target,
        department=department,
        reasons=text,
        filed_by=filed_by,
        filed_at=now,
        due_on=due.due_on,
        latest_on=due.latest_on,
        due_provisional=due.provisional,
        record_id=record[0] if record else None,
        record_version=record[1] if record else None,
        entry_id=entry_id,
        repair_id=repair_id,
    )


def extend(objection: Objection, until: date, reason: str) -> Objection:
    """Move the deadline to ``until`` (at most ``latest_on``), with the reason recorded."""
    if objection.state is not State.OPEN:
        raise ObjectionRuleError(Phrase(_ALREADY[objection.state]))
    if not reason.strip():
        raise ObjectionRuleError(Phrase(_("an extension needs its recorded reason")))
    if until <= objection.due_on:
        raise ObjectionRuleError(Phrase(_("{until} is not after {due_on}"), until=until.isoformat(),
                                         due_on=objection.due_on.isoformat()))  # fmt: skip
    if until > objection.latest_on:
        raise ObjectionRuleError(Phrase(_("{until} is after the longest extension, {latest_on}"),
                                        until=until.isoformat(),
                                        latest_on=objection.latest_on.isoformat()))  # fmt: skip
    return replace(objection, due_on=until, extension_reason=reason.strip())


def rule(
    objection: Objection,
    ruling: Ruling,
    reason: str,
    actor: str,
    now: datetime,
    corrected_version: int | None = None,
) -> Objection:
    """The objection decided; a list entry or a repair's refusal is upheld or revoked, not corrected."""
    if objection.state is not State.OPEN:
        raise ObjectionRuleError(Phrase(_ALREADY[objection.state]))
    if not reason.strip():
        raise ObjectionRuleError(Phrase(_("a decision needs its written reason, for the subject")))
    if ruling is Ruling.CORRECT and objection.target is not Target.RECORD:
        raise ObjectionRuleError(
            Phrase(_("only a record can be corrected; uphold or revoke the entry or the refusal"))
        )
    return replace(
        objection,
        state=RULED[ruling],
        decision_reason=reason.strip(),
        decided_by=actor,
        decided_at=now,
        corrected_version=corrected_version,
    )


def overdue(objection: Objection, today: date) -> bool:
    """Open past its last day to decide (extension included)."""
    return objection.state is State.OPEN and today > objection.due_on
