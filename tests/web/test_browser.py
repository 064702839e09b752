"""The portal in a real browser: Debian's Chromium driven by Playwright, against a live server.

Chromium is launched by its path (no browser download; STACK-NOTES). The
server is uvicorn in a thread over the subject file's node. Screenshots go
to ``test-artifacts/portal/`` (kept by CI as artefacts; ignored by git).
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import uvicorn
from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.api.conftest import COMPANY_NAME, File
from tests.web.conftest import DEFAULTER_DOC
from xinyong.api.app import create_app
from xinyong.checks.service import Checker
from xinyong.config import Settings
from xinyong.keys.model import Principal, Role
from xinyong.keys.service import create_key
from xinyong.policy.loader import load_pack
from xinyong.rights.account_service import invite_account
from xinyong.store.engine import Store

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery"
CHECKER = Principal(key_id=99, prefix="chk000099", name="民航售票核查", role=Role.CHECKER)
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "portal"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def portal(node_settings: Settings, listed: File) -> Iterator[str]:
    port = _free_port()
    # Plain HTTP on the loopback, as the demo serves it: sessions without the Secure flag.
    settings = node_settings.model_copy(update={"portal_secure_cookies": False})
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                            log_level="warning", access_log=False)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the portal did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


def _shot(page: Page, name: str, store_url: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    database = "pg" if store_url.startswith("postgresql") else "sqlite"
    page.screenshot(path=str(ARTEFACTS / f"{name}-{database}.png"), full_page=True)


def test_search_open_the_company_switch_language_download_the_report_and_verify_it(
    portal: str, browser: Browser, subject_file: File, store_url: str
) -> None:
    page = browser.new_page(locale="zh-CN", accept_downloads=True)
    page.goto(portal + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.get_by_label("按名称或代码查询").first.fill("示例科技")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=COMPANY_NAME)).to_be_visible()
    _shot(page, "search", store_url)
    page.get_by_role("link", name=COMPANY_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY_NAME)
    expect(page.get_by_text("国市监罚〔2026〕1号")).to_be_visible()  # the public penalty
    expect(page.get_by_text("国市监罚〔2026〕2号")).to_have_count(0)  # shared: not shown
    listing = page.locator("article.listing")  # on the judgment-defaulter list …
    expect(listing).to_contain_text("黑名单")
    expect(listing).to_contain_text(DEFAULTER_DOC)  # … resting on the court's order
    _shot(page, "subject-zh", store_url)
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Public records")).to_be_visible()
    assert page.url.endswith(f"/subjects/{subject_file.company}")  # back on the same page
    _shot(page, "subject-en", store_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the credit report (PDF)").click()
    report = (
        ARTEFACTS / f"credit-report-{'pg' if store_url.startswith('postgresql') else 'sqlite'}.pdf"
    )
    download.value.save_as(report)
    text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert COMPANY_NAME in text
    code = download.value.suggested_filename.removeprefix("credit-report-").removesuffix(".pdf")
    page.goto(f"{portal}/verify/{code}")
    expect(
        page.get_by_text(f"Genuine: this node issued a report with verification code {code}.")
    ).to_be_visible()
    page.get_by_label("Check a file against it").set_input_files(str(report))
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("The file you gave is this report, unchanged.")
    _shot(page, "verified", store_url)
    page.close()


def test_the_keyboard_reaches_the_search_from_the_skip_link(portal: str, browser: Browser) -> None:
    page = browser.new_page(locale="en-GB")
    page.goto(portal + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.close()


def test_sign_in_see_who_checked_object_with_evidence_and_see_the_departments_decision(
    portal: str, browser: Browser, listed: File, node_store: Store, store_url: str,
    tmp_path: Path, now: datetime,
) -> None:  # fmt: skip
    invite_account(node_store, subject_code=listed.company, login="company-agent",
                   password=PASSWORD, agent="张三", actor="operator", now=now)  # fmt: skip
    _, samr_key = create_key(node_store, name="市场监管局", role="department", department="samr",
                             jurisdiction="national", actor="test", now=now)  # fmt: skip
    checker = Checker(node_store, load_pack("national"))
    checker.check(CHECKER, listed.company, "flight_ticket", now)  # a look the subject will see
    checker.flush()
    evidence = tmp_path / "回单.png"
    Image.new("RGB", (8, 8), "white").save(evidence, format="PNG")

    page = browser.new_page(locale="zh-CN")
    page.goto(portal + "/signin")
    page.get_by_label("账号").fill("company-agent")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("我的信用档案")
    expect(page.locator("#main")).to_contain_text("失信被执行人名单: 已列入")  # named, in words
    history = page.locator("table").last
    expect(history).to_contain_text("办理事项时核查")  # a check …
    expect(history).to_contain_text("flight_ticket")  # … for buying an air ticket
    _shot(page, "my-file", store_url)
    to_record = page.locator("form.objection").first  # the other objects to a list entry
    to_record.get_by_label("提出异议的记录").select_option(label="国市监罚〔2026〕1号 (2026-02-01)")
    to_record.get_by_label("异议理由").fill("罚款已缴纳，附银行回单")
    to_record.get_by_label("证明材料（PDF、JPEG 或 PNG）").set_input_files(str(evidence))
    to_record.get_by_role("button", name="提交异议").click()
    expect(page.locator("#objections + ul")).to_contain_text("处理中")
    _shot(page, "objection-filed", store_url)

    desk = browser.new_page(locale="zh-CN")
    desk.goto(portal + "/desk/signin")
    desk.get_by_label("API 密钥").fill(samr_key)
    desk.get_by_role("button", name="登录").click()
    expect(desk.get_by_text("罚款已缴纳，附银行回单")).to_be_visible()
    expect(desk.get_by_text("回单.png")).to_be_visible()
    desk.get_by_label("决定", exact=True).select_option("revoke")
    desk.get_by_label("书面理由").fill("处罚决定已依法撤销")
    _shot(desk, "desk", store_url)
    desk.get_by_role("button", name="作出决定").click()
    expect(desk.get_by_text("暂无待处理事项。")).to_have_count(2)  # objections and repairs alike
    desk.close()

    page.reload()
    outcome = page.locator("#objections + ul")
    expect(outcome).to_contain_text("已撤销")
    expect(outcome).to_contain_text("处罚决定已依法撤销")
    _shot(page, "objection-decided", store_url)
    page.close()
