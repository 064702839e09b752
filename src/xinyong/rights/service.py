"""Use cases of objections (异议): file, extend, decide, list, escalate the overdue.

Filing and deciding are each one unit of work: the objection, the status it
puts on its item, the list entries it marks, the re-derived lists, the
subject's notification and the audit entry land together or not at all.

- **Filing** marks the item at once. A record gets a new version with status
  ``under_objection`` (shown so on the portal, counted by no list rule or
  score); every open entry resting on it, or the entry objected to, is marked
  ``objection_open`` (not listed while marked; checks say so).
- **Deciding** belongs to the department that reported the record (for an
  entry, the department of its first basis record); the operator may decide
  any. *Uphold* restores the record's status before the objection; *correct*
  writes a corrected version of its payload; *revoke* revokes the record or
  removes the entry. The subject's lists are then re-derived in the same
  transaction: an entry resting on a corrected or revoked record ends, and
  the check index drops it at its next refresh. The subject's evaluations
  are then recomputed and stored as its latest.
- **A refused repair** may be objected to as well: filing marks nothing; a
  revoked refusal opens the application again for its department
  (:func:`~xinyong.rights.repair_service.reopen_refused`), and nothing is
  re-derived, since no record changed.
- **Overdue** objections (open past their last day) are escalated to the
  operator once: marked, audited and notified.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from xinyong.audit.service import append_event
from xinyong.clock import china_date
from xinyong.evaluation.service import reevaluate_subject
from xinyong.i18n import Phrase
from xinyong.i18n import gettext_noop as _
from xinyong.keys.model import Principal
from xinyong.lists.calendar import calendar_of
from xinyong.lists.rows import basis_of
from xinyong.lists.service import derive_lists, mark_objection, remove_in
from xinyong.policy.loader import LoadedPack
from xinyong.registry.service import registered_code
from xinyong.rights import objections as rules
from xinyong.rights.attachments import (
    Attachment,
    AttachmentRefused,
    check_attachment,
    plain_name,
)
from xinyong.rights.deciders import may_decide
from xinyong.rights.errors import (
    AttachmentRefusedError,
    AttachmentTooLargeError,
    ObjectionAlreadyOpenError,
    ObjectionForbiddenError,
    ObjectionInputError,
    ObjectionNotFoundError,
    ObjectionStepError,
    ObjectionTargetError,
    TooManyAttachmentsError,
)
from xinyong.rights.objections import Objection, Ruling, Target
from xinyong.rights.repair_service import reopen_refused
from xinyong.rights.rulings import decide_record
from xinyong.store.engine import Store
from xinyong.store.queries import lists as list_queries
from xinyong.store.queries import objections as queries
from xinyong.store.queries import records
from xinyong.store.queries import repairs as repair_queries
from xinyong.store.uow import Connection, UnitOfWork

MAX_ATTACHMENTS = 5
OPERATOR_DEPARTMENT = "operator"  # who decides when no reporting department is known


@dataclass(frozen=True)
class ObjectionView:
    """An objection with its attachments (without content) and whether it is overdue today."""

    objection: Objection
    attachments: list[queries.AttachmentRow]
    overdue: bool


def objection_of(row: queries.ObjectionRow) -> Objection:
    """The domain objection of a stored row."""
    values = {k: v for k, v in row.__dict__.items()}
    values["target"] = Target(row.target)
    values["state"] = rules.State(row.state)
    return Objection(**values)


def _row(objection: Objection) -> queries.ObjectionRow:
    values = dict(objection.__dict__)
    values["target"] = str(objection.target)
    values["state"] = str(objection.state)
    return queries.ObjectionRow(**values)


def accept_attachments(
    files: Sequence[tuple[str, bytes, str | None]], *, max_bytes: int
) -> list[Attachment]:
    """Uploaded (name, content, claimed type) files checked by content, or the first refusal."""
    if len(files) > MAX_ATTACHMENTS:
        raise TooManyAttachmentsError(limit=MAX_ATTACHMENTS)
    accepted = []
    for name, content, claimed in files:
        if len(content) > max_bytes:
            raise AttachmentTooLargeError(filename=plain_name(name), limit=f"{max_bytes:,}")
        try:
            accepted.append(check_attachment(name, content, claimed, max_bytes=max_bytes))
        except AttachmentRefused as refused:
            raise AttachmentRefusedError(filename=refused.filename, reason=refused.reason) from None
    return accepted


def _entries_citing(conn: Connection, jurisdiction: str, code: str, record_id: str) -> list[int]:
    """Open entries of the subject whose basis cites the record."""
    return [
        int(row.id or 0)
        for row in list_queries.open_entries(conn, jurisdiction, subjects=[code])
        if any(rid == record_id for rid, _v in basis_of(row.basis).records)
    ]


@dataclass(frozen=True)
class _Item:
    """What an objection is to, and who decides it."""

    department: str
    record: tuple[str, int] | None = None  # record id and the version objected to
    entry_id: int | None = None
    repair_id: int | None = None


def _target_of(conn: Connection, code: str, target: Target, item: str) -> _Item:
    """The item of ``code``'s file an objection names, if it may be objected to now."""
    label = f"{target}:{item}"
    named = _item_of(conn, code, target, item)
    if named is None:
        raise ObjectionTargetError(item=label, subject=code)
    found = queries.open_objection_for(conn, record_id=named.record[0] if named.record else None,
                                       entry_id=named.entry_id, repair_id=named.repair_id)  # fmt: skip
    if found is not None:
        raise ObjectionAlreadyOpenError(item=label, objection=found.id, due_on=found.due_on)
    return named


