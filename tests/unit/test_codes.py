"""Unit tests of xinyong.codes: every path, every error class, real-looking codes.

Valid codes are built with stdnum's check digits (as the registry would issue
them); the resident ID check digit is also recomputed here from the GB 11643
weights, so a wrong use of stdnum would show.
"""

from __future__ import annotations

import re
import string
from datetime import date

import pytest
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from xinyong.codes import (
    BirthDateError,
    CheckDigitError,
    CodeError,
    CodeKind,
    CodeLengthError,
    DivisionFormatError,
    EmptyCodeError,
    FutureBirthDateError,
    OrgCodeCheckDigitError,
    Region,
    ResidentIdCharacterError,
    ResidentIdCheckDigitError,
    ResidentIdLengthError,
    ResidentIdRegionError,
    SubjectCode,
    SubjectKind,
    SubjectType,
    UnknownAuthorityError,
    UnknownDivisionError,
    UnknownEntityTypeError,
    UsccCharacterError,
    UsccDivisionFormatError,
    UsccLengthError,
    UsccPlaceholderError,
    UsccRegionError,
    birth_date,
    is_placeholder,
    looks_like_resident_id,
    mask_code,
    mask_name,
    normalise,
    org_code_check_digit,
    parse_code,
    parse_resident_id,
    parse_uscc,
    region_of,
    sex,
    subject_type,
)
from xinyong.errors import XinyongError, error_classes
from xinyong.i18n import translate

TODAY = date(2026, 11, 23)
REAL_USCC = "91350100M000100Y43"  # a real, valid code (Fujian, Fuzhou)
STDNUM_EXAMPLE = "91110000600037341L"  # stdnum's own doctest example


