"""The fast path of xinyong.codes agrees with the full parser and with stdnum.

:mod:`xinyong.codes.fast` may only ever accept what the full rules accept,
with the same result, and must accept every valid code an ingest sends
(else it would be a slow path with extra steps). Inputs mix valid codes,
near-misses (one character changed, a day in the future) and arbitrary
strings; the outcome of :func:`parse_code` — value or error and its message —
must be the same with and without the shortcut.
"""

from __future__ import annotations

import re
import string
from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st
from stdnum import numdb
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

from tests.property.test_codes_properties import resident_candidates, valid_usccs
from xinyong.codes import (
    PLACEHOLDER,
    USCC_ALPHABET,
    CodeError,
    SubjectCode,
    birth_date,
    fast,
    looks_like_resident_id,
    normalise,
    org_code_check_digit,
    parse_code,
    region,
)
from xinyong.codes.dispatch import _parse_code_full
from xinyong.codes.model import _normalise_full
from xinyong.codes.region import _birth_place, birth_place
from xinyong.codes.resident import _checked

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2035, 12, 31))


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A valid code with one character replaced (often invalid, sometimes still valid)."""
    code = draw(valid_usccs() | resident_candidates())
    index = draw(st.integers(0, 17))
    char = draw(st.sampled_from(USCC_ALPHABET + "XIOZ"))
    return code[:index] + char + code[index + 1 :]


codes = (
    valid_usccs()
    | resident_candidates()
    | near_misses()
    | st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=19)
    | st.text(alphabet=string.digits + "X", min_size=18, max_size=18)
    | st.just(PLACEHOLDER)
)


def _outcome(value: str, today: date) -> SubjectCode | tuple[type[CodeError], str]:
    try:
        return _parse_code_full(normalise(value), {}, today)
    except CodeError as error:
        return type(error), error.render()


def _outcome_of_parse_code(value: str, today: date) -> SubjectCode | tuple[type[CodeError], str]:
    try:
        return parse_code(value, today=today)
    except CodeError as error:
        return type(error), error.render()


@settings(max_examples=600)
@given(codes, days)
@example("620201199001010010", date(2026, 1, 1))  # stdnum's KeyError: 'county'
@example("110103200901010015", date(2026, 1, 1))  # 崇文区 still existed in 2009
def test_fast_parse_accepts_only_what_the_full_parser_accepts(value: str, today: date) -> None:
    full = _outcome(value, today)
    found = fast.parse(value, today)
    if found is not None:
        assert found == full
    elif isinstance(full, SubjectCode):
        # The one case left to the full path: a USCC shaped like a resident ID.
        assert full.kind == "uscc"
        assert looks_like_resident_id(full.value)
    assert _outcome_of_parse_code(value, today) == full


@settings(max_examples=300)
@given(valid_usccs() | resident_candidates(), days)
def test_fast_path_is_taken_for_valid_codes(value: str, today: date) -> None:
    full = _outcome(value, today)
    if isinstance(full, SubjectCode) and not (
        full.kind == "uscc" and looks_like_resident_id(value)
    ):
        assert fast.parse(value, today) == full


@given(st.text(alphabet=string.digits, min_size=17, max_size=17))
def test_resident_check_digit_is_stdnums(first17: str) -> None:
    assert fast.resident_check_digit(first17) == ric.calc_check_digit(first17 + "0")


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_uscc_check_digits_are_stdnums_and_gb11714(first17: str) -> None:
    assert fast.uscc_check_digit(first17) == stdnum_uscc.calc_check_digit(first17)
    assert fast.org_check_digit(first17[8:16]) == org_code_check_digit(first17[8:16])


@settings(max_examples=300)
@given(
    resident_candidates() | near_misses() | st.text(string.digits + "X", min_size=18, max_size=18)
)
def test_birth_date_shortcut_agrees_with_stdnum(value: str) -> None:
    try:
        expected = _checked(value)[2]
    except CodeError:
        assert fast.resident_birth_date(value) is None
        return
    assert fast.resident_birth_date(value) == expected == birth_date(value)


@settings(max_examples=300)
@given(resident_candidates())
@example("620201199001010010")
@example("110103200901010015")
def test_cached_birth_place_is_stdnums(value: str) -> None:
    born = ric.get_birth_date(value)
    try:
        expected = ric.get_birth_place(value)
    except (KeyError, ric.ValidationError):
        expected = None
    try:
        got = birth_place(value, born)
    except CodeError:
        got = None
    assert got == expected


@given(st.text() | st.text(alphabet=string.ascii_letters + string.digits + " -\u3000１ａ"))
@example("")
@example("ABC\n")
def test_normalise_shortcut_is_the_full_normalisation(raw: str) -> None:
    assert normalise(raw) == _normalise_full(raw)


def _divisions() -> list[str]:
    """Every 6-digit division code stdnum's table names (both ends of any range)."""
    table = numdb.get("cn/loc")
    found: set[str] = set()
    for _length, low, high, _props, children in table.prefixes:
        for province in {low, high}:
            for _l, child_low, child_high, _p, _c in children:
                found.update(province + suffix for suffix in (child_low, child_high))
    return sorted(found)


def _stdnum_birth_place(division: str, year: int) -> dict[str, str] | None:
    try:
        place: dict[str, str] = ric.get_birth_place(f"{division}{year:04d}01010000")
    except (KeyError, ValidationError):
        return None
    return place


def _ours(division: str, year: int) -> dict[str, str] | None:
    place = _birth_place(division, year)
    return None if place is None else dict(place)


def test_birth_place_is_stdnums_for_every_division_of_the_table() -> None:
    divisions = _divisions()
    assert len(divisions) > 3000  # the whole table, not a prefix of it
    for division in divisions:
        for year in (1950, 1985, 2000, 2026):
            assert _ours(division, year) == _stdnum_birth_place(division, year), (division, year)


def test_birth_place_is_stdnums_around_every_renaming() -> None:
    """Divisions renamed or abolished: the years on both sides of each bound."""
    bounded = [d for d in _divisions() if "[" in (_stdnum_info(d).get("county") or "")]
    assert len(bounded) > 100
    for division in bounded:
        years = {int(y) for y in re.findall(r"\d{4}", _stdnum_info(division)["county"])}
        for year in {y + delta for y in years for delta in (-1, 0, 1)}:
            assert _ours(division, year) == _stdnum_birth_place(division, year), (division, year)


@given(st.sampled_from(_divisions()), st.integers(1900, 2035))
@settings(max_examples=300)
def test_birth_place_is_stdnums_for_any_year(division: str, year: int) -> None:
    assert _ours(division, year) == _stdnum_birth_place(division, year)


def _stdnum_info(division: str) -> dict[str, str]:
    return {k: v for _part, props in numdb.get("cn/loc").info(division) for k, v in props.items()}


def test_the_unfolded_table_is_stdnums_for_every_division() -> None:
    unfolded = region._divisions()
    assert set(_divisions()) <= set(unfolded)  # every division the table names, and more
    for division, entry in unfolded.items():
        assert entry == _stdnum_info(division), division


@given(st.text(alphabet=string.digits, min_size=6, max_size=6))
@settings(max_examples=300)
def test_a_division_outside_the_table_is_looked_up_as_stdnum_does(division: str) -> None:
    assert region._entry(division) == _stdnum_info(division)
