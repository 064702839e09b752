"""A CSV without quotes is read line by line: the same rows as through csv, and skippable.

:mod:`xinyong.ingest.readers` reads such files without the csv module so that
checking workers can pass over each other's chunks unread. The rows (header,
numbers, cells, blank lines skipped) must be exactly those csv gives, and
skipping a chunk must land where reading it would.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.ingest import readers

HEADER = "统一社会信用代码,名称,日期"
cells = st.text(alphabet=st.sampled_from("ab 甲,\t;"), max_size=6)
lines = st.lists(cells, max_size=30).map(lambda rows: rows)
ending = st.sampled_from(["\n", "\r\n"])


def _table(text: str, plain: bool) -> readers.Table:
    def is_header(row: object) -> bool:
        return list(row) == HEADER.split(",")  # type: ignore[call-overload]

    if plain:
        table = readers._read_plain_csv("f.csv", text, "utf-8", is_header)
        assert table is not None
        return table
    original = readers._plain
    readers._plain = lambda _text: False  # type: ignore[assignment]
    try:
        return readers._read_csv("f.csv", text, "utf-8", is_header)
    finally:
        readers._plain = original


@given(st.lists(cells, min_size=1, max_size=30), ending, st.booleans(), st.booleans())
@settings(max_examples=300)
def test_plain_rows_are_csvs_rows(body: list[str], end: str, title: bool, last: bool) -> None:
    text = ("标题" + end if title else "") + HEADER + end + end.join(["x", *body])
    text += end if last else ""
    assert readers._plain(text)
    ours, theirs = _table(text, plain=True), _table(text, plain=False)
    assert (ours.header, ours.header_row) == (theirs.header, theirs.header_row)
    assert list(ours.rows) == [(n, list(c)) for n, c in theirs.rows]


@given(st.lists(cells, min_size=1, max_size=40), st.integers(1, 7), st.integers(0, 6))
@settings(max_examples=300)
def test_skipping_lands_where_reading_would(body: list[str], size: int, chunks: int) -> None:
    text = HEADER + "\r\n" + "\r\n".join(["x", *body]) + "\r\n"
    everything = list(_table(text, plain=True).rows)
    rows = _table(text, plain=True).rows
    skipped = sum(rows.skip(size) for _ in range(chunks))  # type: ignore[attr-defined]
    assert skipped == min(len(everything), size * chunks)
    assert list(rows) == everything[skipped:]


def test_a_file_with_quotes_or_lone_carriage_returns_takes_the_csv_path() -> None:
    assert not readers._plain('a,"b,c"\n')
    assert not readers._plain("a,b\rc,d\r")
    assert readers._plain("a,b\r\nc,d\n")
