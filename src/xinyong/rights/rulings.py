"""What a ruling on an objection does to the item it names, inside the decision's transaction.

A record is restored (uphold), gets a corrected version checked against the
catalog (correct) or is revoked. :mod:`xinyong.rights.service` calls these,
then re-derives the lists and tells the subject. (A refusal of repair,
revoked, is reopened by :func:`xinyong.rights.repair_service.reopen_refused`.)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from xinyong.i18n import Phrase
from xinyong.i18n import gettext_noop as _
from xinyong.ingest.values import content_hash, record_content, typed_value
from xinyong.policy.loader import LoadedPack
from xinyong.rights import objections as rules
from xinyong.rights.errors import ObjectionInputError
from xinyong.rights.objections import Objection, Ruling
from xinyong.store.queries import records
from xinyong.store.uow import Connection


def corrected_payload(
    loaded: LoadedPack, current: records.RecordVersion, correction: Mapping[str, Any]
) -> dict[str, Any]:
    """The record's changes for a corrected payload: fields checked by the catalog, new hash."""
    item = loaded.pack.item(current.catalog_item)
    specs = {f.name: f for f in item.payload} if item is not None else {}
    payload = dict(current.payload)
    for name, value in correction.items():
        spec = specs.get(name)
        if spec is None:
            known = ", ".join(sorted(specs)) or "none"
            raise ObjectionInputError(reason=Phrase(
                _("{name} is not a field of {item} (fields: {known})"),
                name=name, item=current.catalog_item, known=known))  # fmt: skip
        typed, error = typed_value(spec, value)
        if error is not None:
            raise ObjectionInputError(reason=Phrase(_("{name}: {problem}"), name=name,
                                                    problem=error.render("en")))  # fmt: skip
        payload[name] = typed
    if payload == current.payload:
        raise ObjectionInputError(reason=Phrase(_("the correction changes nothing")))
    content = record_content(
        subject_code=current.subject_code, catalog_item=current.catalog_item,
        department=current.department, jurisdiction=current.jurisdiction,
        document_number=current.document_number, decided_on=current.decided_on,
        occurred_on=current.occurred_on, severity=current.severity,
        polarity=current.polarity, payload=payload,
    )  # fmt: skip
    return {"payload": payload, "content_hash": content_hash(content)}


def decide_record(
    conn: Connection,
    loaded: LoadedPack,
    objection: Objection,
    ruling: Ruling,
    reason: str,
    correction: Mapping[str, Any] | None,
    now: datetime,
) -> int | None:
    """Apply the ruling to the record; the corrected version, if one was written."""
    record_id = objection.record_id or ""
    before = records.get_version(conn, record_id, objection.record_version or 0)
    restored = before.status if before is not None else "active"
    why = f"objection {objection.id} {rules.RULED[ruling]}: {reason}"
    corrected = None
    if ruling is Ruling.UPHOLD:
        records.change_status(conn, record_id, restored, why, now)
    elif ruling is Ruling.CORRECT:
        current = records.get_current(conn, record_id)
        assert current is not None  # an open objection's record is current
        changes = corrected_payload(loaded, current, correction or {})
        corrected = records.correct(
            conn, record_id, changes | {"status": restored}, why, now
        ).version
    else:
        records.revoke(conn, record_id, why, now)
    return corrected
