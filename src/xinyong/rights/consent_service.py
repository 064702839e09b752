"""Use cases of consent (授权) and authorised queries, and a subject's query history.

- A subject grants an agency key consent for one purpose of the pack, until
  a day; revokes it at any moment (the next query is refused).
- An agency's authorised query is answered only under a consent in force for
  that agency and purpose: refused (403 ``consent-missing``) and logged
  otherwise; answered with the purpose's fields only and logged. Both land
  in the audit log as reads of the subject.
- The query history is every check of the subject (the check log) and every
  audited read of its file (the audit log): who, when, for what matter or
  purpose. A subject sees it whole.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from xinyong.audit.service import append_event
from xinyong.clock import china_date
from xinyong.i18n import Phrase
from xinyong.i18n import gettext_noop as _
from xinyong.keys.model import Principal, Role
from xinyong.policy.loader import LoadedPack
from xinyong.policy.model import Purpose
from xinyong.registry.service import registered_code
from xinyong.rights import consents as rules
from xinyong.rights.consents import Consent
from xinyong.rights.errors import (
    ConsentInputError,
    ConsentMissingError,
    ConsentNotFoundError,
    UnknownPurposeError,
)
from xinyong.store.engine import Store
from xinyong.store.queries import consents as queries
from xinyong.store.queries import keys as key_queries
from xinyong.store.queries import records
from xinyong.store.uow import UnitOfWork

READ_ACTIONS = frozenset({"subject.read", "records.read", "evaluation.read", "authorised.read", "file.read",
                          "authorised.refused", "report.issue"})  # fmt: skip
"""Audit actions that are a read of a subject's file (or a refused attempt at one)."""


def _purpose(loaded: LoadedPack, code: str) -> Purpose:
    found = next((p for p in loaded.pack.purposes if p.code == code), None)
    if found is None:
        known = ", ".join(sorted(p.code for p in loaded.pack.purposes)) or "none"
        raise UnknownPurposeError(purpose=code, known=known)
    return found


def _of(row: queries.ConsentRow) -> Consent:
    return Consent(**row.__dict__)


def grant_consent(
    store: Store,
    loaded: LoadedPack,
    *,
    subject_code: str,
    agency_prefix: str,
    purpose: str,
    until: date,
    granted_by: str,
    now: datetime,
) -> Consent:
    """The subject's consent to the agency key for the purpose, until the day."""
    chosen = _purpose(loaded, purpose)
    with UnitOfWork(store) as uow:
        conn = uow.connection
        code = registered_code(conn, subject_code)
        key = key_queries.get_key(conn, agency_prefix)
        if key is None or key.role != Role.AGENCY.value or key.revoked_at is not None:
            raise ConsentInputError(reason=Phrase(_("{key} is not an active agency key"),
                                                 key=agency_prefix))  # fmt: skip
        try:
            granted = rules.grant(subject_code=code, agency=f"key:{key.prefix}",
                                  agency_name=key.name, purpose=chosen, until=until,
                                  granted_by=granted_by, now=now)  # fmt: skip
        except rules.ConsentRuleError as err:
            raise ConsentInputError(reason=err.args[0]) from None
        granted = replace(granted, id=queries.insert_consent(conn, queries.ConsentRow(**{
            k: v for k, v in granted.__dict__.items() if k != "id"})))  # fmt: skip
        detail = {"consent": granted.id, "agency": granted.agency, "purpose": purpose,
                  "until": until.isoformat()}  # fmt: skip
        append_event(conn, actor=granted_by, action="consent.grant", target=f"subject:{code}",
                     detail=detail, now=now)  # fmt: skip
        uow.commit()
    return granted