def gb11714(body: str) -> str:
    """Independent GB 11714 check, written from the weights in POLICY-FACTS."""
    values = {c: i for i, c in enumerate(string.digits + string.ascii_uppercase)}
    check = (
        11 - sum(values[c] * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    )
    return "X" if check == 10 else "0" if check == 11 else str(check)


def gb11643(body17: str) -> str:
    """Independent GB 11643 check, written from the weights in POLICY-FACTS."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights, strict=True)) % 11]


def make_uscc(head: str, org_body: str) -> str:
    """A USCC with correct check digits: ``head`` is authority+type+division (8)."""
    seventeen = head + org_body + gb11714(org_body)
    return seventeen + stdnum_uscc.calc_check_digit(seventeen)


def make_resident(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def raises(exc: type[CodeError], func: object, *args: object, **kwargs: object) -> CodeError:
    assert callable(func)
    with pytest.raises(exc) as info:
        func(*args, **kwargs)
    assert type(info.value) is exc, f"{type(info.value).__name__} raised, wanted {exc.__name__}"
    return info.value


# --- normalise, placeholder ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91350100M000100Y43", "91350100M000100Y43"),
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),  # full-width
        ("9135 0100\u3000M000-100Y43\t\n", "91350100M000100Y43"),  # spaces, U+3000, hyphen
        ("91350100m000100y43", "91350100M000100Y43"),
        ("11010519491231002x", "11010519491231002X"),
        ("110105－19491231－002ｘ", "11010519491231002X"),  # full-width hyphen and x
        ("1101 05\u2013194912\u201431002X", "11010519491231002X"),  # en and em dashes
        ("", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
    assert normalise(expected) == expected


def test_normalise_is_a_fixed_point_after_combining_marks() -> None:
    # Dropping the space lets NFKC compose e + U+0301; one pass would not be idempotent.
    once = normalise("e \u0301x")
    assert once == "ÉX"
    assert normalise(once) == once


@pytest.mark.parametrize(
    "raw", ["00000000000000000X", "00000000000000000x", "0000 0000 0000 0000 0X"]
)
def test_is_placeholder(raw: str) -> None:
    assert is_placeholder(raw)


@pytest.mark.parametrize("raw", ["000000000000000000", "00000000000000000Y", REAL_USCC, ""])
def test_is_not_placeholder(raw: str) -> None:
    assert not is_placeholder(raw)


# --- USCC: valid ----------------------------------------------------------------------


def test_real_uscc_parses() -> None:
    code = parse_uscc(REAL_USCC)
    assert code == SubjectCode(REAL_USCC, CodeKind.USCC)
    assert code.subject_kind is SubjectKind.LEGAL
    assert code.allowlisted is None
    assert code.converted_from is None
    assert str(code) == REAL_USCC


def test_stdnum_example_parses_and_its_org_code_checks() -> None:
    assert parse_uscc(STDNUM_EXAMPLE).value == STDNUM_EXAMPLE
    assert org_code_check_digit("60003734") == "1" == gb11714("60003734")
    assert org_code_check_digit("M000100Y") == "4" == gb11714("M000100Y")


@pytest.mark.parametrize(
    ("body", "check"),
    [("00000000", "0"), ("00000006", "X"), ("00000001", "9"), ("10000000", "8")],
)
def test_org_code_check_digit_maps_10_to_x_and_11_to_0(body: str, check: str) -> None:
    # Sums 0 → 11 → "0"; 12 (6 × 2) → 10 → "X"; 2 → "9"; 3 → "8".
    assert org_code_check_digit(body) == gb11714(body) == check


@pytest.mark.parametrize(
    "head",
    ["N2440300", "A1110000", "Y1110105", "11100000", "53371082", "92350100", "93620200"],
)
def test_authorities_stdnum_rejects_and_national_division_are_accepted(head: str) -> None:
    code = make_uscc(head, "MA0BC12D")
    assert parse_uscc(code).value == code


def test_stdnum_rejects_letter_authorities_we_accept() -> None:
    code = make_uscc("N2440300", "MA0BC12D")
    assert not stdnum_uscc.is_valid(code)  # stdnum wants digits in 1–8
    assert stdnum_uscc.calc_check_digit(code[:17]) == code[17]


def test_historic_division_is_accepted_for_uscc() -> None:
    code = make_uscc("91110103", "60003734")  # 崇文区, abolished 2010
    assert parse_uscc(code).value == code


def test_uscc_normalises_input() -> None:
    assert parse_uscc(" 9135-0100 m000 100y43 ").value == REAL_USCC


# --- USCC: every error ------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", "--"])
def test_uscc_empty(raw: str) -> None:
    err = raises(EmptyCodeError, parse_uscc, raw)
    assert err.code == "code-empty"
    assert err.status == 422


def test_uscc_placeholder() -> None:
    err = raises(UsccPlaceholderError, parse_uscc, "00000000000000000x")
    assert err.code == "uscc-placeholder"
    assert "00000000000000000X is the placeholder" in str(err)
    assert "individual business" in str(err)
    assert "not a typing error" in str(err)


@pytest.mark.parametrize("raw", ["91350100M000100Y4", "91350100M000100Y431", "9"])
def test_uscc_length(raw: str) -> None:
    err = raises(UsccLengthError, parse_uscc, raw)
    assert err.code == "uscc-length"
    assert err.fields == {"actual": len(raw), "expected": 18}
    assert f"has {len(raw)} characters; it should have 18" in str(err)


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "#", "é"])
@pytest.mark.parametrize("position", [1, 9, 18])
def test_uscc_character(bad: str, position: int) -> None:
    raw = REAL_USCC[: position - 1] + bad + REAL_USCC[position:]
    err = raises(UsccCharacterError, parse_uscc, raw)
    assert err.code == "uscc-character"
    assert err.fields == {"char": bad, "position": position}
    assert f"character “{bad}” at position {position}" in str(err)
    assert "except I, O, Z, S and V" in str(err)


@pytest.mark.parametrize("authority", ["0", "B", "M", "X"])
def test_uscc_unknown_authority(authority: str) -> None:
    err = raises(UnknownAuthorityError, parse_uscc, authority + REAL_USCC[1:])
    assert err.code == "uscc-authority"
    assert err.fields["authority"] == authority
    assert err.fields["allowed"] == "1 2 3 4 5 6 7 8 9 A N Y"
    assert f"registration authority code “{authority}” (character 1)" in str(err)


@pytest.mark.parametrize(
    ("pair", "allowed"),
    [("94", "1 2 3"), ("36", "1 2 3 4 5 9"), ("Y2", "1"), ("2A", "1 9"), ("80", "1 9")],
)
def test_uscc_unknown_entity_type(pair: str, allowed: str) -> None:
    err = raises(UnknownEntityTypeError, parse_uscc, pair + REAL_USCC[2:])
    assert err.code == "uscc-entity-type"
    assert err.fields == {"type": pair[1], "authority": pair[0], "allowed": allowed}
    assert f"entity type code “{pair[1]}” (character 2)" in str(err)


def test_uscc_division_must_be_digits() -> None:
    err = raises(UsccDivisionFormatError, parse_uscc, "9135A100M000100Y43")
    assert err.code == "uscc-division-format"
    assert err.fields == {"division": "35A100"}
    assert isinstance(err, DivisionFormatError)


@pytest.mark.parametrize("division", ["999999", "620201", "110199", "000000"])
def test_uscc_unknown_region(division: str) -> None:
    code = make_uscc("91" + division, "M000100Y")
    err = raises(UsccRegionError, parse_uscc, code)
    assert err.code == "uscc-region"
    assert err.fields == {"division": division}
    assert f"administrative division code {division} (characters 3–8) is not known" in str(err)
    assert isinstance(err, UnknownDivisionError)


def test_uscc_org_code_check_digit() -> None:
    # Change the organisation code body, keep its old check digit, fix the USCC check.
    seventeen = "91350100M000101Y4"
    code = seventeen + stdnum_uscc.calc_check_digit(seventeen)
    err = raises(OrgCodeCheckDigitError, parse_uscc, code)
    assert err.code == "uscc-org-check-digit"
    expected = gb11714("M000101Y")
    assert err.fields == {"org_code": "M000101Y4", "expected": expected, "actual": "4"}
    assert f"should end in check digit {expected}, got 4" in str(err)


def test_uscc_check_digit() -> None:
    err = raises(CheckDigitError, parse_uscc, "91350100M000100Y44")
    assert err.code == "uscc-check-digit"
    assert err.fields == {"expected": "3", "actual": "4"}
    assert str(err).startswith("check digit should be 3, got 4")


def test_typo_in_org_code_reports_org_check_first() -> None:
    err = raises(OrgCodeCheckDigitError, parse_uscc, "91350100M000101Y43")
    assert err.fields["org_code"] == "M000101Y4"


# --- allow-list -------------------------------------------------------------------------

FUJIAN_ODD = "91350100M000100Y44"  # fails only the USCC check digit


def test_allowlisted_code_failing_check_digit_is_accepted_with_reason() -> None:
    code = parse_uscc(FUJIAN_ODD, allowlist={FUJIAN_ODD: "issued by Fuzhou AMR, letter 2016-12"})
    assert code.value == FUJIAN_ODD
    assert code.allowlisted == "issued by Fuzhou AMR, letter 2016-12"


def test_allowlist_matches_the_normalised_code() -> None:
    code = parse_uscc("9135 0100 m000 100y44", allowlist={FUJIAN_ODD: "registry"})
    assert code.allowlisted == "registry"


def test_allowlist_forgives_both_checksums() -> None:
    both = "91350100M000101Y43"
    assert parse_uscc(both, allowlist={both: "registry"}).allowlisted == "registry"


def test_allowlist_of_another_code_does_not_help() -> None:
    raises(CheckDigitError, parse_uscc, FUJIAN_ODD, allowlist={REAL_USCC: "registry"})


def test_allowlisted_valid_code_is_not_marked() -> None:
    assert parse_uscc(REAL_USCC, allowlist={REAL_USCC: "registry"}).allowlisted is None


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("91350100M000100Y4", UsccLengthError),
        ("91350100M000100YI4", UsccCharacterError),
        ("94350100M000100Y44", UnknownEntityTypeError),
        ("91999999M000100Y44", UsccRegionError),
        ("00000000000000000X", UsccPlaceholderError),
    ],
)
def test_allowlist_does_not_forgive_format_errors(raw: str, error: type[CodeError]) -> None:
    raises(error, parse_uscc, raw, allowlist={raw: "registry"})


# --- subject types ------------------------------------------------------------------------

# The GB 32100 table (POLICY-FACTS "Identifiers"), written out independently of the code.
TYPE_TABLE = [
    ("1", "1", "机关"),
    ("1", "2", "事业单位"),
    ("1", "3", "中央编办直接管理机构编制的群众团体"),
    ("1", "9", "其他"),
    ("2", "1", "外国常驻新闻机构"),
    ("2", "9", "其他"),
    ("3", "1", "律师执业机构"),
    ("3", "2", "公证处"),
    ("3", "3", "基层法律服务所"),
    ("3", "4", "司法鉴定机构"),
    ("3", "5", "仲裁委员会"),
    ("3", "9", "其他"),
    ("4", "1", "外国在华文化中心"),
    ("4", "9", "其他"),
    ("5", "1", "社会团体"),
    ("5", "2", "民办非企业单位"),
    ("5", "3", "基金会"),
    ("5", "9", "其他"),
    ("6", "1", "外国旅游部门常驻代表机构"),
    ("6", "2", "港澳台地区旅游部门常驻内地（大陆）代表机构"),
    ("6", "9", "其他"),
    ("7", "1", "宗教活动场所"),
    ("7", "2", "宗教院校"),
    ("7", "9", "其他"),
    ("8", "1", "基层工会"),
    ("8", "9", "其他"),
    ("9", "1", "企业"),
    ("9", "2", "个体工商户"),
    ("9", "3", "农民专业合作社"),
    ("A", "1", "军队事业单位"),
    ("A", "9", "其他"),
    ("N", "1", "组级集体经济组织"),
    ("N", "2", "村级集体经济组织"),
    ("N", "3", "乡镇级集体经济组织"),
    ("N", "9", "其他"),
    ("Y", "1", "其他"),
]


@pytest.mark.parametrize(("authority", "kind", "name_zh"), TYPE_TABLE)
def test_subject_type_every_row(authority: str, kind: str, name_zh: str) -> None:
    code = make_uscc(authority + kind + "350100", "M000100Y")
    found = subject_type(code)
    assert (found.authority, found.type, found.name_zh) == (authority, kind, name_zh)
    assert found.name_en
    assert parse_uscc(code).value == code


def test_subject_type_example_and_only_table_pairs() -> None:
    assert subject_type(REAL_USCC) == SubjectType("9", "1", "企业", "enterprise")
    assert subject_type("92").name_en == "individual business"
    table = {(a, t) for a, t, _ in TYPE_TABLE}
    for authority in "123456789ANY":
        for kind in string.digits + "ABC":
            if (authority, kind) in table:
                continue
            with pytest.raises(UnknownEntityTypeError):
                subject_type(authority + kind)


def test_subject_type_empty() -> None:
    raises(EmptyCodeError, subject_type, " ")


# --- regions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("110105", Region("110105", "北京市", None, "朝阳区")),
        ("371082", Region("371082", "山东省", "威海市", "荣成市")),
        ("371000", Region("371000", "山东省", "威海市", None)),
        ("370000", Region("370000", "山东省", None, None)),
        ("110103", Region("110103", "北京市", None, "崇文区")),  # historic, latest name
        ("620200", Region("620200", "甘肃省", "嘉峪关市", None)),
        ("210224", Region("210224", "辽宁省", "大连市", "长海县")),
        ("100000", Region("100000", "全国", None, None)),
        (REAL_USCC, Region("350100", "福建省", "福州市", None)),
        (make_uscc("91371082", "MA0BC12D"), Region("371082", "山东省", "威海市", "荣成市")),
    ],
)
def test_region_of(code: str, expected: Region) -> None:
    assert region_of(code) == expected


def test_region_of_subject_code_and_resident_id_uses_birth_year_names() -> None:
    born_1975 = make_resident("21022419750101001")
    assert region_of(born_1975) == Region("210224", "辽宁省", "旅大市", "长海县")
    born_1990 = make_resident("21022419900101001")
    assert region_of(parse_resident_id(born_1990, today=TODAY)) == Region(
        "210224", "辽宁省", "大连市", "长海县"
    )
    assert region_of(parse_uscc(REAL_USCC)).code == "350100"


def test_region_of_unknown_and_malformed() -> None:
    err = raises(UnknownDivisionError, region_of, "999999")
    assert err.code == "division-unknown"
    assert err.fields == {"division": "999999"}
    err = raises(UnknownDivisionError, region_of, "620201")
    err = raises(DivisionFormatError, region_of, "11A105")
    assert err.code == "division-format"
    assert "6 digits, got “11A105”" in str(err)
    raises(CodeLengthError, region_of, "11010")


# --- resident IDs: valid -------------------------------------------------------------------


def test_resident_id_parses() -> None:
    value = make_resident("11010519491231002")
    assert value == "11010519491231002X"
    assert gb11643("11010519491231002") == "X"
    code = parse_resident_id(value.lower(), today=TODAY)
    assert code == SubjectCode(value, CodeKind.RESIDENT_ID)
    assert code.subject_kind is SubjectKind.NATURAL


def test_fifteen_digit_number_is_converted() -> None:
    code = parse_resident_id("110105491231002", today=TODAY)
    assert code.value == "11010519491231002" + gb11643("11010519491231002")
    assert code.value == "11010519491231002X"
    assert code.converted_from == "110105491231002"
    assert code.kind is CodeKind.RESIDENT_ID


@pytest.mark.parametrize(
    ("body", "year"),
    [("371082199003150031", 1990), ("11010319800101001", 1980), ("62020019900101001", 1990)],
)
def test_resident_ids_from_real_divisions(body: str, year: int) -> None:
    value = make_resident(body[:17])
    assert value[17] == gb11643(value[:17])
    assert parse_resident_id(value, today=TODAY).value == value
    assert birth_date(value).year == year


def test_birth_date_and_sex() -> None:
    female = make_resident("11010519491231002")
    male = make_resident("11010519491231003")
    assert birth_date(female) == date(1949, 12, 31)
    assert (sex(female), sex(male)) == ("F", "M")
    assert birth_date("110105491231003") == date(1949, 12, 31)
    assert sex("110105491231003") == "M"


def test_birth_date_refuses_a_mistyped_number() -> None:
    raises(ResidentIdCheckDigitError, birth_date, "110105194912310020")
    raises(ResidentIdCheckDigitError, sex, "110105194912310020")


def test_born_today_is_not_the_future() -> None:
    value = make_resident("110105" + TODAY.strftime("%Y%m%d") + "001")
    assert parse_resident_id(value, today=TODAY).value == value


def test_today_defaults_to_the_clock() -> None:
    # Born in 2000: valid whatever today is, so the default path runs without a fixed date.
    value = make_resident("11010520000101001")
    assert parse_resident_id(value).value == value


# --- resident IDs: every error ---------------------------------------------------------------


def test_resident_empty() -> None:
    assert raises(EmptyCodeError, parse_resident_id, "").code == "code-empty"


@pytest.mark.parametrize("raw", ["1101051949123100", "11010519491231002X1", "1"])
def test_resident_length(raw: str) -> None:
    err = raises(ResidentIdLengthError, parse_resident_id, raw)
    assert err.code == "resident-id-length"
    assert err.fields == {"actual": len(raw), "expected": 18}
    assert f"has {len(raw)} characters; it should have 18, or 15" in str(err)


@pytest.mark.parametrize(
    ("raw", "char", "position"),
    [
        ("1101051949123100X2", "X", 17),
        ("A1010519491231002X", "A", 1),
        ("11010519491231002Y", "Y", 18),
        ("11010549123100X", "X", 15),  # no check digit in a 15-digit number
    ],
)
def test_resident_character(raw: str, char: str, position: int) -> None:
    err = raises(ResidentIdCharacterError, parse_resident_id, raw)
    assert err.code == "resident-id-character"
    assert err.fields == {"char": char, "position": position}
    assert f"character “{char}” at position {position}" in str(err)


def test_resident_check_digit() -> None:
    err = raises(ResidentIdCheckDigitError, parse_resident_id, "110105194912310021", today=TODAY)
    assert err.code == "resident-id-check-digit"
    assert err.fields == {"expected": "X", "actual": "1"}
    assert "should be X, got 1" in str(err)


@pytest.mark.parametrize("date_part", ["19900230", "19901301", "19900000", "00000101"])
def test_resident_impossible_birth_date(date_part: str) -> None:
    value = make_resident("110105" + date_part + "001")
    err = raises(BirthDateError, parse_resident_id, value, today=TODAY)
    assert err.code == "resident-id-birth-date"
    assert err.fields == {"birth": date_part}
    assert f"birth date {date_part} in the resident identity number is not a real date" in str(err)


def test_resident_impossible_birth_date_in_a_fifteen_digit_number() -> None:
    err = raises(BirthDateError, parse_resident_id, "110105900230001", today=TODAY)
    assert err.fields == {"birth": "19900230"}


def test_resident_birth_in_the_future() -> None:
    value = make_resident("11010520261124001")
    err = raises(FutureBirthDateError, parse_resident_id, value, today=TODAY)
    assert err.code == "resident-id-birth-future"
    assert err.fields == {"birth": "20261124", "today": "2026-11-23"}
    assert "after today, 2026-11-23" in str(err)


@pytest.mark.parametrize(
    ("body", "division", "year"),
    [
        ("62020119900101001", "620201", 1990),  # stdnum raises KeyError: 'county' here
        ("99999919900101001", "999999", 1990),
        ("11010320150101001", "110103", 2015),  # 崇文区 was abolished in 2010
        ("21020219750101001", "210202", 1975),  # 中山区 created in 1983
    ],
)
def test_resident_unknown_region(body: str, division: str, year: int) -> None:
    value = make_resident(body)
    err = raises(ResidentIdRegionError, parse_resident_id, value, today=TODAY)
    assert err.code == "resident-id-region"
    assert err.fields == {"division": division, "year": year}
    assert f"{division} (characters 1–6)" in str(err)
    assert f"did not exist in {year}" in str(err)


def test_stdnum_keyerror_trap_is_real() -> None:
    # Guards the reason for the trap: if stdnum fixes it, this test tells us.
    with pytest.raises(KeyError):
        ric.is_valid(make_resident("62020119900101001"))


# --- parse_code: dispatch --------------------------------------------------------------------


def test_parse_code_dispatches_by_shape() -> None:
    assert parse_code(REAL_USCC).kind is CodeKind.USCC
    resident = make_resident("37108219900315003")
    assert parse_code(resident, today=TODAY).kind is CodeKind.RESIDENT_ID
    old = parse_code("110105491231002", today=TODAY)
    assert (old.kind, old.converted_from) == (CodeKind.RESIDENT_ID, "110105491231002")


def numeric_uscc_shaped_like_resident_id() -> str:
    """An all-digit USCC whose characters 7–14 read as 1990-01-01."""
    for tail in range(100):
        code = make_uscc("11110119", f"900101{tail:02d}")
        if code.isdigit() or (code[:17].isdigit() and code[17] == "X"):
            return code
    raise AssertionError("no all-digit USCC found")


def test_parse_code_ambiguous_shape_falls_back_to_a_valid_uscc() -> None:
    code = numeric_uscc_shaped_like_resident_id()
    assert looks_like_resident_id(code)
    with pytest.raises(CodeError):
        parse_resident_id(code, today=TODAY)
    assert parse_code(code, today=TODAY) == SubjectCode(code, CodeKind.USCC)


def test_parse_code_ambiguous_shape_failing_both_reports_the_resident_error() -> None:
    err = raises(ResidentIdCheckDigitError, parse_code, "110105194912310021", today=TODAY)
    assert err.fields == {"expected": "X", "actual": "1"}


def test_parse_code_allowlisted_code_is_a_uscc() -> None:
    code = parse_code(FUJIAN_ODD, allowlist={FUJIAN_ODD: "registry"})
    assert (code.kind, code.allowlisted) == (CodeKind.USCC, "registry")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11010519491231002X", True),
        ("110105194912310021", True),  # shape only; the check digit is not looked at
        ("110105174912310021", False),  # year 1749: not a plausible birth
        ("110105199002300021", False),  # 30 February
        ("91350100M000100Y43", False),
        ("11010519491231002", False),
        ("1101051949123100XX", False),
    ],
)
def test_looks_like_resident_id(value: str, expected: bool) -> None:
    assert looks_like_resident_id(value) is expected


def test_parse_code_errors() -> None:
    raises(EmptyCodeError, parse_code, " ")
    err = raises(CodeLengthError, parse_code, "9135010")
    assert err.code == "code-length"
    assert err.fields == {"actual": 7, "expected": 18}
    raises(ResidentIdCharacterError, parse_code, "11010549123100A")
    raises(CheckDigitError, parse_code, FUJIAN_ODD)
    raises(UsccPlaceholderError, parse_code, "00000000000000000X")


# --- masking -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "head", "tail", "expected"),
    [
        ("11010519491231123X", 6, 4, "110105********123X"),
        ("11010519491231123x", 4, 4, "1101**********123X"),
        ("9135 0100 M000 100Y43", 6, 4, "913501********0Y43"),
        ("11010519491231123X", 0, 0, "******************"),
        ("11010519491231123X", 0, 1, "*****************X"),
        ("11010519491231123X", 9, 9, "******************"),  # would reveal all: mask all
        ("11010519491231123X", 17, 0, "11010519491231123*"),
        ("", 6, 4, ""),
    ],
)
def test_mask_code(code: str, head: int, tail: int, expected: str) -> None:
    assert mask_code(code, keep_head=head, keep_tail=tail) == expected


def test_mask_code_defaults() -> None:
    assert mask_code("11010519491231123X") == "110105********123X"


@pytest.mark.parametrize(("head", "tail"), [(-1, 4), (6, -1)])
def test_mask_code_negative(head: int, tail: int) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        mask_code("11010519491231123X", head, tail)


@pytest.mark.parametrize(
    ("name", "keep", "expected"),
    [
        ("张三", 1, "张*"),
        ("张三丰", 1, "张**"),
        ("欧阳娜娜", 1, "欧阳**"),
        ("欧阳修", 1, "欧阳*"),
        ("司马光", 1, "司马*"),
        ("诸葛亮", 1, "诸葛*"),
        ("上官婉儿", 1, "上官**"),
        ("令狐冲", 1, "令狐*"),
        ("歐陽修", 1, "歐陽*"),
        ("欧阳娜娜", 2, "欧阳娜*"),
        ("欧阳娜娜", 0, "****"),
        ("张三", 0, "**"),
        ("张三", 2, "张*"),  # never reveals a whole name
        ("张三", 9, "张*"),
        ("张", 1, "*"),
        ("欧阳", 1, "**"),
        ("东方明珠", 1, "东方**"),
        ("东明", 1, "东*"),  # 东 alone is not a compound surname
        ("阿沛·阿旺晋美", 1, "阿*·****"),
        ("John Smith", 1, "J*** *****"),
        ("John Smith", 0, "**** *****"),
        ("John Smith", 3, "Joh* *****"),
        ("Mary-Jane O'Neil", 1, "M***-**** *'****"),
        ("", 1, ""),
    ],
)
def test_mask_name(name: str, keep: int, expected: str) -> None:
    assert mask_name(name, keep) == expected


def test_mask_name_default_keeps_the_surname() -> None:
    assert mask_name("欧阳娜娜") == "欧阳**"


def test_mask_name_negative() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        mask_name("张三", -1)


# --- the error tree and its translations -----------------------------------------------------


def code_errors() -> list[type[CodeError]]:
    return [c for c in error_classes() if issubclass(c, CodeError)]


def test_code_errors_are_422_with_unique_kebab_codes() -> None:
    classes = code_errors()
    assert len(classes) >= 20
    codes = [c.code for c in classes]
    assert len(codes) == len(set(codes))
    for cls in classes:
        assert issubclass(cls, XinyongError)
        assert cls.status == 422
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cls.code), cls.code


@pytest.mark.parametrize("cls", code_errors(), ids=lambda c: c.code)
def test_every_code_error_message_is_translated_with_the_same_placeholders(
    cls: type[CodeError],
) -> None:
    zh = translate(cls.message, "zh-CN")
    assert zh != cls.message, f"no zh-CN translation for {cls.message!r}"

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert fields(zh) == fields(cls.message)


def test_error_renders_in_chinese() -> None:
    err = raises(CheckDigitError, parse_uscc, "91350100M000100Y44")
    assert err.render("zh-CN").startswith("校验码应为 3，实际为 4")
    assert err.problem("zh-CN").code == "uscc-check-digit"
