"""Use cases of credit repair (信用修复): eligibility, apply, decide, notify agencies.

- **Eligibility** is computed from the pack (:func:`.repairs.eligibility`) and
  shown with the day repair becomes possible; applying earlier is refused
  with that day.
- **Deciding** belongs to the department that reported the record (or the
  operator), by the pack's deadline. *Approval*, in one transaction: the
  record gets status ``repaired`` (off public pages, open data and reports,
  and no longer shared with departments); the subject's lists are
  re-derived, so entries resting on it end as ``repaired`` and their measures
  stop at the check index's next refresh; the subject is notified; and every
  agency that holds the record gets a notification to acknowledge (sent
  again each day until it does): those an audited read delivered it to and,
  for a public record, which the API serves to every agency key without an
  audit entry, every active agency key. A *refusal* carries its reasons and
  the subject may object to it like to any decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from xinyong.audit.service import append_event
from xinyong.clock import china_date
from xinyong.evaluation.service import reevaluate_subject
from xinyong.i18n import Phrase
from xinyong.i18n import gettext_noop as _
from xinyong.keys.model import Principal
from xinyong.lists.calendar import calendar_of
from xinyong.lists.service import derive_lists
from xinyong.policy.loader import LoadedPack
from xinyong.registry.model import Record
from xinyong.registry.service import registered_code
from xinyong.rights import repairs as rules
from xinyong.rights.deciders import may_decide, queue_of
from xinyong.rights.errors import (
    NotificationNotFoundError,
    RepairAlreadyOpenError,
    RepairForbiddenError,
    RepairNotFoundError,
    RepairNotYetError,
    RepairRefusedError,
    RepairStepError,
)
from xinyong.rights.repairs import Eligibility, Repair
from xinyong.store.engine import Store
from xinyong.store.queries import objections as notes
from xinyong.store.queries import records
from xinyong.store.queries import repairs as queries
from xinyong.store.uow import Connection, UnitOfWork

RETRY_AFTER = timedelta(days=1)
"""An agency's unacknowledged repair notice is sent again after this long."""


@dataclass(frozen=True)
class RepairView:
    repair: Repair
    overdue: bool


def _of(row: queries.RepairRow) -> Repair:
    return Repair(**{**row.__dict__, "state": rules.State(row.state)})


def _row(repair: Repair) -> queries.RepairRow:
    return queries.RepairRow(**{**repair.__dict__, "state": str(repair.state)})


def _current_of(conn: Connection, code: str, record_id: str) -> records.RecordVersion:
    current = records.get_current(conn, record_id)
    if current is None or current.subject_code != code:
        raise RepairNotFoundError(repair=f"record:{record_id}")
    return current


def _eligibility(
    loaded: LoadedPack, current: records.RecordVersion | Record, now: datetime
) -> Eligibility:
    """The rules' answer for a record as stored or as the registry shows it (same facts)."""
    item = loaded.pack.item(current.catalog_item)
    return rules.eligibility(item, polarity=current.polarity, severity=current.severity,
                             status=current.status, decided_on=current.decided_on,
                             regimes=loaded.pack.disclosure_periods, today=china_date(now))  # fmt: skip


def repair_eligibility(
    store: Store, loaded: LoadedPack, subject_code: str, record_id: str, *, now: datetime
) -> Eligibility:
    """Whether the subject's record can be repaired today, and from which day."""
    with UnitOfWork(store, read_only=True) as uow:
        code = registered_code(uow.connection, subject_code)
        return _eligibility(loaded, _current_of(uow.connection, code, record_id), now)


def eligibilities(
    loaded: LoadedPack, found: Iterable[Record], *, now: datetime
) -> dict[str, Eligibility]:
    """For each negative record among ``found``: can it be repaired today, and from which day.

    The subject's own file shows these beside its records, before it applies.
    """
    return {r.record_id: _eligibility(loaded, r, now) for r in found if r.polarity == "negative"}


