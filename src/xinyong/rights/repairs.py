"""信用修复 (credit repair) as rules: when a record may be repaired, the application, the decision.

Plain Python: no SQL, no HTTP. NDRC Order No. 36 (in force 2026-04-01) and
国办发〔2025〕22号:

- only negative records of items the pack marks ``repairable`` (a pack
  excludes what the law excludes), still standing (active or expired);
- not before the minimum public period of the record's severity has passed,
  counted from the decision date in calendar months, under the regime of
  that date (Order 36: general 3 months, serious 1 year); the subject is
  told the day it becomes possible;
- the materials are two, and only two: a statement that the obligations
  were performed (with evidence) and a credit commitment letter;
- the department decides within the pack's working days (3); approval stops
  publication and sharing, lifts the measures and must reach every party
  that holds the record. A refusal gives its reasons and can be objected to.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from xinyong.clock import add_months
from xinyong.i18n import Phrase
from xinyong.i18n import gettext_noop as _
from xinyong.lists.workdays import WorkCalendar
from xinyong.policy.model import CatalogItem, DisclosurePeriods, RepairRules, regime_on

COMMITMENT_ZH = (
    "本人（本单位）承诺：已依法履行行政处罚等相关义务，所提交材料真实有效；今后将严格遵守法律法规，"
    "诚信经营（守信履约）。如有违反，自愿承担相应法律责任。"
)
COMMITMENT_EN = (
    "I (we) undertake that the obligations under the decision have been performed as the law "
    "requires and that the materials submitted are true; that I (we) will abide by the law and "
    "act in good faith; and that I (we) accept the legal consequences of any breach."
)


class State(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REFUSED = "refused"


# Why a decided application takes no further step, in words for each state.
_ALREADY = {
    State.APPROVED: _("the application is already approved"),
    State.REFUSED: _("the application is already refused"),
}


class RepairRuleError(ValueError):
    """A step the rules forbid; ``possible_on`` when only time will allow it."""

    def __init__(self, reason: str, possible_on: date | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.possible_on = possible_on


@dataclass(frozen=True)
class Eligibility:
    """Whether a record can be repaired on a day, and if not, why and from when."""

    eligible: bool
    reason: str
    possible_on: date | None  # the first day it can be (None: never, or already)


def eligibility(
    item: CatalogItem | None,
    *,
    polarity: str,
    severity: str | None,
    status: str,
    decided_on: date,
    regimes: list[DisclosurePeriods],
    today: date,
) -> Eligibility:
    """Whether the record can be repaired on ``today`` (see the module's rules)."""
    if polarity != "negative":
        return Eligibility(False, Phrase(_("only negative information is repaired")), None)
    if item is None or not item.repairable:
        return Eligibility(
            False, Phrase(_("the policy pack excludes this item from credit repair")), None
        )
    if status not in ("active", "expired"):
        return Eligibility(False, Phrase(_("the record no longer stands")), None)
    regime = regime_on(regimes, decided_on)
    months = getattr(regime, severity).min_months if regime is not None and severity else 0
    possible = add_months(decided_on, months)
    if today < possible:
        return Eligibility(
            False, Phrase(_("the minimum public period ({months} months) ends on {day}"),
                          months=months, day=possible.isoformat()),
            possible,
        )  # fmt: skip
    return Eligibility(True, Phrase(_("eligible")), possible)


@dataclass(frozen=True)
class Repair:
    jurisdiction: str
    subject_code: str
    record_id: str
    record_version: int
    department: str
    performed: str  # the statement that the obligations were performed
    commitment: str  # the commitment letter as signed (the pack's text)
    filed_by: str
    filed_at: datetime
    due_on: date
    due_provisional: bool = False
    state: State = State.OPEN
    decision_reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    id: int | None = None

    @property
    def item(self) -> str:
        return f"record:{self.record_id}"


def apply(
    *,
    jurisdiction: str,
    subject_code: str,
    record: tuple[str, int],
    department: str,
    performed: str,
    committed: bool,
    filed_by: str,
    now: datetime,
    filed_on: date,
    rules: RepairRules,
    calendar: WorkCalendar,
    eligible: Eligibility,
) -> Repair:
    """A new application, when the record is eligible and both materials are there."""
    if not eligible.eligible:
        raise RepairRuleError(Phrase(_("not yet repairable: {reason}"), reason=eligible.reason),
                              eligible.possible_on)  # fmt: skip
    if not performed.strip():
        raise RepairRuleError(Phrase(_("say how the obligations were performed (with evidence)")))
    if not committed:
        raise RepairRuleError(Phrase(_("a repair needs the signed credit commitment letter")))
    due = calendar.add_working_days(filed_on, rules.decide_within_working_days)
    return Repair(
        jurisdiction=jurisdiction, subject_code=subject_code, record_id=record[0],
        record_version=record[1], department=department, performed=performed.strip(),
        commitment=COMMITMENT_ZH, filed_by=filed_by, filed_at=now, due_on=due.day,
        due_provisional=due.provisional,
    )  # fmt: skip


def decide(repair: Repair, approve: bool, reason: str, actor: str, now: datetime) -> Repair:
    """Approve or refuse an open application; a refusal must say why."""
    if repair.state is not State.OPEN:
        raise RepairRuleError(Phrase(_ALREADY[repair.state]))
    if not approve and not reason.strip():
        raise RepairRuleError(Phrase(_("a refusal needs its written reasons, for the subject")))
    return replace(
        repair,
        state=State.APPROVED if approve else State.REFUSED,
        decision_reason=reason.strip() or "approved",
        decided_by=actor,
        decided_at=now,
    )


def reopen(repair: Repair, today: date, rules: RepairRules, calendar: WorkCalendar) -> Repair:
    """A refusal withdrawn on objection: the application is open again, to decide anew in time."""
    if repair.state is not State.REFUSED:
        raise RepairRuleError(Phrase(_("only a refused application can be decided again")))
    due = calendar.add_working_days(today, rules.decide_within_working_days)
    return replace(repair, state=State.OPEN, decision_reason=None, decided_by=None,
                   decided_at=None, due_on=due.day, due_provisional=due.provisional)  # fmt: skip


def overdue(repair: Repair, today: date) -> bool:
    return repair.state is State.OPEN and today > repair.due_on
