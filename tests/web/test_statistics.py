"""``/statistics``: what is counted (public records only), and the double-publicity delay rule."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tests.api.conftest import File
from xinyong.disclosure.statistics import _delays, _weighted_median
from xinyong.policy.loader import load_pack

EN = {"Accept-Language": "en"}


def test_the_page_counts_only_what_the_public_sees(client: TestClient, subject_file: File) -> None:
    page = client.get("/statistics", headers=EN)
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "<script" not in page.text
    # Of the seven penalties (February 2026), two are public and published: the company's
    # record 1 and the person's record 7. Shared, authorised, revoked or past their period: not.
    row = page.text.split("Administrative penalties</th>", 1)[1].split("</tr>", 1)[0]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    assert cells[-2:] == ["2", "0"]  # 2026-02, 2026-03 (the clock stands on 2026-03-02)
    assert sum(int(c.replace(",", "")) for c in cells) == 2


def test_a_department_is_on_time_within_seven_working_days() -> None:
    pack = load_pack("national")
    rows = [
        ("samr", date(2026, 3, 2), date(2026, 3, 11), 3),  # Monday → Wednesday next week: 7
        ("samr", date(2026, 3, 2), date(2026, 3, 12), 1),  # 8 working days: late
        ("tax", date(2026, 9, 30), date(2026, 10, 9), 2),  # across the National Day holiday
    ]
    samr, tax = _delays(pack, rows)
    assert (samr.decisions, samr.on_time, samr.median_working_days) == (4, 3, 7.0)
    assert tax.on_time == 2  # 30 Sep → 9 Oct spans the holiday week: few working days
    assert _weighted_median([(1, 1), (5, 1)], 2) == 3.0
    assert _weighted_median([(2, 3), (9, 1)], 4) == 2.0
