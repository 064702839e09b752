"""Write the bad-input corpus: what a broken or hostile department export looks like.

Run ``.venv/bin/python -m tests.data.bad.make_corpus`` (or this file) to
regenerate the files beside it; a test checks that the committed files are
exactly what this script writes, so edit the script, never the files.
tests/ingest/test_bad_inputs.py says what the ingest must do with each one.
Files that would be big (a 10 MB line, a NUL past the first 64 KiB, a cell
past csv's field limit) are built at test time by the helpers here instead.

All subjects are Rongcheng (371082) enterprises registered by ``registry.csv``;
the penalty files use the national 30-column layout (mapping dp_penalty).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl

from xinyong.synth.ids import make_uscc
from xinyong.synth.layouts import DP_PENALTY

HERE = Path(__file__).resolve().parent
FORMULA = '=HYPERLINK("http://evil","x")'
SQL = "'; DROP TABLE record; --"
HTML = "<script>alert(1)</script>"
NAME, FACTS = "行政相对人名称", "违法事实"
REGISTRY = (
    "登记通知书文号", "统一社会信用代码", "企业名称", "市场主体类型",
    "法定代表人（负责人、经营者）", "法定代表人证件号码", "成立日期", "注册资本（万元）",
    "住所（经营场所）", "登记机关", "登记状态",
)  # fmt: skip
NAMES = ("荣成海味食品有限公司", "荣成石岛渔具有限公司", "荣成成山运输有限公司")


def uscc(index: int) -> str:
    """A valid credit code of a Rongcheng enterprise (authority 9, type 1)."""
    return make_uscc("91", "371082", f"MA{index:06d}")


SUBJECTS = tuple(uscc(i) for i in range(len(NAMES)))


def wrong_check_digit(code: str) -> str:
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def registry_row(index: int, name: str, address: str = "荣成市成山大道1号") -> list[str]:
    return [
        f"荣市监登字〔2020〕第{index:05d}号", uscc(index), name, "有限责任公司", "王海",
        "", "2020-03-05", "100", address, "荣成市市场监督管理局", "存续",
    ]  # fmt: skip


def penalty_row(code: str, document: str, cells: dict[str, str] | None = None) -> list[str]:
    """One valid penalty row of the 30-column layout; ``cells`` override by column name."""
    row = dict.fromkeys(DP_PENALTY, "")
    row.update(
        {
            "行政相对人名称": "荣成海味食品有限公司",
            "行政相对人类别": "法人及非法人组织",
            "行政相对人代码_1(统一社会信用代码)": code,
            "行政处罚决定书文号": document,
            "违法行为类型": "食品安全",
            "违法事实": "销售过期食品",
            "处罚依据": "《中华人民共和国食品安全法》第一百二十四条",
            "处罚类别": "罚款",
            "罚款金额（万元）": "0.5",
            "处罚决定日期": "2025/06/01",
            "处罚机关": "荣成市市场监督管理局",
            "备注": "情节轻微",
        }
    )
    unknown = set(cells or {}) - row.keys()
    assert not unknown, unknown
    row.update(cells or {})
    return [row[column] for column in DP_PENALTY]


def csv_text(header: Sequence[str], rows: Sequence[Sequence[str]], sep: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def penalty_csv(rows: Sequence[Sequence[str]], encoding: str = "utf-8") -> bytes:
    return csv_text(DP_PENALTY, rows).encode(encoding)


def unclosed_quote_csv() -> bytes:
    """Three penalty rows; the second's first cell opens a quote that is never closed."""
    rows = [penalty_row(SUBJECTS[i], f"荣市监罚〔2025〕30{i}号") for i in range(3)]
    header, first, second, third = csv_text(DP_PENALTY, rows).splitlines(keepends=True)
    return (header + first + '"' + second + third).encode("utf-8")


def registry_csv() -> bytes:
    rows = [registry_row(i, name) for i, name in enumerate(NAMES)]
    return csv_text(REGISTRY, rows).encode("utf-8-sig")


