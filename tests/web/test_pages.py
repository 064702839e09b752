"""The portal's pages from the HTTP side: what the public finds and sees, and nothing more.

The node and its subject file are the API tests' (tests/api/conftest.py): a
company and a person with records in every scope — public, shared,
authorised, revoked, past their public period.
"""

from __future__ import annotations

import re
from datetime import datetime

from fastapi.testclient import TestClient

from tests.api.conftest import COMPANY_NAME, PERSON_NAME, File, app_for
from tests.store.helpers import RESIDENT_ID, USCC_2
from xinyong.config import Settings
from xinyong.registry.model import SubjectRegistration
from xinyong.registry.service import register_subject
from xinyong.store.engine import Store
from xinyong.store.uow import UnitOfWork

MASKED_ID = "350102********2349"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
EN = {"Accept-Language": "en-GB,en;q=0.8"}


def _doc(n: int) -> str:
    return f"国市监罚〔2026〕{n}号"  # the subject file's record n (see tests/api/conftest.py)


def test_pages_are_chinese_unless_asked_and_the_switch_remembers_english(
    client: TestClient,
) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    assert "信用" in page.text
    assert '<html lang="en">' in client.get("/", headers=EN).text
    back = {"Referer": "http://testserver/search?q=%E7%A6%8F%E5%B7%9E"}
    switched = client.get("/lang/en", headers=back, follow_redirects=False)
    assert (switched.status_code, switched.headers["location"]) == (
        303,
        "/search?q=%E7%A6%8F%E5%B7%9E",
    )
    assert '<html lang="en">' in client.get("/", headers=ZH).text  # the cookie outranks the browser
    client.cookies.clear()
    away = client.get(
        "/lang/en", headers={"Referer": "https://evil.example/x"}, follow_redirects=False
    )
    assert away.headers["location"] == "/"  # never a redirect off the site


def test_every_page_carries_a_strict_csp_with_a_fresh_nonce_and_no_inline_script(
    client: TestClient,
) -> None:
    first, second = client.get("/"), client.get("/")
    policy = first.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert policy != second.headers["content-security-policy"]
    assert first.headers["x-content-type-options"] == "nosniff"
    assert not re.search(r"<script(?![^>]*\bsrc=)", first.text)  # no inline script at all
    assert "content-security-policy" not in client.get("/api/v1/health").headers


def test_a_company_is_found_by_part_of_its_chinese_name(
    client: TestClient, subject_file: File
) -> None:
    page = client.get("/search", params={"q": "示例科技"})
    assert page.status_code == 200
    assert COMPANY_NAME in page.text
    assert f'href="/subjects/{subject_file.company}"' in page.text
    short = client.get("/search", params={"q": "示例"})  # two characters: a scan, same answer
    assert COMPANY_NAME in short.text
    assert client.get("/search", params={"q": "示"}).status_code == 400


def test_a_person_is_never_found_by_name_and_by_code_only_masked(
    client: TestClient, subject_file: File
) -> None:
    for query in (PERSON_NAME, PERSON_NAME[:2], PERSON_NAME[1:]):
        page = client.get("/search", params={"q": query}, headers=EN)
        assert f"Nothing found for {query}." in page.text  # only the query, echoed
        assert 'href="/subjects/' not in page.text
        assert MASKED_ID not in page.text
        assert RESIDENT_ID not in page.text
    by_code = client.get("/search", params={"q": RESIDENT_ID})
    assert MASKED_ID in by_code.text
    assert "李**" in by_code.text
    assert _doc(7) in by_code.text  # the person's public record, shown in place
    assert PERSON_NAME not in by_code.text
    assert RESIDENT_ID not in by_code.text  # not echoed, not linked


def test_a_person_without_a_public_record_is_not_found_even_by_code(
    client: TestClient, node_store: Store, now: datetime
) -> None:
    quiet = "110101199003074477"  # a valid resident ID, registered, with no record at all
    register_subject(UnitOfWork(node_store), SubjectRegistration(quiet, "王静"), now)
    page = client.get("/search", params={"q": quiet})
    assert page.status_code == 200
    assert "王" not in page.text
    assert quiet not in page.text
    assert "110101********4477" in page.text  # what was asked, masked


def test_the_subject_page_shows_public_records_only(client: TestClient, subject_file: File) -> None:
    page = client.get(f"/subjects/{subject_file.company}")
    assert page.status_code == 200
    assert COMPANY_NAME in page.text
    assert _doc(1) in page.text  # public
    for hidden in (2, 3, 4, 5):  # shared, authorised, revoked, past its period
        assert _doc(hidden) not in page.text
    assert "未按规定公示年度报告" in page.text  # a public payload field
    assert "内部" not in page.text  # a field the catalog does not declare public
    assert RESIDENT_ID not in page.text  # the legal representative's identity number


def test_a_persons_page_is_masked(client: TestClient, subject_file: File) -> None:
    page = client.get(f"/subjects/{subject_file.person}")
    assert page.status_code == 200
    assert MASKED_ID in page.text
    assert RESIDENT_ID not in page.text
    assert PERSON_NAME not in page.text
    assert _doc(7) in page.text
    assert _doc(6) not in page.text  # shared


def test_hostile_names_are_escaped_on_every_page(
    client: TestClient, node_store: Store, now: datetime
) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>有限公司'
    register_subject(UnitOfWork(node_store), SubjectRegistration(USCC_2, hostile), now)
    for url, params in (("/search", {"q": "有限公司"}), (f"/subjects/{USCC_2}", {})):
        page = client.get(url, params=params)
        assert "<script>alert" not in page.text
        assert "<img src=x" not in page.text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    echoed = client.get("/search", params={"q": "<b>示例</b>"})
    assert "<b>示例</b>" not in echoed.text


def test_unknown_and_malformed_codes_are_pages_not_tracebacks(client: TestClient) -> None:
    missing = client.get(f"/subjects/{USCC_2}")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]
    malformed = client.get("/subjects/12345", headers=EN)
    assert malformed.status_code == 400
    assert "Traceback" not in malformed.text
    assert "18" in malformed.text  # the message says how long a code is


def test_searches_past_the_rate_of_one_address_are_refused_with_retry_after(
    node_settings: Settings, now: datetime
) -> None:
    settings = node_settings.model_copy(
        update={"portal_search_burst": 2, "portal_search_per_second": 0.05}
    )
    with TestClient(app_for(settings, now)) as client:
        codes = [client.get("/search", params={"q": "示例科技"}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        refused = client.get("/search", params={"q": "示例科技"}, headers=EN)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert "Too many searches" in refused.text
        assert client.get("/").status_code == 200  # other pages are not counted


def test_like_wildcards_in_a_query_match_nothing_by_themselves(
    client: TestClient, subject_file: File
) -> None:
    for wild in ("%%", "%_%", "___", "%%%%"):
        page = client.get("/search", params={"q": wild}, headers=EN)
        assert COMPANY_NAME not in page.text, wild
    assert COMPANY_NAME in client.get("/search", params={"q": "示例%科技"}).text