def apply_for_repair(
    store: Store,
    loaded: LoadedPack,
    *,
    subject_code: str,
    record_id: str,
    performed: str,
    committed: bool,
    actor: str,
    now: datetime,
) -> Repair:
    """File an application for one record; refused (with the day) before it is possible."""
    if loaded.pack.repair is None:
        raise RepairRefusedError(
            reason=Phrase(_("this node's policy pack has no credit repair rules"))
        )
    with UnitOfWork(store) as uow:
        conn = uow.connection
        code = registered_code(conn, subject_code)
        current = _current_of(conn, code, record_id)
        found = queries.open_repair_for(conn, record_id)
        if found is not None:
            raise RepairAlreadyOpenError(record=record_id, repair=found.id, due_on=found.due_on)
        try:
            filed = rules.apply(
                jurisdiction=loaded.pack.meta.code, subject_code=code,
                record=(record_id, current.version), department=current.department,
                performed=performed, committed=committed, filed_by=actor, now=now,
                filed_on=china_date(now), rules=loaded.pack.repair,
                calendar=calendar_of(loaded.pack), eligible=_eligibility(loaded, current, now),
            )  # fmt: skip
        except rules.RepairRuleError as err:
            if err.possible_on is not None:
                raise RepairNotYetError(reason=err.reason, possible_on=err.possible_on) from None
            raise RepairRefusedError(reason=err.reason) from None
        filed = replace(filed, id=queries.insert_repair(conn, _row(filed)))
        detail = {"repair": filed.id, "item": filed.item, "department": filed.department,
                  "due_on": filed.due_on.isoformat()}  # fmt: skip
        append_event(conn, actor=actor, action="repair.apply", target=f"subject:{code}",
                     detail=detail, now=now)  # fmt: skip
        uow.commit()
    return filed


def _may_decide(principal: Principal, repair: Repair) -> None:
    if may_decide(principal, repair.department):
        return
    raise RepairForbiddenError(repair=repair.id, department=repair.department,
                               caller=principal.department or principal.role)  # fmt: skip


def decide_repair(
    store: Store,
    loaded: LoadedPack,
    principal: Principal,
    repair_id: int,
    approve: bool,
    reason: str,
    *,
    now: datetime,
) -> Repair:
    """Approve or refuse; approval flows down (see the module) in the same transaction."""
    with UnitOfWork(store) as uow:
        conn = uow.connection
        row = queries.get_repair(conn, repair_id, for_update=True)
        if row is None:
            raise RepairNotFoundError(repair=repair_id)
        application = _of(row)
        _may_decide(principal, application)
        try:
            decided = rules.decide(application, approve, reason, principal.actor, now)
        except rules.RepairRuleError as err:
            raise RepairStepError(repair=repair_id, reason=err.reason) from None
        code = application.subject_code
        agencies: list[str] = []
        if approve:
            records.change_status(conn, application.record_id, "repaired",
                                  f"repair {repair_id} approved: {decided.decision_reason}", now)  # fmt: skip
            derive_lists(conn, loaded, now, actor=principal.actor, subjects=[code])
            agencies = _recipients(conn, code, application.record_id)
        queries.update_repair(conn, _row(decided))
        _notify(conn, decided, agencies, now)
        detail = {"repair": repair_id, "item": application.item, "decision": str(decided.state),
                  "reason": decided.decision_reason, "agencies_notified": agencies}  # fmt: skip
        append_event(conn, actor=principal.actor, action="repair.decide",
                     target=f"subject:{code}", detail=detail, now=now)  # fmt: skip
        uow.commit()
    if approve:
        reevaluate_subject(store, loaded, code, now=now, actor=principal.actor,
                           why=f"repair {repair_id} approved")  # fmt: skip
    return decided


def _recipients(conn: Connection, code: str, record_id: str) -> list[str]:
    """The agencies that hold the record: those an audited read delivered it to and, for
    a public record (served to every agency key without an audit entry), every active one."""
    received = queries.agencies_that_received(conn, code, record_id)
    current = records.get_current(conn, record_id)
    if current is not None and current.disclosure_scope == "public":
        received += [a for a in queries.active_agency_actors(conn) if a not in received]
    return received


def _notify(conn: Connection, repair: Repair, agencies: list[str], now: datetime) -> None:
    detail = {"repair": repair.id, "record_id": repair.record_id, "state": str(repair.state),
              "reason": repair.decision_reason}  # fmt: skip
    target = f"repair:{repair.id}"
    notes.insert_notification(conn, notes.NotificationRow(
        f"subject:{repair.subject_code}", repair.subject_code, "repair.decided", target, detail,
        now))  # fmt: skip
    for agency in agencies:
        # Order 36: the repair must reach every party holding the record, which must
        # stop publishing and using it; each acknowledges (or is sent again).
        notes.insert_notification(conn, notes.NotificationRow(
            f"agency:{agency}", repair.subject_code, "repair.notice", target,
            detail | {"action": "stop publishing and using this record"}, now))  # fmt: skip