def revoke_consent(store: Store, consent_id: int, *, by: str, now: datetime) -> Consent:
    """Revoke at once: the agency's next query is refused."""
    with UnitOfWork(store) as uow:
        row = queries.get_consent(uow.connection, consent_id)
        if row is None:
            raise ConsentNotFoundError(consent=consent_id)
        try:
            revoked = rules.revoke(_of(row), by, now)
        except rules.ConsentRuleError as err:
            raise ConsentInputError(reason=err.args[0]) from None
        queries.update_consent(uow.connection, queries.ConsentRow(**revoked.__dict__))
        append_event(uow.connection, actor=by, action="consent.revoke",
                     target=f"subject:{row.subject_code}", detail={"consent": consent_id},
                     now=now)  # fmt: skip
        uow.commit()
    return revoked


def consents(store: Store, subject_code: str) -> list[Consent]:
    with UnitOfWork(store, read_only=True) as uow:
        code = registered_code(uow.connection, subject_code)
        return [_of(r) for r in queries.consents_of(uow.connection, code)]


@dataclass(frozen=True)
class AuthorisedFile:
    subject_code: str
    purpose: Purpose
    consent_id: int
    records: list[dict[str, Any]]  # each cut to the purpose's fields


def authorised_query(
    store: Store, loaded: LoadedPack, principal: Principal, subject_code: str, purpose: str,
    *, now: datetime,
) -> AuthorisedFile:  # fmt: skip
    """The subject's file for the purpose, under a consent in force; refused and logged without."""
    chosen = _purpose(loaded, purpose)
    with UnitOfWork(store) as uow:
        conn = uow.connection
        code = registered_code(conn, subject_code)
        valid = [c for c in map(_of, queries.consents_for(conn, code, principal.actor, purpose))
                 if c.in_force(now)]  # fmt: skip
        if principal.role is not Role.AGENCY or not valid:
            append_event(conn, actor=principal.actor, action="authorised.refused",
                         target=f"subject:{code}",
                         detail={"role": principal.role.value, "purpose": purpose,
                                 "reason": "no consent in force"}, now=now)  # fmt: skip
            uow.commit()
            raise ConsentMissingError(subject=code, purpose=purpose)
        found = [
            r for r in records.current_for_subject(conn, code)
            if r.disclosure_scope in chosen.scopes and r.status in ("active", "under_objection")
            and (not chosen.items or r.catalog_item in chosen.items)
            and (r.disclosure_until is None or r.disclosure_until >= china_date(now))
        ]  # fmt: skip
        shown = [rules.minimised(chosen, {**r.__dict__, "decided_on": r.decided_on.isoformat()})
                 for r in found]  # fmt: skip
        detail = {"role": principal.role.value, "purpose": purpose, "consent": valid[0].id,
                  "records": [{"record_id": r.record_id, "version": r.version,
                               "scope": r.disclosure_scope} for r in found]}  # fmt: skip
        append_event(conn, actor=principal.actor, action="authorised.read",
                     target=f"subject:{code}", detail=detail, now=now)  # fmt: skip
        uow.commit()
    return AuthorisedFile(code, chosen, valid[0].id or 0, shown)


@dataclass(frozen=True)
class Query:
    """One look at the subject's file: a check, an audited read, or a refused query."""

    at: datetime
    who: str
    kind: str  # check, or the audit action (records.read, authorised.read …)
    about: str  # the matter of a check, the purpose of a query, the action read


def query_history(store: Store, subject_code: str) -> list[Query]:
    """Every check and every audited read of the subject's file, oldest first."""
    with UnitOfWork(store, read_only=True) as uow:
        conn = uow.connection
        code = registered_code(conn, subject_code)
        checks = queries.subject_checks(conn, code)
        reads = queries.subject_reads(conn, code, READ_ACTIONS)
    found = [Query(at, f"{actor} ({department})" if department else actor, "check", matter)
             for at, actor, department, matter, _outcome, _id in checks]  # fmt: skip
    found += [Query(at, actor, action, str(detail.get("purpose") or action))
              for at, actor, action, detail in reads]  # fmt: skip
    return sorted(found, key=lambda q: q.at)
