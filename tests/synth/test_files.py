"""Department files: layouts, encodings, formats and the manifest that describes them."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest

from tests.synth.conftest import NOISY, manifest
from tests.synth.reading import data_rows, ric_is_valid
from xinyong.synth.service import GenerationReport

# Written out from POLICY-FACTS.md, not imported from the generator.
HEAD = ["行政相对人名称", "行政相对人类别", "行政相对人代码_1(统一社会信用代码)",
        "行政相对人代码_2(工商注册号)", "行政相对人代码_3(组织机构代码)",
        "行政相对人代码_4(税务登记号)", "行政相对人代码_5(事业单位证书号)",
        "行政相对人代码_6(社会组织登记证号)", "法定代表人", "法定代表人证件类型",
        "法定代表人证件号码", "证件类型", "证件号码"]  # fmt: skip
PENALTY = [*HEAD, "行政处罚决定书文号", "违法行为类型", "违法事实", "处罚依据", "处罚类别",
           "处罚内容", "罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）",
           "暂扣或吊销证照名称及编号", "处罚决定日期", "处罚有效期", "公示截止期", "处罚机关",
           "处罚机关统一社会信用代码", "数据来源单位", "数据来源单位统一社会信用代码", "备注"]  # fmt: skip
LICENSE = [*HEAD, "行政许可决定文书名称", "行政许可决定文书号", "许可类别", "许可证书名称",
           "许可编号", "许可内容", "许可决定日期", "有效期自", "有效期至", "许可机关",
           "许可机关统一社会信用代码", "当前状态", "数据来源单位", "数据来源单位统一社会信用代码",
           "备注"]  # fmt: skip


def files(report: GenerationReport) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = manifest(report)["files"]
    return entries


def test_double_publicity_files_have_the_28_and_30_fields_in_order(noisy: GenerationReport) -> None:
    assert (len(PENALTY), len(LICENSE)) == (30, 28)
    seen = set()
    for entry in files(noisy):
        if entry["items"] == ["adm.penalty"]:
            assert entry["headers"] == PENALTY, entry["path"]
        elif entry["items"] == ["adm.license"]:
            assert entry["headers"] == LICENSE, entry["path"]
        else:
            continue
        seen.add(entry["department"])
        data_rows(noisy.out, entry)  # checks the header actually written
    assert seen == {"samr", "tax", "eco", "transport"}


def test_double_publicity_values_follow_the_standard(noisy: GenerationReport) -> None:
    for entry in files(noisy):
        if entry["items"] not in (["adm.penalty"], ["adm.license"]):
            continue
        h = entry["headers"].index
        for row in data_rows(noisy.out, entry):
            assert row[h("行政相对人类别")] in {"法人及非法人组织", "自然人", "个体工商户"}
            if "罚款金额（万元）" in entry["headers"]:
                fine = float(row[h("罚款金额（万元）")])
                assert 0 <= fine < 1000
                assert datetime.strptime(row[h("公示截止期")], "%Y/%m/%d")
            else:
                end = row[h("有效期至")]
                assert end == "2099/12/31" or datetime.strptime(end, "%Y/%m/%d")


@pytest.mark.parametrize("department", ["transport", "hrss"])
def test_gb18030_files_decode_as_gb18030_and_not_as_utf8(
    noisy: GenerationReport, department: str
) -> None:
    entries = [e for e in files(noisy) if e["department"] == department]
    assert entries
    assert all(e["encoding"] == "gb18030" for e in entries)
    for entry in entries:
        raw = (noisy.out / entry["path"]).read_bytes()
        assert raw.decode("gb18030").startswith(entry["headers"][0])
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")


def test_utf8_files_have_a_bom_only_where_declared(noisy: GenerationReport) -> None:
    for entry in files(noisy):
        if entry["format"] == "csv" and entry["encoding"].startswith("utf-8"):
            raw = (noisy.out / entry["path"]).read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf") == (entry["encoding"] == "utf-8-sig")
            assert raw.count(b"\xef\xbb\xbf") == (entry["encoding"] == "utf-8-sig")


def test_xlsx_parts_open_with_openpyxl_and_stay_within_the_part_size(
    noisy: GenerationReport,
) -> None:
    xlsx = [e for e in files(noisy) if e["format"] == "xlsx"]
    assert {e["department"] for e in xlsx} == {"eco", "civil"}
    assert max(e["part"] for e in xlsx) > 1  # parts of 25 rows force a split
    assert any(e["title_row"] for e in xlsx)
    assert not all(e["title_row"] for e in xlsx)
    for entry in xlsx:
        book = openpyxl.load_workbook(noisy.out / entry["path"])
        sheet = book.worksheets[0]
        if entry["title_row"]:
            assert "威海市" in sheet.cell(1, 1).value
        assert [c.value for c in sheet[entry["header_row"]]] == entry["headers"]
        assert sheet.max_row - entry["header_row"] == entry["rows"] <= NOISY.xlsx_part_rows
        book.close()


def test_manifest_counts_and_hashes_match_the_files(noisy: GenerationReport) -> None:
    data = manifest(noisy)
    assert (data["seed"], data["subjects"], data["noise"]) == (11, 2000, 0.08)
    assert data["as_of"] == "2026-06-30"
    assert data["region"]["code"] == "371000"
    total = 0
    for entry in data["files"]:
        path = noisy.out / entry["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert len(data_rows(noisy.out, entry)) == entry["rows"]
        total += entry["rows"]
    assert total == data["rows"] == noisy.rows
    covered = {item for e in data["files"] for item in e["items"]}
    assert {"reg.natural_person", "reg.legal_person", "adm.license", "adm.penalty",
            "abn.operation", "honour.commendation", "tax.arrears", "tax.grade", "jud.judgment",
            "jud.defaulter", "si.arrears", "qual.professional", "donation.record",
            "volunteer.service", "contract.breach", "contract.fulfilment"} == covered  # fmt: skip


def test_record_dates_lie_in_the_five_years_before_as_of(clean: GenerationReport) -> None:
    start = date(2021, 7, 1)
    for entry in files(clean):
        if entry["items"][0].startswith("reg."):
            continue  # births and establishments reach further back
        column = entry["headers"].index(entry["date_column"])
        for row in data_rows(clean.out, entry):
            day = datetime.strptime(row[column], entry["date_format"]).date()
            assert start <= day <= date(2026, 6, 30), (entry["path"], row)


def test_document_numbers_are_unique_per_department(clean: GenerationReport) -> None:
    numbers: dict[str, list[str]] = {}
    for entry in files(clean):
        column = entry["headers"].index(entry["document_column"])
        numbers.setdefault(entry["department"], []).extend(
            row[column] for row in data_rows(clean.out, entry)
        )
    for department, found in numbers.items():
        assert len(found) == len(set(found)), department


def test_food_safety_penalties_come_in_three_severities(clean: GenerationReport) -> None:
    entry = next(e for e in files(clean) if e["path"] == "samr/penalty.csv")
    h = entry["headers"].index
    rows = [r for r in data_rows(clean.out, entry) if r[h("违法行为类型")] == "食品安全"]
    kinds = {r[h("处罚类别")].split(";")[0] for r in rows}
    assert {"警告", "罚款"} <= kinds
    assert any(r[h("备注")] == "情节严重" for r in rows)


def test_representative_ids_and_authority_codes_are_valid(clean: GenerationReport) -> None:
    from stdnum.cn import uscc

    for entry in files(clean):
        h = entry["headers"]
        for row in data_rows(clean.out, entry):
            for column, value in zip(h, row, strict=True):
                if value and column in ("法定代表人证件号码", "法定代表人身份证号码"):
                    assert ric_is_valid(value), (entry["path"], column, value)
                if value and column.endswith("机关统一社会信用代码"):
                    assert uscc.is_valid(value), (entry["path"], column, value)
