"""An entry as the procedure sees it ↔ its ``list_entry`` row (basis as JSON)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from xinyong.lists.model import Entry, Removal, State
from xinyong.lists.rules import Basis
from xinyong.store.queries.lists import EntryRow


def basis_json(basis: Basis) -> dict[str, Any]:
    return {
        "list": basis.list_code,
        "records": [[record_id, version] for record_id, version in basis.records],
        "documents": list(basis.documents),
        "first_decided": basis.first_decided.isoformat(),
        "last_decided": basis.last_decided.isoformat(),
    }


def basis_of(data: dict[str, Any]) -> Basis:
    return Basis(
        data["list"],
        tuple((str(record_id), int(version)) for record_id, version in data["records"]),
        date.fromisoformat(data["first_decided"]),
        date.fromisoformat(data["last_decided"]),
        tuple(data.get("documents", ())),
    )


def row_of(entry: Entry, jurisdiction: str, now: datetime) -> EntryRow:
    return EntryRow(
        jurisdiction=jurisdiction,
        list_code=entry.list_code,
        subject_code=entry.subject_code,
        state=str(entry.state),
        basis=basis_json(entry.basis),
        policy_version=entry.policy_version,
        proposed_at=entry.proposed_at,
        changed_at=now,
        notified_at=entry.notified_at,
        objection_until=entry.objection_until,
        deadline_provisional=entry.deadline_provisional,
        objection_open=entry.objection_open,
        listed_on=entry.listed_on,
        expires_on=entry.expires_on,
        removed_at=entry.removed_at,
        removal=None if entry.removal is None else str(entry.removal),
        id=entry.id,
    )


def entry_of(row: EntryRow) -> Entry:
    return Entry(
        list_code=row.list_code,
        subject_code=row.subject_code,
        basis=basis_of(row.basis),
        policy_version=row.policy_version,
        state=State(row.state),
        proposed_at=row.proposed_at,
        notified_at=row.notified_at,
        objection_until=row.objection_until,
        deadline_provisional=row.deadline_provisional,
        objection_open=row.objection_open,
        listed_on=row.listed_on,
        expires_on=row.expires_on,
        removed_at=row.removed_at,
        removal=None if row.removal is None else Removal(row.removal),
        id=row.id,
    )
