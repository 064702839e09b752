"""授权 (consent) as rules: a subject lets one agency query its file for one purpose, for a while.

Plain Python: no SQL, no HTTP. Information of the ``authorised`` scope (授权查询)
reaches a credit agency or bank only with the subject's consent: for a
stated purpose of the pack (``[[purposes]]``), until a stated day (at most
the purpose's ``max_days``), revocable at any moment with immediate effect.
What a query returns is cut to the fields the purpose allows (data
minimisation): the other fields never leave the node.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from xinyong.clock import china_date
from xinyong.i18n import Phrase
from xinyong.i18n import gettext_noop as _
from xinyong.policy.model import Purpose


class ConsentRuleError(ValueError):
    """A consent the rules refuse; the service turns it into a user-facing error."""


@dataclass(frozen=True)
class Consent:
    subject_code: str
    agency: str  # the agency key, as the audit log names it (key:<prefix>)
    agency_name: str
    purpose: str
    granted_by: str
    granted_at: datetime
    valid_until: date  # the last day it may be used
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    id: int | None = None

    def in_force(self, now: datetime) -> bool:
        return self.revoked_at is None and china_date(now) <= self.valid_until


def grant(
    *,
    subject_code: str,
    agency: str,
    agency_name: str,
    purpose: Purpose,
    until: date,
    granted_by: str,
    now: datetime,
) -> Consent:
    """A new consent, from today to ``until`` (at most the purpose's longest)."""
    today = china_date(now)
    if until < today:
        raise ConsentRuleError(Phrase(_("{until} has passed: a consent runs until a future day"),
                                      until=until.isoformat()))  # fmt: skip
    longest = today + timedelta(days=purpose.max_days)
    if until > longest:
        raise ConsentRuleError(Phrase(
            _("a consent for {purpose} runs at most {days} days (until {longest})"),
            purpose=purpose.code, days=purpose.max_days, longest=longest.isoformat()))  # fmt: skip
    return Consent(subject_code, agency, agency_name, purpose.code, granted_by, now, until)


def revoke(consent: Consent, by: str, now: datetime) -> Consent:
    if consent.revoked_at is not None:
        raise ConsentRuleError(Phrase(_("the consent is already revoked")))
    return replace(consent, revoked_at=now, revoked_by=by)


def minimised(purpose: Purpose, record: dict[str, Any]) -> dict[str, Any]:
    """The record as the purpose allows it to leave: its fields, and its payload fields only."""
    out = {name: record[name] for name in purpose.fields if name in record}
    payload = record.get("payload") or {}
    allowed = {k: v for k, v in payload.items() if k in purpose.payload_fields}
    if allowed:
        out["payload"] = allowed
    return out
