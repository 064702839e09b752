"""The demo's signed-in walk: the invited company and its department, through the portal's own pages.

The company's agent signs in with the account the demo printed, objects to
one of its records and applies to repair another from ``/me``; the
department that reported them signs in at ``/desk`` with an API key made
for the walk (and revoked after it), upholds the objection and approves the
repair. Every step is an HTTP request to the app, in process (Starlette's
client: cookies, CSRF tokens and redirects as a browser has them), so the
demo exercises sign-in, sessions and forms, not just the services beneath.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from xinyong.api.app import create_app
from xinyong.config import Settings
from xinyong.errors import XinyongError
from xinyong.i18n import gettext_noop as _
from xinyong.keys.service import create_key, revoke_key
from xinyong.policy.loader import LoadedPack
from xinyong.policy.service import node_pack
from xinyong.registry.model import ALL_RECORDS, Record
from xinyong.registry.service import subject_records
from xinyong.rights.objection_queue import objections_of
from xinyong.rights.objections import Objection
from xinyong.rights.repair_service import eligibilities, repairs_of
from xinyong.rights.repairs import Repair
from xinyong.store.engine import Store, open_store

with warnings.catch_warnings():  # Starlette's advice to use httpx2 for its client: noise here
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PORTAL = "https://demo.xinyong.local"  # the cookies are Secure: the client speaks "HTTPS"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class DemoWalkError(XinyongError):
    """A page of the walk did not answer as a browser would expect: the demo stops, loudly."""

    code = "demo-walk-failed"
    status = 500
    message = _("the demo's signed-in walk failed at {step}: HTTP {status}")


def _token(page: str) -> str:
    found = _CSRF.search(page)
    if found is None:
        raise DemoWalkError(step="reading a form's token", status=200)
    return found.group(1)


def _expect_redirect(answer: object, step: str) -> None:
    status = getattr(answer, "status_code", 0)
    if status != 303:
        raise DemoWalkError(step=step, status=status)


@contextmanager
def _desk(client: TestClient, store: Store, record: Record, now: datetime) -> Iterator[str]:
    """Signed in at the record's department's desk; the desk's form token. The key is the walk's."""
    principal, key = create_key(store, name=f"demo desk {record.department}", role="department",
                                department=record.department, jurisdiction=record.jurisdiction,
                                actor="demo", now=now)  # fmt: skip
    try:
        page = client.get("/desk/signin").text
        signed = client.post("/desk/signin", data={"key": key, "csrf": _token(page)},
                             follow_redirects=False)  # fmt: skip
        _expect_redirect(signed, "the department's sign-in")
        yield _token(client.get("/desk").text)
    finally:
        revoke_key(store, principal.prefix, actor="demo", now=now)


def _sign_in(client: TestClient, login: str, password: str) -> str:
    """Signed in as the company's agent; the token of its own file's forms."""
    page = client.get("/signin").text
    signed = client.post("/signin", data={"login": login, "password": password,
                                          "csrf": _token(page)}, follow_redirects=False)  # fmt: skip
    _expect_redirect(signed, "the company's sign-in")
    return _token(client.get("/me").text)


def signed_in_walk(
    settings: Settings, code: str, login: str, password: str, now: datetime
) -> tuple[Objection | None, Repair | None]:
    """The company's objection (upheld) and repair (approved, where one is possible), via the pages."""
    pack = node_pack(settings)
    app = create_app(settings, clock=lambda: now)
    with open_store(settings.store_url) as store, TestClient(app, base_url=PORTAL) as company:
        browser = TestClient(app, base_url=PORTAL)  # the department's, beside the company's
        csrf = _sign_in(company, login, password)
        objection = _object(company, browser, store, code, csrf, now)
        repair = _repair(company, browser, store, pack, code, csrf, now)
    return objection, repair


def _standing(store: Store, code: str) -> list[Record]:
    """The company's active records, negative ones first."""
    page = subject_records(store, code, records=ALL_RECORDS, limit=1000)
    active = [r for r in page.records if r.status == "active"]
    return sorted(active, key=lambda r: r.polarity != "negative")


def repairable_record(store: Store, pack: LoadedPack, code: str, now: datetime) -> Record | None:
    """The company's first active record whose credit repair is possible today, if any."""
    standing = _standing(store, code)
    possible = eligibilities(pack, standing, now=now)
    return next((r for r in standing if r.record_id in possible
                 and possible[r.record_id].eligible), None)  # fmt: skip


def _object(company: TestClient, browser: TestClient, store: Store, code: str, csrf: str,
            now: datetime) -> Objection | None:  # fmt: skip
    """Object to a record from ``/me``; its department upholds it at the desk."""
    standing = _standing(store, code)
    if not standing:
        return None
    target = standing[0]
    filed = company.post("/me/objections", data={
        "target": "record", "item": target.record_id, "reasons": "演示：该处罚已履行完毕",
        "csrf": csrf}, follow_redirects=False)  # fmt: skip
    _expect_redirect(filed, "filing the objection")
    (mine,) = [v.objection for v in objections_of(store, code, now=now)
               if v.objection.record_id == target.record_id and v.objection.state == "open"]  # fmt: skip
    with _desk(browser, store, target, now) as desk:
        decided = browser.post(f"/desk/objections/{mine.id}/decision", data={
            "ruling": "uphold", "reason": "演示：经复核，记录无误", "csrf": desk},
            follow_redirects=False)  # fmt: skip
        _expect_redirect(decided, "the department's decision")
    return next(
        v.objection for v in objections_of(store, code, now=now) if v.objection.id == mine.id
    )


def _repair(company: TestClient, browser: TestClient, store: Store, pack: LoadedPack, code: str,
            csrf: str, now: datetime) -> Repair | None:  # fmt: skip
    """Apply from ``/me`` to repair a record whose minimum period has passed; approved at the desk."""
    record = repairable_record(store, pack, code, now)
    if record is None:
        return None
    applied = company.post("/me/repairs", data={
        "record_id": record.record_id, "performed": "演示：罚款已缴清", "committed": "true",
        "csrf": csrf}, follow_redirects=False)  # fmt: skip
    _expect_redirect(applied, "applying for repair")
    (mine,) = [v.repair for v in repairs_of(store, code, now=now)
               if v.repair.record_id == record.record_id and v.repair.state == "open"]  # fmt: skip
    with _desk(browser, store, record, now) as desk:
        decided = browser.post(f"/desk/repairs/{mine.id}/decision", data={
            "decision": "approve", "reason": "演示：准予修复", "csrf": desk},
            follow_redirects=False)  # fmt: skip
        _expect_redirect(decided, "the department's repair decision")
    return next(v.repair for v in repairs_of(store, code, now=now) if v.repair.id == mine.id)