def reopen_refused(
    conn: Connection, loaded: LoadedPack, repair_id: int, *, actor: str, why: str, now: datetime
) -> Repair:
    """A refusal withdrawn (an objection to it revoked): the application open again, for its
    department to decide anew within the pack's days. Inside the caller's unit of work."""
    row = queries.get_repair(conn, repair_id, for_update=True)
    assert row is not None  # an objection to a refusal names a stored application
    assert loaded.pack.repair is not None  # a refusal exists only where the pack repairs
    try:
        reopened = rules.reopen(_of(row), china_date(now), loaded.pack.repair,
                                calendar_of(loaded.pack))  # fmt: skip
    except rules.RepairRuleError as err:
        raise RepairStepError(repair=repair_id, reason=err.reason) from None
    queries.update_repair(conn, _row(reopened))
    append_event(conn, actor=actor, action="repair.reopen", target=f"subject:{row.subject_code}",
                 detail={"repair": repair_id, "why": why, "due_on": reopened.due_on.isoformat()},
                 now=now)  # fmt: skip
    return reopened


def list_repairs(
    store: Store,
    principal: Principal,
    *,
    subject_code: str | None = None,
    states: list[str] | None = None,
    limit: int = 100,
    offset: int = 0,
    now: datetime,
) -> tuple[list[RepairView], int]:
    """A department's applications (its own records), or every one for the operator."""
    department = queue_of(principal)
    today = china_date(now)
    with UnitOfWork(store, read_only=True) as uow:
        code = registered_code(uow.connection, subject_code) if subject_code else None
        rows, total = queries.repairs(uow.connection, subject_code=code, department=department,
                                      states=states, limit=limit, offset=offset)  # fmt: skip
    return [RepairView(_of(r), rules.overdue(_of(r), today)) for r in rows], total


def agency_notifications(store: Store, principal: Principal) -> list[dict[str, object]]:
    """The calling agency's notifications not yet acknowledged, oldest first."""
    with UnitOfWork(store, read_only=True) as uow:
        return queries.pending_notifications(uow.connection, f"agency:{principal.actor}")


def acknowledge_notification(
    store: Store, principal: Principal, notification_id: int, *, now: datetime
) -> None:
    """The agency confirms it stopped publishing and using the record."""
    with UnitOfWork(store) as uow:
        found = queries.get_notification(uow.connection, notification_id)
        if found is None or found["recipient"] != f"agency:{principal.actor}":
            raise NotificationNotFoundError(notification=notification_id)
        if found["acknowledged_at"] is None:
            queries.acknowledge(uow.connection, notification_id, now)
            append_event(uow.connection, actor=principal.actor, action="notification.acknowledge",
                         target=f"subject:{found['subject_code']}",
                         detail={"notification": notification_id, "about": found["target"]},
                         now=now)  # fmt: skip
        uow.commit()


def retry_notifications(store: Store, *, now: datetime, actor: str = "system:rights") -> list[int]:
    """Send again every repair notice unacknowledged for :data:`RETRY_AFTER`; the ids sent."""
    with UnitOfWork(store) as uow:
        due = queries.unacknowledged_before(uow.connection, "repair.notice", now - RETRY_AFTER)
        for note in due:
            queries.mark_attempt(uow.connection, note["id"], now)
            append_event(uow.connection, actor=actor, action="notification.retry",
                         target=f"subject:{note['subject_code']}",
                         detail={"notification": note["id"], "recipient": note["recipient"],
                                 "attempt": note["attempts"] + 1}, now=now)  # fmt: skip
        uow.commit()
    return [int(n["id"]) for n in due]


def repairs_of(store: Store, subject_code: str, *, now: datetime) -> list[RepairView]:
    """Every repair application of the subject (its own file)."""
    today = china_date(now)
    with UnitOfWork(store, read_only=True) as uow:
        code = registered_code(uow.connection, subject_code)
        rows, _ = queries.repairs(uow.connection, subject_code=code, limit=10**6)
    return [RepairView(_of(r), rules.overdue(_of(r), today)) for r in rows]