def _item_of(conn: Connection, code: str, target: Target, item: str) -> _Item | None:
    """The item, if it is ``code``'s and in a state one may object to."""
    if target is Target.RECORD:
        current = records.get_current(conn, item)
        standing = ("active", "expired", "under_objection")
        if current is None or current.subject_code != code or current.status not in standing:
            return None
        return _Item(current.department, record=(item, current.version))
    try:
        number = int(item)
    except ValueError:
        return None
    if target is Target.REPAIR:
        application = repair_queries.get_repair(conn, number)
        if application is None or application.subject_code != code:
            return None
        return (
            _Item(application.department, repair_id=number)
            if application.state == "refused"
            else None
        )
    entry = list_queries.get_entry(conn, number)
    if entry is None or entry.subject_code != code or entry.state == "removed":
        return None
    cited = basis_of(entry.basis).records
    first = records.get_current(conn, cited[0][0]) if cited else None
    return _Item(first.department if first is not None else OPERATOR_DEPARTMENT, entry_id=number)


def file_objection(
    store: Store,
    loaded: LoadedPack,
    *,
    subject_code: str,
    target: Target,
    item: str,
    reasons: str,
    attachments: Sequence[Attachment] = (),
    actor: str,
    now: datetime,
) -> Objection:
    """File the subject's objection to one item of its file; the item is marked at once."""
    if len(attachments) > MAX_ATTACHMENTS:
        raise TooManyAttachmentsError(limit=MAX_ATTACHMENTS)
    jurisdiction = loaded.pack.meta.code
    with UnitOfWork(store) as uow:
        conn = uow.connection
        code = registered_code(conn, subject_code)
        named = _target_of(conn, code, target, item)
        try:
            filed = rules.file(
                jurisdiction=jurisdiction, subject_code=code, target=target,
                department=named.department, reasons=reasons, filed_by=actor, now=now,
                filed_on=china_date(now), rules=loaded.pack.objections,
                calendar=calendar_of(loaded.pack), record=named.record,
                entry_id=named.entry_id, repair_id=named.repair_id,
            )  # fmt: skip
        except rules.ObjectionRuleError as err:
            raise ObjectionInputError(reason=err.args[0]) from None
        filed = replace(filed, id=queries.insert_objection(conn, _row(filed)))
        for attachment in attachments:
            queries.insert_attachment(conn, filed.id or 0, attachment.filename,
                                      attachment.media_type, attachment.content,
                                      attachment.sha256)  # fmt: skip
        why = f"objection {filed.id} filed"
        marked: list[int] = []  # a contested refusal marks nothing: the record stays as it is
        if named.record is not None:
            records.change_status(conn, named.record[0], "under_objection", why, now)
            marked = _entries_citing(conn, jurisdiction, code, named.record[0])
        elif named.entry_id is not None:
            marked = [named.entry_id]
        if marked:
            mark_objection(conn, marked, True, now, actor=actor, why=why)
        detail = {"objection": filed.id, "item": filed.item, "department": named.department,
                  "due_on": filed.due_on.isoformat(), "entries_marked": marked,
                  "attachments": [a.sha256 for a in attachments]}  # fmt: skip
        append_event(conn, actor=actor, action="objection.file", target=f"subject:{code}",
                     detail=detail, now=now)  # fmt: skip
        uow.commit()
    return filed


def _may_decide(principal: Principal, objection: Objection) -> None:
    if may_decide(principal, objection.department):
        return
    raise ObjectionForbiddenError(objection=objection.id, department=objection.department,
                                  caller=principal.department or principal.role)  # fmt: skip


