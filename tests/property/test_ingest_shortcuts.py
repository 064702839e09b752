"""The ingest's shortcuts give what the plain code gave: dates, content hashes, JSON.

Each shortcut exists for speed only (see benchmarks/ingest.py); a content
hash that changed would make every stored record look corrected, so the
encodings are compared with the plain ``json.dumps`` they replace.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import date
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from xinyong.ingest.values import _CHINESE, _COMPACT, _ISO, content_hash, parse_day
from xinyong.store.engine import _json_dumps

iso_like = st.builds(
    lambda y, m, d, sep: f"{y:04d}{sep}{m:02d}{sep}{d:02d}",
    st.integers(0, 9999),
    st.integers(0, 19),
    st.integers(0, 39),
    st.sampled_from(["-", "-", "/", ".", ""]),
)


@given(
    iso_like
    | st.text(alphabet="0123456789-/. 年月日T:１\n\t\u3000", max_size=14)
    | st.text(max_size=12)
)
@example("2024-02-29")
@example("2023-02-29")
@example("0000-01-01")
def test_parse_day_shortcut_agrees_with_the_full_rules(text: str) -> None:
    normal = unicodedata.normalize("NFKC", text).strip()  # what parse_day did for all text
    match = _ISO.match(normal) or _CHINESE.match(normal) or _COMPACT.match(normal)
    expected = None
    if match is not None:
        try:
            expected = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            expected = None
    assert parse_day(text) == expected


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=8), json_values | st.dates(), max_size=8))
def test_content_hash_is_the_canonical_json_hash(values: dict[str, Any]) -> None:
    text = json.dumps(
        values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    assert content_hash(values) == hashlib.sha256(text.encode("utf-8")).hexdigest()


@given(json_values)
@example({"名称": "荣成", "n": 1})
def test_store_json_is_compact_readable_json(value: Any) -> None:
    assert _json_dumps(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_parse_day_keeps_dates_and_serials() -> None:
    assert parse_day(date(2020, 1, 2)) == date(2020, 1, 2)
    assert parse_day(" 2020-01-02 ") == date(2020, 1, 2)
    assert parse_day("2020年1月2日") == date(2020, 1, 2)
