"""Broken and hostile department files (issue 3): a clear error, and the store as it was.

The files are tests/data/bad/, written by its make_corpus.py; a file that is
unusable as a whole must raise its own error code with a message naming the
file and what is wrong, and leave every table's row count unchanged. Files
with some bad rows apply the rest; their bad rows reach the quarantine, where
no cell may start a spreadsheet formula.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.data.bad import make_corpus
from tests.ingest.conftest import NOW
from tests.ingest.helpers import Node, counts
from xinyong.cli.main import app
from xinyong.ingest.errors import FileError
from xinyong.ingest.model import BatchReport
from xinyong.ingest.service import Upload, ingest_file, ingest_path
from xinyong.ingest.validate import MAX_LENGTHS
from xinyong.store.engine import Store
from xinyong.store.tables import record, rejected_row, subject

CORPUS = Path(make_corpus.__file__).parent
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def ingest(node: Node, name: str, department: str = "samr", **upload: Any) -> BatchReport:
    settings, store, pack = node
    data = (CORPUS / name).read_bytes()
    return ingest_file(
        store, pack, Upload(name, data, department, **upload), NOW,
        quarantine_dir=settings.data_dir / "quarantine",
    )  # fmt: skip


@pytest.fixture
def registered(node: Node) -> Node:
    """The node with the corpus's three enterprises registered."""
    report = ingest(node, "registry.csv")
    assert report.accepted == len(make_corpus.SUBJECTS)
    return node


def test_the_committed_corpus_is_what_make_corpus_writes() -> None:
    expected = make_corpus.corpus()
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix != ".py"}
    assert on_disk == set(expected)
    for name, data in expected.items():
        assert (CORPUS / name).read_bytes() == data, f"{name}: run make_corpus.py"


def _nul_offset(name: str) -> str:
    offset = (CORPUS / name).read_bytes().index(b"\x00")
    return f"binary data at byte {offset}"


