"""A subject's own file (本人信用档案): everything the node holds on it, and who looked.

What a subject may see of itself has no disclosure limit: every current
record in every scope and status, every list entry with its basis, steps and
notice, its evaluations with their explanations (a natural person's own
score included: it is theirs), its objections, repair applications and
consents, the notifications sent to it, and every check and audited read of
its file. The read is itself audited (``file.read``), through the same
``audit_access`` path as every other non-public read, before the data leaves.

:func:`file_json` is the portable form (JSON download); the portal renders
the same :class:`SubjectFile` as a page and as a PDF.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from xinyong.clock import china_date
from xinyong.disclosure.model import Access
from xinyong.disclosure.service import audit_access
from xinyong.evaluation.explain import Explanation
from xinyong.evaluation.service import Result, explain_subject
from xinyong.keys.model import Principal
from xinyong.lists.views import EntryDetail, subject_entries
from xinyong.policy.loader import LoadedPack
from xinyong.registry.model import ALL_RECORDS, Record, SubjectView
from xinyong.registry.service import subject_records, subject_view
from xinyong.rights.accounts import Identity
from xinyong.rights.consent_service import Query, consents, query_history
from xinyong.rights.consents import Consent
from xinyong.rights.objection_queue import objections_of
from xinyong.rights.repair_service import RepairView, eligibilities, repairs_of
from xinyong.rights.repairs import Eligibility
from xinyong.rights.service import ObjectionView
from xinyong.store.engine import Store

MAX_RECORDS = 100_000


@dataclass(frozen=True)
class SubjectFile:
    view: SubjectView
    records: tuple[Record, ...]
    entries: tuple[EntryDetail, ...]
    evaluations: tuple[tuple[Result, Explanation], ...]
    objections: tuple[ObjectionView, ...]
    repairs: tuple[RepairView, ...]
    consents: tuple[Consent, ...]
    history: tuple[Query, ...]
    read_at: datetime
    repair: Mapping[str, Eligibility]  # each negative record: repairable today, or from when

    @cached_property
    def documents(self) -> dict[str, str]:
        """Each record's document number by its id, to name a record where an id stands."""
        return {r.record_id: r.document_number for r in self.records}


def access_my_file(
    store: Store, loaded: LoadedPack, reader: Principal | Identity, code: str, *, now: datetime
) -> SubjectFile:
    """The subject's whole file, for the subject (or the operator at the counter); audited.

    The caller proves who ``reader`` is (the portal's sign-in, an operator
    key); this function trusts it and audits the read under its name.
    """
    view = subject_view(store, code)
    subject = view.subject.code
    page = subject_records(store, subject, records=ALL_RECORDS, limit=MAX_RECORDS)
    history = query_history(store, subject)  # before this read: it lists the looks of others
    found = SubjectFile(
        view=view,
        records=tuple(page.records),
        entries=tuple(subject_entries(store, subject)),
        evaluations=tuple(explain_subject(store, loaded, subject, as_of=china_date(now))),
        objections=tuple(objections_of(store, subject, now=now)),
        repairs=tuple(repairs_of(store, subject, now=now)),
        consents=tuple(consents(store, subject)),
        history=tuple(history),
        read_at=now,
        repair=eligibilities(loaded, page.records, now=now),
    )
    role = reader.role.value if isinstance(reader, Principal) else "subject"
    detail = {"role": role, "records": [
        {"record_id": r.record_id, "version": r.version, "scope": r.disclosure_scope}
        for r in found.records]}  # fmt: skip
    audit_access(store, reader, Access("file.read", f"subject:{subject}", detail), now)
    return found


def _plain(value: Any) -> Any:
    """JSON-ready: dates and datetimes as ISO text, enums as their value, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


def file_json(found: SubjectFile) -> dict[str, Any]:
    """The portable form of the file: every part, as plain JSON."""
    subject = found.view.subject
    plain: dict[str, Any] = _plain({
        "subject": asdict(subject),
        "read_at": found.read_at,
        "records": [asdict(r) for r in found.records],
        "list_entries": [{
            "entry": asdict(e.entry), "steps": [asdict(s) for s in e.steps],
            "notice": asdict(e.notice) if e.notice else None} for e in found.entries],
        "evaluations": [{
            "model": result.model.code, "as_of": result.as_of, "score": result.score,
            "grade": result.grade, "inputs_hash": result.inputs_hash,
            "reasons": [asdict(line) for line in explanation.reasons],
            "changes": [asdict(c) for c in explanation.changes]}
            for result, explanation in found.evaluations],
        "objections": [{**asdict(v.objection), "overdue": v.overdue,
                        "attachments": [asdict(a) for a in v.attachments]}
                       for v in found.objections],
        "repairs": [{**asdict(v.repair), "overdue": v.overdue} for v in found.repairs],
        "consents": [asdict(c) for c in found.consents],
        "history": [asdict(q) for q in found.history],
        "repair_eligibility": {rid: asdict(e) for rid, e in found.repair.items()},
    })  # fmt: skip
    return plain
