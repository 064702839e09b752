"""Hypothesis properties of xinyong.codes: normalising, parsing against stdnum, masking.

Valid codes are generated from the division codes in stdnum's own table and
given check digits by stdnum (the USCC) and by GB 11714 written out here (the
embedded organisation code), so "valid" never depends on the code under test.
"""

from __future__ import annotations

import string
from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st
from stdnum import numdb
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from xinyong.codes import (
    COMPOUND_SURNAMES,
    SUBJECT_TYPES,
    USCC_ALPHABET,
    CheckDigitError,
    CodeError,
    CodeKind,
    CodeLengthError,
    OrgCodeCheckDigitError,
    UnknownAuthorityError,
    UnknownEntityTypeError,
    UsccCharacterError,
    UsccDivisionFormatError,
    UsccPlaceholderError,
    UsccRegionError,
    mask_code,
    mask_name,
    normalise,
    parse_code,
    parse_resident_id,
    parse_uscc,
)

TODAY = date(2026, 11, 23)


def _table_divisions() -> list[str]:
    """Every 6-digit code stdnum's cn/loc table names (read from its parsed prefixes)."""
    found = []
    for _len, province, _high, _props, children in numdb.get("cn/loc").prefixes:
        for _len2, rest, _high2, props, _children in children:
            if props.get("county"):
                found.append(province + rest)
    return sorted(found)


DIVISIONS = _table_divisions()
DIVISION_SET = frozenset(DIVISIONS)


def gb11714(body: str) -> str:
    values = {c: i for i, c in enumerate(string.digits + string.ascii_uppercase)}
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(values[c] * w for c, w in zip(body, weights, strict=True)) % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def ric_is_valid(value: str) -> bool:
    """stdnum's verdict, with its KeyError: 'county' read as "invalid"."""
    try:
        return bool(ric.is_valid(value))
    except KeyError:
        return False


# --- strategies ------------------------------------------------------------------------

authority_types = st.sampled_from(sorted(a + t for a, t in SUBJECT_TYPES))
divisions = st.sampled_from(DIVISIONS)
org_bodies = st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8)


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    head = draw(authority_types) + draw(divisions)
    body = draw(org_bodies)
    seventeen = head + body + gb11714(body)
    return seventeen + stdnum_uscc.calc_check_digit(seventeen)


@st.composite
def stdnum_valid_strings(draw: st.DrawFn) -> str:
    """18 characters stdnum accepts: digits in 1–8, alphabet after, stdnum's check digit."""
    head = draw(st.text(alphabet=string.digits, min_size=8, max_size=8))
    tail = draw(st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9))
    return head + tail + stdnum_uscc.calc_check_digit(head + tail)