# file, department, Upload options, error code, what the message must say besides the file name
WHOLE_FILE_ERRORS = [
    ("empty.csv", "samr", {}, "ingest-empty-file", ["is empty"]),
    ("blank.csv", "samr", {}, "ingest-empty-file", ["is empty"]),
    ("header-only.csv", "samr", {}, "ingest-no-rows", ["has a header but no data rows"]),
    ("unknown-columns.csv", "samr", {}, "ingest-unknown-layout", ["(序号, 单位名称, 金额)"]),
    ("garbage.csv", "samr", {}, "ingest-binary", ["binary data at byte 8"]),
    ("legacy.xls", "samr", {}, "ingest-binary", ["binary data at byte 8"]),
    ("nul.csv", "samr", {}, "ingest-binary", [_nul_offset("nul.csv")]),
    ("truncated-utf8.csv", "samr", {}, "ingest-encoding",
     ["not valid UTF-8", f"byte {(CORPUS / 'truncated-utf8.csv').stat().st_size - 1} (0xE6)"]),
    ("penalty-gb18030.csv", "samr", {"encoding": "utf-8"}, "ingest-encoding",
     ["not valid UTF-8", "cannot be decoded"]),
    ("bom-gb18030.csv", "samr", {}, "ingest-encoding", ["not valid UTF-8: byte 3"]),
    ("utf16.csv", "samr", {}, "ingest-utf16", ["is UTF-16 text", "CSV UTF-8"]),
    ("other-department.csv", "tax", {}, "ingest-mapping-department",
     ["mapping samr_registry is for samr, not for department tax"]),
    ("not-a-workbook.xlsx", "samr", {}, "ingest-bad-xlsx", ["no item named '[Content_Types].xml'"]),
    ("truncated.xlsx", "samr", {}, "ingest-bad-xlsx", ["File is not a zip file"]),
    ("bomb.xlsx", "samr", {}, "ingest-xlsx-inflates", ["unpacks to 40 MB", "split the workbook"]),
    # csv would read the rest of the file into one cell: the file is refused at its end.
    ("unclosed-quote.csv", "samr", {}, "ingest-bad-csv", ["line 3", "is never closed"]),
    # Damage the reader meets only while rows are being applied: the batch rolls back.
    ("corrupt-sheet.xlsx", "samr", {}, "ingest-bad-xlsx", ["not well-formed"]),
    ("damaged-archive.xlsx", "samr", {}, "ingest-bad-xlsx", ["Bad CRC-32"]),
    ("penalty-gb18030.csv", "samr", {"encoding": "latin-42"}, "ingest-unknown-encoding",
     ["'latin-42' is not known"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "department", "options", "code", "says"),
    WHOLE_FILE_ERRORS,
    ids=[f"{case[0]}-{case[3]}" for case in WHOLE_FILE_ERRORS],
)
def test_an_unusable_file_is_refused_whole_and_changes_nothing(
    registered: Node,
    name: str,
    department: str,
    options: dict[str, str],
    code: str,
    says: list[str],
) -> None:
    _, store, _ = registered
    before = counts(store)
    with pytest.raises(FileError) as caught:
        ingest(registered, name, department, **options)
    assert caught.value.code == code
    message = caught.value.render()
    if code != "ingest-unknown-encoding":  # a wrong option, not a wrong file
        assert name in message
    for words in says:
        assert words in message
    assert counts(store) == before


# Too big to commit: written to tmp_path by make_corpus's helpers, read from disk.
BUILT_ERRORS: list[tuple[str, Callable[[], bytes], str, list[str]]] = [
    ("one-line.csv", make_corpus.ten_megabyte_line, "ingest-line-too-long",
     ["line 1 is longer than 1048576 bytes"]),
    ("huge-cell.csv", make_corpus.huge_cell, "ingest-bad-csv",
     ["line 2 cannot be read as CSV", "field larger than field limit"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "build", "code", "says"), BUILT_ERRORS, ids=[c[0] for c in BUILT_ERRORS]
)
def test_a_big_unusable_file_is_refused_whole_and_changes_nothing(
    registered: Node,
    tmp_path: Path,
    name: str,
    build: Callable[[], bytes],
    code: str,
    says: list[str],
) -> None:
    settings, store, _ = registered
    path = tmp_path / name
    path.write_bytes(build())
    before = counts(store)
    with pytest.raises(FileError) as caught:
        ingest_path(settings, path, "samr", NOW)
    assert caught.value.code == code
    message = caught.value.render()
    assert name in message
    for words in says:
        assert words in message
    assert counts(store) == before


def test_a_file_over_the_nodes_limit_is_refused_before_it_is_read(
    registered: Node, tmp_path: Path
) -> None:
    settings, store, _ = registered
    path = tmp_path / "registry.csv"
    path.write_bytes((CORPUS / "registry.csv").read_bytes() + b"\r\n" * (3 << 20))  # 6 MB
    before = counts(store)
    small = settings.model_copy(update={"ingest_max_file_bytes": 5 << 20})
    with pytest.raises(FileError) as caught:
        ingest_path(small, path, "samr", NOW)
    assert caught.value.code == "ingest-file-too-large"
    assert "registry.csv is 6 MB, more than the 5 MB" in caught.value.render()
    assert counts(store) == before
    # The same file under the default limit is read (its blank lines are layout).
    assert ingest_path(settings, path, "samr", NOW).duplicates == len(make_corpus.SUBJECTS)


def test_a_nul_past_the_first_64_kib_is_found(registered: Node) -> None:
    # The reader once looked only at the head; PostgreSQL then failed mid-batch.
    _, store, pack = registered
    data = make_corpus.late_nul()
    before = counts(store)
    with pytest.raises(FileError) as caught:
        ingest_file(store, pack, Upload("late.csv", data, "samr"), NOW)
    assert caught.value.code == "ingest-binary"
    offset = data.index(b"\x00")
    assert offset > 1 << 16
    assert (
        f"late.csv is not a CSV, XLSX or JSON Lines file (it holds binary data at byte {offset})"
        == caught.value.render()
    )
    assert counts(store) == before


def test_a_gb18030_file_read_as_detected_is_accepted(registered: Node) -> None:
    """The control for the wrong declared encoding: the file itself is fine."""
    report = ingest(registered, "penalty-gb18030.csv")
    assert (report.encoding, report.accepted, report.rows) == ("gb18030", 1, 1)


def test_mac_line_ends_over_a_megabyte_are_read(tmp_path: Path, registered: Node) -> None:
    settings, _, _ = registered
    path = tmp_path / "mac.csv"
    path.write_bytes(make_corpus.mac_line_ends())
    report = ingest_path(settings, path, "samr", NOW)
    assert (report.rows, report.accepted, report.rejected) == (4, 4, 0)


def quarantine_rows(report: BatchReport) -> list[list[str]]:
    assert report.quarantine is not None
    with Path(report.quarantine).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize("name", ["formula.csv", "formula.xlsx"])
def test_formula_cells_are_neutralised_in_the_quarantine(registered: Node, name: str) -> None:
    report = ingest(registered, name)
    assert report.accepted == 1  # row 1: a formula for a name is only text
    assert report.rejected_by_code == {"uscc-check-digit": 1}
    header, *rows = quarantine_rows(report)
    cells = [cell for row in [header, *rows] for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_START)] == []
    [row] = [dict(zip(header, r, strict=True)) for r in rows]
    assert row["row"] == "2"
    assert row["行政相对人名称"] == "'" + make_corpus.FORMULA
    assert row["违法事实"] == "'+1+1"
    assert row["处罚内容"] == "'-2+3"
    assert row["备注"] == "'@SUM(A1:A9)"
    if name.endswith(".csv"):  # a formula in a header cell, and its column
        assert row["'=1+2"] == "'=1+2"  # (PostgreSQL's JSONB reorders the columns)


def test_sql_and_html_in_text_are_stored_verbatim(registered: Node) -> None:
    _, store, _ = registered
    before = counts(store)
    registration = ingest(registered, "injection-registry.csv")
    penalty = ingest(registered, "injection-penalty.csv")
    assert (registration.accepted, penalty.accepted) == (1, 1)
    after = counts(store)
    assert after["record"] == before["record"] + 2
    assert after["subject"] == before["subject"] + 1
    with store.engine.connect() as conn:
        name = conn.execute(
            select(subject.c.name).where(subject.c.code == make_corpus.uscc(3))
        ).scalar_one()
        payloads = dict(
            conn.execute(
                select(record.c.catalog_item, record.c.payload).where(
                    record.c.batch_id.in_([registration.batch_id, penalty.batch_id])
                )
            ).all()
        )
    assert name == make_corpus.SQL
    assert payloads["reg.legal_person"]["address"] == make_corpus.HTML
    assert payloads["adm.penalty"]["facts"] == make_corpus.HTML
    assert payloads["adm.penalty"]["basis"] == make_corpus.SQL


def test_duplicate_document_numbers_inside_one_file(registered: Node) -> None:
    _, store, _ = registered
    report = ingest(registered, "duplicates.csv")
    assert (report.rows, report.accepted, report.duplicates) == (4, 2, 1)
    assert report.rejected_by_code == {"duplicate-document-in-file": 1}
    with store.engine.connect() as conn:
        [refused] = conn.execute(
            select(rejected_row).where(rejected_row.c.batch_id == report.batch_id)
        ).all()
        stored = conn.execute(
            select(record.c.document_number, record.c.payload)
            .where(record.c.batch_id == report.batch_id)
            .order_by(record.c.document_number)
        ).all()
    assert (refused.row_number, refused.field) == (4, "document_number")
    assert "荣市监罚〔2025〕012号 appears again (first at row 3)" in refused.message
    # The first row of a number stands; the differing second one changed nothing.
    fines = [(number, payload["fine_yuan"]) for number, payload in stored]
    assert fines == [("荣市监罚〔2025〕011号", 5000), ("荣市监罚〔2025〕012号", 5000)]


def test_values_longer_than_the_store_keeps_are_rejected_rows(registered: Node) -> None:
    """They used to fail the whole batch on PostgreSQL (varchar) and pass on SQLite."""
    _, store, _ = registered
    penalty = ingest(registered, "long-document-number.csv")
    names = ingest(registered, "long-names.csv")
    assert (penalty.accepted, penalty.rejected_by_code) == (1, {"value-too-long": 1})
    assert (names.accepted, names.rejected_by_code) == (0, {"value-too-long": 2})
    assert rejected_by_row(store, penalty.batch_id) == {
        2: ("document_number", "value-too-long",
            "document_number has 211 characters; at most 200 are kept: check the column"),
    }  # fmt: skip
    fields = {n: f for n, (f, _, _) in rejected_by_row(store, names.batch_id).items()}
    assert fields == {1: "subject_name", 2: "legal_rep_name"}


def test_the_length_limits_are_the_store_columns() -> None:
    columns = {
        "document_number": record.c.document_number,
        "subject_name": subject.c.name,
        "legal_rep_name": subject.c.legal_rep_name,
    }
    assert {name: column.type.length for name, column in columns.items()} == MAX_LENGTHS


def rejected_by_row(store: Store, batch_id: int) -> dict[int, tuple[str | None, str, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(rejected_row).where(rejected_row.c.batch_id == batch_id)).all()
    return {r.row_number: (r.field, r.error_code, r.message) for r in rows}


def test_a_bad_json_line_is_rejected_and_the_others_applied(registered: Node) -> None:
    _, store, _ = registered
    report = ingest(registered, "bad-line.jsonl")
    assert (report.rows, report.accepted) == (3, 2)
    [(number, (field, code, message))] = rejected_by_row(store, report.batch_id).items()
    assert (number, field, code) == (2, None, "json-invalid")
    assert message.startswith("not a JSON object: ")


def test_hostile_json_lines_are_rejected_one_by_one(registered: Node) -> None:
    """Huge numbers, deep nesting, smuggled fields, NUL and lone surrogates: each a row
    refused with its reason (they used to crash the batch, on PostgreSQL or everywhere)."""
    _, store, _ = registered
    report = ingest(registered, "hostile.jsonl")
    assert (report.rows, report.accepted, report.rejected) == (7, 1, 6)
    found = rejected_by_row(store, report.batch_id)
    assert {n: (f, c) for n, (f, c, _) in found.items()} == {
        2: (None, "json-invalid"),
        3: (None, "json-invalid"),
        4: ("registration.passport_photo", "payload-unknown-field"),
        5: ("payload.facts", "text-character"),
        6: ("subject_name", "text-character"),
        7: (None, "json-invalid"),
    }
    assert "too many digits" in found[2][2]
    assert "nested too deeply" in found[3][2]
    assert "U+0000" in found[5][2]
    assert "U+D800" in found[6][2]
    quarantined = {r[0] for r in quarantine_rows(report)[1:]}
    assert quarantined == {str(n) for n in found}
    with store.engine.connect() as conn:
        smuggled = select(func.count()).where(subject.c.code == make_corpus.uscc(7))
        assert conn.execute(smuggled).scalar_one() == 0


runner = CliRunner()


@pytest.mark.parametrize(
    ("name", "department", "line"),
    [
        ("empty.csv", "samr", "error[ingest-empty-file]: empty.csv is empty"),
        ("other-department.csv", "tax", "error[ingest-mapping-department]: other-department.csv: "
         "mapping samr_registry is for samr, not for department tax"),
    ],
    ids=["empty.csv", "other-department.csv"],
)  # fmt: skip
def test_the_cli_prints_one_red_line_and_exits_1(
    tmp_path: Path, store_url: str, name: str, department: str, line: str
) -> None:
    env = {
        "XINYONG_DATA_DIR": str(tmp_path / "data"),
        "XINYONG_DATABASE_URL": store_url,
        "XINYONG_JURISDICTION": "rongcheng",
        "XINYONG_LOCALE": "en",
    }
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    result = runner.invoke(app, ["ingest", str(CORPUS / name), "--department", department], env=env)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    [printed] = result.stderr.splitlines()
    assert printed.startswith(line)
    assert "Traceback" not in result.output
