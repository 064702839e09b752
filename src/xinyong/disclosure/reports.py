"""Credit reports (信用报告): the public information of a subject, issued and verifiable.

A report holds exactly what the subject's public page shows (the same
disclosure path, as the public), the time it was issued and a verification
code. What is kept is not the report but the SHA-256 of its exact bytes:
``/verify/{code}`` confirms that a report with that code was issued, when,
for whom, and — given the file — that it is unchanged. Rendering to PDF is
the caller's (``xinyong.web.report``): this module knows nothing of formats.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from xinyong.audit.service import append_event
from xinyong.disclosure.evaluations import PublicGrade, public_grades
from xinyong.disclosure.lists import PublicListing, public_listings
from xinyong.disclosure.model import DisclosedRecords, DisclosedSubject
from xinyong.disclosure.service import access_records, access_subject
from xinyong.errors import NotFoundError
from xinyong.i18n import gettext_noop as _
from xinyong.keys.model import Principal
from xinyong.policy.loader import LoadedPack
from xinyong.policy.model import CatalogItem
from xinyong.store.engine import Store
from xinyong.store.queries import reports as queries
from xinyong.store.queries.reports import ReportRow
from xinyong.store.uow import UnitOfWork

RECORDS_IN_A_REPORT = 500


class ReportNotFoundError(NotFoundError):
    code = "report-not-found"
    message = _("no report was issued with verification code {code}")


@dataclass(frozen=True)
class ReportContent:
    """What a report shows, gathered as the public sees it, before rendering."""

    verification_code: str
    issued_at: datetime
    locale: str
    policy_version: str
    subject: DisclosedSubject
    records: DisclosedRecords
    listings: list[PublicListing]
    grades: list[PublicGrade]
    real_code: str  # the subject's code, not printed for a person


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


@dataclass(frozen=True)
class Verification:
    report: ReportRow
    unchanged: bool | None  # None: no file was given to compare


def new_verification_code() -> str:
    """16 characters of base32 in groups of four (80 random bits), e.g. ``K7Q2-M9PX-3RTA-8WZC``."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def issue_report(
    store: Store,
    loaded: LoadedPack,
    principal: Principal,
    code: str,
    *,
    catalog: Mapping[str, CatalogItem],
    locale: str,
    now: datetime,
    render: Callable[[ReportContent], Rendered],
) -> tuple[ReportContent, Rendered]:
    """Gather, render and register a report; raises the code's and the registry's errors."""
    subject = access_subject(store, principal, code, now=now)
    records = access_records(store, principal, code, catalog=catalog,
                             limit=RECORDS_IN_A_REPORT, offset=0, now=now)  # fmt: skip
    real = subject.code
    kind = subject.view.subject.subject_kind
    content = ReportContent(
        new_verification_code(), now, locale, loaded.version, subject, records,
        public_listings(store, loaded, real), public_grades(store, loaded, real, kind), real,
    )  # fmt: skip
    rendered = render(content)
    shown = subject.view.subject
    row = ReportRow(content.verification_code, real, shown.code, shown.name, now, locale,
                    loaded.version, hashlib.sha256(rendered.pdf).hexdigest(), rendered.pages)  # fmt: skip
    with UnitOfWork(store) as uow:
        queries.insert_report(uow.connection, row)
        append_event(uow.connection, actor=principal.actor, action="report.issue",
                     target=f"subject:{real}",
                     detail={"verification_code": row.verification_code, "sha256": row.pdf_sha256,
                             "pages": row.pages, "locale": locale}, now=now)  # fmt: skip
        uow.commit()
    return content, rendered


def verify_report(store: Store, verification_code: str, pdf: bytes | None = None) -> Verification:
    """The issued report with this code, and whether ``pdf`` is that report byte for byte."""
    wanted = verification_code.strip().upper()
    with UnitOfWork(store, read_only=True) as uow:
        row = queries.get_report(uow.connection, wanted)
    if row is None:
        raise ReportNotFoundError(code=verification_code[:40])
    unchanged = None if pdf is None else hashlib.sha256(pdf).hexdigest() == row.pdf_sha256
    return Verification(row, unchanged)