@st.composite
def resident_candidates(draw: st.DrawFn) -> str:
    """A real division, a real date and stdnum's check digit: often, not always, valid."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)))
    body = (
        draw(divisions)
        + born.strftime("%Y%m%d")
        + draw(st.text(string.digits, min_size=3, max_size=3))
    )
    return body + ric.calc_check_digit(body + "0")


_FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in string.digits + string.ascii_uppercase}


@st.composite
def typed_variants(draw: st.DrawFn, code: str) -> str:
    """``code`` as a clerk might type it: full-width, lower case, spaces, hyphens."""
    out = []
    for char in code:
        form = draw(st.sampled_from(["same", "full", "lower", "full-lower"]))
        if form in ("lower", "full-lower"):
            char = char.lower()
        if form.startswith("full"):
            char = chr(ord(char) + 0xFEE0) if char.isascii() and char.isalnum() else char
        out.append(char)
        out.append(draw(st.sampled_from(["", "", "", " ", "\u3000", "-", "－", "\t"])))
    return draw(st.sampled_from(["", " ", "\u3000"])) + "".join(out)


# --- normalise -------------------------------------------------------------------------


@given(st.text())
@example("e \u0301x")
@example("ｘ\u3000－")
def test_normalise_is_idempotent(raw: str) -> None:
    once = normalise(raw)
    assert normalise(once) == once


@given(st.text(alphabet=string.ascii_letters + string.digits + " \u3000-ａｂｘ１２\u0301\u00a0"))
def test_normalise_leaves_no_space_hyphen_or_lower_ascii(raw: str) -> None:
    once = normalise(raw)
    assert not any(c.isspace() or c == "-" or c in string.ascii_lowercase for c in once)


# --- USCC ------------------------------------------------------------------------------


@given(valid_usccs())
def test_generated_uscc_parses(code: str) -> None:
    parsed = parse_uscc(code)
    assert parsed.value == code
    assert parsed.kind is CodeKind.USCC
    assert parsed.allowlisted is None
    assert parse_code(code, today=TODAY) == parsed


@given(st.data())
def test_typed_variants_parse_to_the_same_value(data: st.DataObject) -> None:
    code = data.draw(valid_usccs())
    variant = data.draw(typed_variants(code))
    assert normalise(variant) == code
    assert parse_uscc(variant).value == code


@given(valid_usccs(), st.integers(0, 17), st.sampled_from(USCC_ALPHABET + "IOZSV#a"))
def test_one_changed_character_never_parses(code: str, index: int, char: str) -> None:
    changed = code[:index] + char + code[index + 1 :]
    if normalise(changed) == code:  # "a" at an "A", or the same character
        return
    try:
        parsed = parse_uscc(changed)
    except CodeError:
        return
    raise AssertionError(f"{changed} parsed as {parsed.value} (from {code})")


_FORMAT_ERRORS = (UsccCharacterError, UsccDivisionFormatError, CodeLengthError, CheckDigitError)
_EXTRA_ERRORS = (
    UnknownAuthorityError,
    UnknownEntityTypeError,
    UsccRegionError,
    OrgCodeCheckDigitError,
    UsccPlaceholderError,
)


@settings(max_examples=300)
@given(st.text(alphabet=USCC_ALPHABET, min_size=18, max_size=18))
def test_parse_uscc_agrees_with_stdnum_on_arbitrary_strings(value: str) -> None:
    stdnum_says = bool(stdnum_uscc.is_valid(value))
    refused: CodeError | None = None
    try:
        parse_uscc(value)
    except CodeError as error:
        refused = error
    if refused is not None:
        # We may refuse what stdnum accepts only for the rules stdnum does not check.
        assert not stdnum_says or isinstance(refused, _EXTRA_ERRORS), refused
        return
    assert stdnum_uscc.calc_check_digit(value[:17]) == value[17]
    if value[0].isdigit():
        assert stdnum_says


@settings(max_examples=300)
@given(stdnum_valid_strings())
def test_parse_uscc_on_stdnum_valid_strings_fails_only_for_its_own_rules(value: str) -> None:
    assert stdnum_uscc.is_valid(value)
    ours_should_accept = (
        (value[0], value[1]) in SUBJECT_TYPES
        and (value[2:8] in DIVISION_SET or value[2:8] == "100000")
        and gb11714(value[8:16]) == value[16]
    )
    try:
        parse_uscc(value)
    except _EXTRA_ERRORS:
        assert not ours_should_accept
    else:
        assert ours_should_accept


# --- resident IDs -------------------------------------------------------------------------


def _agrees_with_stdnum(value: str) -> None:
    try:
        parsed = parse_resident_id(value, today=TODAY)
    except CodeError:
        accepted = False
    else:
        accepted = True
        assert parsed.value == value
    stdnum_says = ric_is_valid(value) and ric.get_birth_date(value) <= TODAY
    assert accepted == stdnum_says


@settings(max_examples=300)
@given(st.text(alphabet=string.digits + "X", min_size=18, max_size=18))
def test_parse_resident_id_agrees_with_stdnum_on_arbitrary_strings(value: str) -> None:
    _agrees_with_stdnum(value)


@settings(max_examples=300)
@given(resident_candidates())
@example("620201199001010010")  # stdnum raises KeyError: 'county' for this one
@example("110103200901010015")  # 崇文区 still existed in 2009
def test_parse_resident_id_agrees_with_stdnum_on_plausible_numbers(value: str) -> None:
    _agrees_with_stdnum(value)


@given(st.text(string.digits, min_size=15, max_size=15))
def test_fifteen_digit_numbers_convert_as_stdnum_would_check_them(old: str) -> None:
    body = old[:6] + "19" + old[6:]
    converted = body + ric.calc_check_digit(body + "0")
    try:
        parsed = parse_resident_id(old, today=TODAY)
    except CodeError:
        assert not ric_is_valid(converted)
    else:
        assert (parsed.value, parsed.converted_from) == (converted, old)
        assert ric_is_valid(converted)


@settings(max_examples=300)
@given(st.text(alphabet=USCC_ALPHABET, min_size=18, max_size=18) | resident_candidates())
def test_parse_code_result_is_valid_for_its_kind(value: str) -> None:
    try:
        parsed = parse_code(value, today=TODAY)
    except CodeError:
        return
    if parsed.kind is CodeKind.RESIDENT_ID:
        assert ric_is_valid(parsed.value)
    else:
        assert stdnum_uscc.calc_check_digit(parsed.value[:17]) == parsed.value[17]


# --- masking -------------------------------------------------------------------------------


@given(
    st.text(alphabet=USCC_ALPHABET + "x *ｘ１-\u3000", max_size=24) | st.text(max_size=24),
    st.integers(0, 20),
    st.integers(0, 20),
)
@example("11010519491231123X", 6, 4)
def test_mask_code_reveals_at_most_head_and_tail(code: str, head: int, tail: int) -> None:
    value = normalise(code)
    masked = mask_code(code, keep_head=head, keep_tail=tail)
    assert len(masked) == len(value)
    revealed = [i for i, c in enumerate(masked) if c != "*"]
    assert len(revealed) <= head + tail
    assert len(revealed) < len(value) or not value
    for i in revealed:
        assert masked[i] == value[i]
        assert i < head or i >= len(value) - tail


cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
chinese_names = st.builds(
    lambda surname, given: surname + given,
    st.sampled_from(sorted(COMPOUND_SURNAMES)) | st.text(cjk, min_size=1, max_size=1),
    st.text(st.one_of(cjk, st.just("·")), max_size=4),
)
latin_names = st.text(alphabet=string.ascii_letters + " -'.", max_size=20)


@given(chinese_names | latin_names | st.text(max_size=12), st.integers(0, 6))
def test_mask_name_keeps_length_and_reveals_at_most_keep_units(name: str, keep: int) -> None:
    masked = mask_name(name, keep)
    assert len(masked) == len(name)
    letters = [i for i, c in enumerate(name) if c.isalnum()]
    revealed = [i for i in letters if masked[i] == name[i]]
    for i, (before, after) in enumerate(zip(name, masked, strict=True)):
        assert after == before or (after == "*" and before.isalnum()), (i, name, masked)
    assert len(revealed) <= 2 * keep  # a compound surname counts as one unit of two
    if not any(0x3400 <= ord(c) <= 0x3134F for c in name):
        assert len(revealed) <= keep
    if letters:
        assert len(revealed) < len(letters)  # never the whole name
    if keep == 0:
        assert revealed == []
