"""Pure rules of collection: dates, months, headers, formats, severities, value reading."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.clock import add_months
from xinyong.ingest.errors import EncodingError
from xinyong.ingest.mapper import CompiledMapping
from xinyong.ingest.readers import decode, header_key, sniff_format
from xinyong.ingest.values import parse_day
from xinyong.policy.loader import load_pack


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024/3/5", date(2024, 3, 5)),
        ("2024.03.05", date(2024, 3, 5)),
        ("2024年3月5日", date(2024, 3, 5)),
        ("２０２４年３月５日", date(2024, 3, 5)),  # full-width digits from a Chinese IME
        ("20240305", date(2024, 3, 5)),
        ("2024-03-05 00:00:00", date(2024, 3, 5)),
        (45356, date(2024, 3, 5)),  # an Excel serial
        (date(2024, 3, 5), date(2024, 3, 5)),
    ],
)
def test_dates_in_every_form_departments_write(written: object, day: date) -> None:
    assert parse_day(written) == day  # type: ignore[arg-type]


@pytest.mark.parametrize("written", ["2024-02-30", "5/3/2024", "yesterday", "", "2024", -1, 3e9])
def test_what_is_not_a_date_is_none(written: object) -> None:
    assert parse_day(written) is None  # type: ignore[arg-type]


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31)))
def test_every_date_survives_each_written_form(day: date) -> None:
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}",
                 f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d")):  # fmt: skip
        assert parse_day(text) == day


def test_months_end_on_the_last_day_of_a_shorter_month() -> None:
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2025, 5, 6), 12) == date(2026, 5, 6)
    assert add_months(date(2025, 1, 31), 0) == date(2025, 1, 31)


def test_headers_compare_after_nfkc_and_without_spaces() -> None:
    assert header_key("罚款金额（万元）") == header_key("罚款金额(万元)")
    assert header_key(" 行政相对人 名称 ") == "行政相对人名称"


def test_formats_are_known_by_content_before_name() -> None:
    assert sniff_format("penalty.csv", b"PK\x03\x04") == "xlsx"
    assert sniff_format("records.jsonl", b"{") == "jsonl"
    assert sniff_format("records.txt", b'{"a": 1}') == "jsonl"
    assert sniff_format("penalty.csv", b"\xe8\xa1\x8c") == "csv"


def test_encoding_detection_prefers_a_bom_then_utf8_then_gb18030() -> None:
    text = "行政相对人名称\n威海示例\n"
    assert decode("f", b"\xef\xbb\xbf" + text.encode()) == (text, "utf-8-sig")
    assert decode("f", text.encode()) == (text, "utf-8")
    assert decode("f", text.encode("gb18030")) == (text, "gb18030")
    cut = text.encode()[:-2]  # inside the last character
    with pytest.raises(EncodingError) as caught:
        decode("f", cut + b"\xe5")
    assert "UTF-8" in caught.value.render()


def _penalty_mapping() -> CompiledMapping:
    mapping = load_pack("national").pack.mapping("dp_penalty")
    assert mapping is not None
    header = ["行政相对人名称", "行政相对人类别", "行政相对人代码_1(统一社会信用代码)", "证件号码",
              "行政处罚决定书文号", "违法行为类型", "处罚类别", "罚款金额(万元)", "处罚决定日期",
              "备注"]  # fmt: skip
    return CompiledMapping(mapping, header, file="f")


@pytest.mark.parametrize(
    ("kind", "category", "fine_wan", "remark", "severity"),
    [
        ("法人及非法人组织", "罚款", "0.3", "", "minor"),  # 3,000 yuan: the organisation limit
        ("法人及非法人组织", "罚款", "0.31", "", "general"),
        ("自然人", "罚款", "0.02", "", "minor"),  # 200 yuan: the person limit
        ("自然人", "罚款", "0.03", "", "general"),
        ("法人及非法人组织", "警告", "0", "", "minor"),
        ("法人及非法人组织", "罚款", "0.1", "情节严重", "serious"),  # marked serious wins
    ],
)
def test_penalty_severity_follows_order_36_classes(
    kind: str, category: str, fine_wan: str, remark: str, severity: str
) -> None:
    row = ["甲", kind, "", "", "文号", "食品安全", category, fine_wan, "2025/5/6", remark]
    raw = _penalty_mapping().record(row)
    assert raw.severity == severity
    assert raw.payload["fine_yuan"] == Decimal(fine_wan) * 10000
    assert raw.payload["sector"] == "food_safety"
