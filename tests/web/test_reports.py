"""Credit reports and lists on the portal: a listed company's page, its PDF report, verification."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.api.conftest import COMPANY_NAME, PERSON_NAME, File
from tests.store.helpers import RESIDENT_ID
from tests.web.conftest import DEFAULTER_DOC
from xinyong.cli.main import app
from xinyong.clock import add_months
from xinyong.config import Settings
from xinyong.lists.views import list_entries
from xinyong.policy.loader import load_pack
from xinyong.store.engine import Store


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def test_a_listed_company_shows_the_list_with_its_basis(client: TestClient, listed: File) -> None:
    page = client.get(f"/subjects/{listed.company}", headers={"Accept-Language": "en"})
    assert "Black list" in page.text
    assert DEFAULTER_DOC in page.text
    assert "Not on any published list." not in page.text


def test_a_listing_shows_its_last_day_not_the_first_day_after_it(
    client: TestClient, listed: File, node_store: Store
) -> None:
    (view,) = list_entries(node_store, load_pack("national"), "judgment_defaulters").entries
    assert view.entry.listed_on is not None
    assert view.entry.expires_on is not None
    last = add_months(view.entry.listed_on, 24) - timedelta(days=1)  # the list's 24 months
    for url in (f"/subjects/{listed.company}", "/lists/judgment_defaulters"):
        text = client.get(url).text
        assert last.isoformat() in text
        assert view.entry.expires_on.isoformat() not in text


def test_the_report_holds_the_public_page_and_verifies_and_a_changed_copy_does_not(
    client: TestClient, listed: File, tmp_path: Path
) -> None:
    response = client.get(f"/reports/{listed.company}.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    assert COMPANY_NAME in text
    assert "国市监罚〔2026〕1号" in text  # the public penalty
    for hidden in (2, 3, 4, 5):  # shared, authorised, revoked, past its period
        assert f"国市监罚〔2026〕{hidden}号" not in text
    assert DEFAULTER_DOC in text  # the list entry's basis
    assert RESIDENT_ID not in text  # the representative's identity number
    code = response.headers["content-disposition"].split("credit-report-")[1].split(".pdf")[0]
    assert code in text
    page = client.get(f"/verify/{code}")
    assert page.status_code == 200
    assert COMPANY_NAME in page.text
    same = client.post(f"/verify/{code}", files={"report": ("r.pdf", pdf, "application/pdf")},
                       headers={"Accept-Language": "en"})  # fmt: skip
    assert "this report, unchanged" in same.text
    altered = pdf.replace(b"%PDF-1.7", b"%PDF-1.6", 1) if b"%PDF-1.7" in pdf else pdf + b"\n"
    changed = client.post(f"/verify/{code}", files={"report": ("r.pdf", altered, "application/pdf")},
                          headers={"Accept-Language": "en"})  # fmt: skip
    assert "not this report as issued" in changed.text
    assert client.get("/verify/AAAA-BBBB-CCCC-DDDD").status_code == 404


def test_a_persons_report_is_masked(client: TestClient, subject_file: File, tmp_path: Path) -> None:
    response = client.get(f"/reports/{subject_file.person}.pdf")
    text = _pdf_text(response.content, tmp_path)
    assert "350102********2349" in text
    assert RESIDENT_ID not in text
    assert PERSON_NAME not in text
    assert "国市监罚〔2026〕7号" in text  # the person's public record
    assert "国市监罚〔2026〕6号" not in text  # shared


def test_the_command_writes_a_report_that_the_portal_verifies(
    client: TestClient, node_settings: Settings, subject_file: File, tmp_path: Path
) -> None:
    out = tmp_path / "r.pdf"
    env = {"XINYONG_DATA_DIR": str(node_settings.data_dir),
           "XINYONG_DATABASE_URL": node_settings.store_url}  # fmt: skip
    result = CliRunner().invoke(app, ["report", subject_file.company, "--out", str(out),
                                      "--lang", "en"], env=env)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    code = result.stdout.split("verification code ")[1].strip()
    assert "Credit report" in _pdf_text(out.read_bytes(), tmp_path)
    verified = client.post(f"/verify/{code}", files={"report": ("r.pdf", out.read_bytes())},
                           headers={"Accept-Language": "en"})  # fmt: skip
    assert "this report, unchanged" in verified.text


def test_the_list_pages_show_published_lists_and_their_entries(
    client: TestClient, listed: File
) -> None:
    index = client.get("/lists", headers={"Accept-Language": "en"})
    assert index.status_code == 200
    assert 'href="/lists/judgment_defaulters"' in index.text
    page = client.get("/lists/judgment_defaulters", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert COMPANY_NAME in page.text
    assert DEFAULTER_DOC in page.text
    assert client.get("/lists/no_such_list").status_code == 404