def _load_open(conn: Connection, objection_id: int) -> Objection:
    row = queries.get_objection(conn, objection_id, for_update=True)
    if row is None:
        raise ObjectionNotFoundError(objection=objection_id)
    return objection_of(row)


def extend_objection(
    store: Store, principal: Principal, objection_id: int, until: Any, reason: str, *, now: datetime
) -> Objection:
    """Move the deadline (at most to the pack's longest), with the reason recorded."""
    with UnitOfWork(store) as uow:
        conn = uow.connection
        objection = _load_open(conn, objection_id)
        _may_decide(principal, objection)
        try:
            extended = rules.extend(objection, until, reason)
        except rules.ObjectionRuleError as err:
            raise ObjectionStepError(objection=objection_id, reason=err.args[0]) from None
        queries.update_objection(conn, _row(extended))
        detail = {"objection": objection_id, "due_on": extended.due_on.isoformat(),
                  "reason": extended.extension_reason}  # fmt: skip
        append_event(conn, actor=principal.actor, action="objection.extend",
                     target=f"subject:{objection.subject_code}", detail=detail, now=now)  # fmt: skip
        uow.commit()
    return extended


def decide_objection(
    store: Store,
    loaded: LoadedPack,
    principal: Principal,
    objection_id: int,
    ruling: Ruling,
    reason: str,
    *,
    correction: Mapping[str, Any] | None = None,
    now: datetime,
) -> Objection:
    """Decide an open objection (its department or the operator); the decision flows down."""
    if ruling is not Ruling.CORRECT and correction:
        raise ObjectionInputError(reason=Phrase(_("only a correction carries corrected fields")))
    with UnitOfWork(store) as uow:
        conn = uow.connection
        objection = _load_open(conn, objection_id)
        _may_decide(principal, objection)
        try:
            decided = rules.rule(objection, ruling, reason, principal.actor, now)
        except rules.ObjectionRuleError as err:
            raise ObjectionStepError(objection=objection_id, reason=err.args[0]) from None
        jurisdiction, code = objection.jurisdiction, objection.subject_code
        why = f"objection {objection_id} {decided.state}"
        if objection.target is Target.RECORD:
            version = decide_record(conn, loaded, objection, ruling, reason, correction, now)
            decided = replace(decided, corrected_version=version)
            marked = _entries_citing(conn, jurisdiction, code, objection.record_id or "")
            mark_objection(conn, marked, False, now, actor=principal.actor, why=why)
        elif objection.target is Target.REPAIR:
            if ruling is Ruling.REVOKE:
                reopen_refused(conn, loaded, objection.repair_id or 0, actor=principal.actor,
                               why=why, now=now)  # fmt: skip
        else:
            entry_id = objection.entry_id or 0
            mark_objection(conn, [entry_id], False, now, actor=principal.actor, why=why)
            if ruling is Ruling.REVOKE:
                remove_in(conn, entry_id, f"{why}: {reason}", now, actor=principal.actor)
        queries.update_objection(conn, _row(decided))
        # A refusal of repair, upheld or reopened, changes no record: nothing to re-derive.
        derives = objection.target is not Target.REPAIR
        summary = (
            derive_lists(conn, loaded, now, actor=principal.actor, subjects=[code])
            if derives
            else None
        )
        _notify_subject(conn, decided, now)
        detail = {"objection": objection_id, "item": objection.item, "decision": str(decided.state),
                  "reason": decided.decision_reason, "corrected_version": decided.corrected_version,
                  "lists_removed": sum(summary.removed.values()) if summary else 0,
                  "lists_proposed": sum(summary.proposed.values()) if summary else 0}  # fmt: skip
        append_event(conn, actor=principal.actor, action="objection.decide",
                     target=f"subject:{code}", detail=detail, now=now)  # fmt: skip
        uow.commit()
    if derives:
        # Derived, so after the decision's own transaction: a failure here leaves the
        # decision standing and the next batch run grades the subject anyway.
        reevaluate_subject(store, loaded, code, now=now, actor=principal.actor, why=why)
    return decided


def _notify_subject(conn: Connection, objection: Objection, now: datetime) -> None:
    detail = {"objection": objection.id, "item": objection.item, "state": str(objection.state),
              "reason": objection.decision_reason}  # fmt: skip
    queries.insert_notification(
        conn,
        queries.NotificationRow(f"subject:{objection.subject_code}", objection.subject_code,
                                "objection.decided", f"objection:{objection.id}", detail, now),
    )  # fmt: skip