def xlsx(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """A workbook whose bytes depend only on its cells (fixed timestamps in zip and core.xml)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))  # a text starting with "=" is written as a formula
    raw = io.BytesIO()
    book.save(raw)
    return _rezip(raw.getvalue())


def _rezip(
    data: bytes,
    change: Callable[[str, bytes], bytes] = lambda _n, b: b,
    extra: tuple[str, bytes] | None = None,
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", body)  # fmt: skip
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, change(info.filename, body))
        if extra is not None:  # a part of its own, e.g. one that inflates 1000:1
            added = zipfile.ZipInfo(extra[0], date_time=(2026, 1, 1, 0, 0, 0))
            added.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(added, extra[1])
    return out.getvalue()


def formula_rows() -> list[list[str]]:
    """Row 1 valid with a formula for a name; row 2 the same with a wrong check digit
    (so it lands in the quarantine) and formula starts in other cells."""
    return [
        penalty_row(SUBJECTS[0], "荣市监罚〔2025〕101号", {NAME: FORMULA}),
        penalty_row(
            wrong_check_digit(SUBJECTS[1]),
            "荣市监罚〔2025〕102号",
            {NAME: FORMULA, FACTS: "+1+1", "处罚内容": "-2+3", "备注": "@SUM(A1:A9)"},
        ),
    ]


def many_rows_xlsx() -> bytes:
    rows = [penalty_row(SUBJECTS[i % 3], f"荣市监罚〔2025〕{1000 + i}号") for i in range(150)]
    return xlsx(DP_PENALTY, rows)


def corrupt_sheet(name: str, body: bytes) -> bytes:
    """The sheet's XML broken near its end: found only while rows are being applied."""
    if name != "xl/worksheets/sheet1.xml":
        return body
    cut = len(body) * 9 // 10
    return body[:cut] + b"<row <<< not xml"


def damaged_archive(data: bytes) -> bytes:
    """The workbook with 16 bytes of the sheet's compressed stream overwritten: it still
    inflates, but its CRC fails when the sheet's last block is read (mid-batch)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        info = book.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    spoiled = bytearray(data)
    at = start + info.compress_size * 3 // 4
    spoiled[at : at + 16] = b"\xff" * 16
    return bytes(spoiled)


def jsonl(*lines: object) -> bytes:
    out = []
    for line in lines:
        out.append(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False))
    return ("\n".join(out) + "\n").encode("utf-8")


def penalty_object(code: str, document: str, **fields: object) -> dict[str, object]:
    payload = {"violation_type": "食品安全", "penalty_kind": "罚款", "facts": "销售过期食品"}
    return {
        "subject_code": code,
        "subject_name": "荣成海味食品有限公司",
        "catalog_item": "adm.penalty",
        "document_number": document,
        "decided_on": "2025-06-01",
        "severity": "general",
        "payload": payload,
        **fields,
    }


def hostile_jsonl() -> bytes:
    nul_payload = {"violation_type": "食品安全", "penalty_kind": "罚款", "facts": "a\u0000b"}
    registration = {
        "subject_code": uscc(7),
        "subject_name": "荣成新港物流有限公司",
        "catalog_item": "reg.legal_person",
        "document_number": "荣市监登字〔2021〕第00007号",
        "decided_on": "2021-04-01",
        "registration": {"legal_rep_name": "李静", "passport_photo": "base64…"},
    }
    return jsonl(
        penalty_object(SUBJECTS[0], "荣市监罚〔2025〕301号"),
        f'{{"subject_code": "{SUBJECTS[0]}", "decided_on": {"9" * 5000}}}',
        "[" * 5000 + "]" * 5000,
        registration,
        # Dumped with ensure_ascii: the file holds the escapes \\u0000 and \\ud800 (raw,
        # they would be a NUL byte, refused with the whole file, and invalid UTF-8).
        json.dumps(penalty_object(SUBJECTS[1], "荣市监罚〔2025〕305号", payload=nul_payload)),
        json.dumps(penalty_object(SUBJECTS[2], "荣市监罚〔2025〕306号", subject_name="x\ud800y")),
        "[1, 2, 3]",
    )


def ten_megabyte_line() -> bytes:
    """One line of 10 MiB: a CSV written without line breaks, or not a CSV at all."""
    return b"a," * (5 << 20)


def late_nul(rows: int = 400) -> bytes:
    """A valid file with one NUL byte after the first 64 KiB."""
    body = [penalty_row(SUBJECTS[i % 3], f"荣市监罚〔2025〕{2000 + i}号") for i in range(rows)]
    body.append(penalty_row(SUBJECTS[0], "荣市监罚〔2025〕2999号", {FACTS: "x\x00y"}))
    data = penalty_csv(body)
    assert data.index(b"\x00") > 1 << 16
    return data


def huge_cell() -> bytes:
    """A cell longer than csv.field_size_limit() (131,072) on a line shorter than 1 MB."""
    return penalty_csv([penalty_row(SUBJECTS[0], "荣市监罚〔2025〕401号", {FACTS: "长" * 150_000})])


def mac_line_ends() -> bytes:
    """Excel for Mac's "CSV (Macintosh)": lines end in CR alone; over 1 MB in all."""
    rows = [
        penalty_row(SUBJECTS[i % 3], f"荣市监罚〔2025〕{500 + i}号", {FACTS: "事" * 100_000})
        for i in range(4)
    ]
    data = penalty_csv(rows).replace(b"\r\n", b"\r")
    assert len(data) > 1 << 20
    assert b"\n" not in data
    return data


def corpus() -> dict[str, bytes]:
    """File name → bytes of every committed corpus file."""
    valid = [penalty_row(SUBJECTS[0], "荣市监罚〔2025〕001号", {"备注": "当场改正"})]
    truncated = penalty_csv(valid)
    cut = truncated.rindex("正".encode()) + 1  # one byte into a three-byte character
    formula = xlsx(DP_PENALTY, formula_rows())
    many = many_rows_xlsx()
    not_a_book = io.BytesIO()
    with zipfile.ZipFile(not_a_book, "w") as archive:
        info = zipfile.ZipInfo("readme.txt", date_time=(2026, 1, 1, 0, 0, 0))
        archive.writestr(info, "这不是工作簿 / not a workbook\n")
    garbage = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(3).randbytes(2000)
    return {
        "registry.csv": registry_csv(),
        "empty.csv": b"",
        "blank.csv": b"\r\n   \r\n\t\r\n",
        "header-only.csv": csv_text(DP_PENALTY, []).encode("utf-8-sig"),
        "unknown-columns.csv": csv_text(
            ("序号", "单位名称", "金额"), [("1", "某公司", "100")]
        ).encode("utf-8"),
        "garbage.csv": garbage,
        "legacy.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "truncated-utf8.csv": truncated[:cut],
        "penalty-gb18030.csv": penalty_csv(valid, "gb18030"),
        "bom-gb18030.csv": b"\xef\xbb\xbf" + penalty_csv(valid, "gb18030"),
        "utf16.csv": csv_text(DP_PENALTY, valid, sep="\t").encode("utf-16"),
        "nul.csv": penalty_csv(
            [penalty_row(SUBJECTS[0], "荣市监罚〔2025〕002号", {FACTS: "过期\x00"})]
        ),
        "formula.csv": csv_text(
            [*DP_PENALTY, "=1+2"], [[*r, "=1+2"] for r in formula_rows()]
        ).encode("utf-8"),
        "formula.xlsx": formula,
        "bomb.xlsx": _rezip(formula, extra=("xl/media/padding.bin", bytes(40 << 20))),
        "unclosed-quote.csv": unclosed_quote_csv(),
        "injection-registry.csv": csv_text(REGISTRY, [registry_row(3, SQL, HTML)]).encode(
            "utf-8-sig"
        ),
        "injection-penalty.csv": penalty_csv(
            [
                penalty_row(
                    SUBJECTS[0], "荣市监罚〔2025〕201号", {NAME: SQL, FACTS: HTML, "处罚依据": SQL}
                )
            ]
        ),
        "duplicates.csv": penalty_csv(
            [
                penalty_row(SUBJECTS[0], "荣市监罚〔2025〕011号"),
                penalty_row(SUBJECTS[0], "荣市监罚〔2025〕011号"),  # the same again
                penalty_row(SUBJECTS[1], "荣市监罚〔2025〕012号"),
                penalty_row(
                    SUBJECTS[1], "荣市监罚〔2025〕012号", {"罚款金额（万元）": "5"}
                ),  # differs
            ]
        ),
        "long-document-number.csv": penalty_csv(
            [
                penalty_row(SUBJECTS[0], "荣市监罚〔2025〕031号"),
                penalty_row(SUBJECTS[1], "荣市监罚〔2025〕" + "第" * 200 + "号"),  # 211 characters
            ]
        ),
        "long-names.csv": csv_text(
            REGISTRY,
            [
                registry_row(8, "荣成" + "海" * 299 + "公司"),  # 303 characters
                [*registry_row(9, "荣成好运来有限公司")[:4], "王" * 101, *registry_row(9, "")[5:]],
            ],
        ).encode("utf-8-sig"),
        "other-department.csv": csv_text(
            REGISTRY, [registry_row(4, "荣成税务测试有限公司")]
        ).encode("utf-8-sig"),
        "not-a-workbook.xlsx": not_a_book.getvalue(),
        "truncated.xlsx": formula[: len(formula) // 2],
        "corrupt-sheet.xlsx": _rezip(many, corrupt_sheet),
        "damaged-archive.xlsx": damaged_archive(many),
        "bad-line.jsonl": jsonl(
            penalty_object(SUBJECTS[0], "荣市监罚〔2025〕021号"),
            f'{{"subject_code": "{SUBJECTS[1]}", "catalog_item": ',
            penalty_object(SUBJECTS[2], "荣市监罚〔2025〕023号"),
        ),
        "hostile.jsonl": hostile_jsonl(),
    }


def main(out: Path = HERE) -> None:
    for name, data in corpus().items():
        (out / name).write_bytes(data)
        print(f"wrote {name} ({len(data):,} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
