"""统一社会信用代码 (Unified Social Credit Code, GB 32100-2015): parse and explain.

Owns the USCC format rules, the registration authority / entity type table
and the GB 11714 check of the embedded organisation code. The USCC check
digit itself comes from python-stdnum; nothing here recomputes it.
Must not decide what a subject may see: that is disclosure's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from stdnum.cn import uscc as stdnum_uscc

from xinyong.codes.errors import (
    CheckDigitError,
    CodeError,
    CodeLengthError,
    EmptyCodeError,
    OrgCodeCheckDigitError,
    UnknownAuthorityError,
    UnknownEntityTypeError,
    UsccCharacterError,
    UsccDivisionFormatError,
    UsccPlaceholderError,
    UsccRegionError,
)
from xinyong.codes.model import PLACEHOLDER, CodeKind, SubjectCode, normalise
from xinyong.codes.region import division_known
from xinyong.i18n import gettext_noop as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 symbols of GB 32100: digits and capitals without I, O, Z, S, V."""

NO_ALLOWLIST: Mapping[str, str] = MappingProxyType({})


class UsccLengthError(CodeLengthError):
    code = "uscc-length"
    message = _("the credit code has {actual} characters; it should have {expected}")


@dataclass(frozen=True)
class SubjectType:
    """机构类别 (entity type): what a USCC's first two characters say the subject is.

    Basis: GB 32100-2015 table of registration authority (登记管理部门) and
    entity type (机构类别) codes, as summarised in POLICY-FACTS "Identifiers".
    """

    authority: str
    type: str
    name_zh: str
    name_en: str


AUTHORITIES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "1": ("机构编制", "establishment offices"),
        "2": ("外交", "foreign affairs"),
        "3": ("司法行政", "justice administration"),
        "4": ("文化", "culture"),
        "5": ("民政", "civil affairs"),
        "6": ("旅游", "tourism"),
        "7": ("宗教", "religious affairs"),
        "8": ("工会", "trade unions"),
        "9": ("工商", "market regulation"),
        "A": ("中央军委改革和编制办公室", "military establishment office"),
        "N": ("农业", "agriculture"),
        "Y": ("其他", "other"),
    }
)

_TYPES = (
    SubjectType("1", "1", "机关", "government organ"),
    SubjectType("1", "2", "事业单位", "public institution"),
    SubjectType("1", "3", "中央编办直接管理机构编制的群众团体", "mass organisation"),
    SubjectType("1", "9", "其他", "other (establishment offices)"),
    SubjectType("2", "1", "外国常驻新闻机构", "resident office of a foreign news agency"),
    SubjectType("2", "9", "其他", "other (foreign affairs)"),
    SubjectType("3", "1", "律师执业机构", "law firm"),
    SubjectType("3", "2", "公证处", "notary office"),
    SubjectType("3", "3", "基层法律服务所", "grass-roots legal service office"),
    SubjectType("3", "4", "司法鉴定机构", "forensic appraisal institution"),
    SubjectType("3", "5", "仲裁委员会", "arbitration commission"),
    SubjectType("3", "9", "其他", "other (justice administration)"),
    SubjectType("4", "1", "外国在华文化中心", "foreign cultural centre in China"),
    SubjectType("4", "9", "其他", "other (culture)"),
    SubjectType("5", "1", "社会团体", "social association"),
    SubjectType("5", "2", "民办非企业单位", "private non-enterprise unit"),
    SubjectType("5", "3", "基金会", "foundation"),
    SubjectType("5", "9", "其他", "other (civil affairs)"),
    SubjectType(
        "6", "1", "外国旅游部门常驻代表机构", "representative office of a foreign tourism authority"
    ),
    SubjectType(
        "6",
        "2",
        "港澳台地区旅游部门常驻内地（大陆）代表机构",
        "mainland representative office of a Hong Kong, Macao or Taiwan tourism authority",
    ),
    SubjectType("6", "9", "其他", "other (tourism)"),
    SubjectType("7", "1", "宗教活动场所", "religious venue"),
    SubjectType("7", "2", "宗教院校", "religious school"),
    SubjectType("7", "9", "其他", "other (religious affairs)"),
    SubjectType("8", "1", "基层工会", "grass-roots trade union"),
    SubjectType("8", "9", "其他", "other (trade unions)"),
    SubjectType("9", "1", "企业", "enterprise"),
    SubjectType("9", "2", "个体工商户", "individual business"),
    SubjectType("9", "3", "农民专业合作社", "farmers' specialised cooperative"),
    SubjectType("A", "1", "军队事业单位", "military public institution"),
    SubjectType("A", "9", "其他", "other (military establishment)"),
    SubjectType("N", "1", "组级集体经济组织", "group-level collective economic organisation"),
    SubjectType("N", "2", "村级集体经济组织", "village-level collective economic organisation"),
    SubjectType("N", "3", "乡镇级集体经济组织", "township-level collective economic organisation"),
    SubjectType("N", "9", "其他", "other (agriculture)"),
    SubjectType("Y", "1", "其他", "other"),
)

SUBJECT_TYPES: Mapping[tuple[str, str], SubjectType] = MappingProxyType(
    {(t.authority, t.type): t for t in _TYPES}
)


def subject_type(uscc: str) -> SubjectType:
    """The entity type a USCC declares in its first two characters.

    Disclosure and list rules differ by type (an individual business, 92, is
    shown differently from an enterprise, 91), so an unknown pair is an
    error rather than "other".
    """
    value = normalise(uscc)
    if not value:
        raise EmptyCodeError()
    authority = value[0]
    if authority not in AUTHORITIES:
        raise UnknownAuthorityError(authority=authority, allowed=" ".join(AUTHORITIES))
    kind = value[1:2]
    found = SUBJECT_TYPES.get((authority, kind))
    if found is None:
        allowed = " ".join(t.type for t in _TYPES if t.authority == authority)
        raise UnknownEntityTypeError(type=kind, authority=authority, allowed=allowed)
    return found


# GB 11714-1997 check digit of the organisation code (characters 9–17 of a
# USCC). python-stdnum does not implement this check, so it is written here.
_ORG_VALUES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # digits 0–9, letters A=10 … Z=35
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check_digit(body: str) -> str:
    """The 9th character of an organisation code whose first 8 are ``body``.

    C9 = 11 − (Σ value × weight mod 11); 10 is written X and 11 is written 0.
    """
    total = sum(_ORG_VALUES.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _check_format(value: str) -> None:
    """Every rule except the two checksums, in the order a clerk would fix them."""
    if not value:
        raise EmptyCodeError()
    if value == PLACEHOLDER:
        raise UsccPlaceholderError(value=value)
    if len(value) != 18:
        raise UsccLengthError(actual=len(value), expected=18)
    for position, char in enumerate(value, start=1):
        if char not in USCC_ALPHABET:
            raise UsccCharacterError(char=char, position=position)
    subject_type(value)
    division = value[2:8]
    if not division.isdigit():
        raise UsccDivisionFormatError(division=division)
    if not division_known(division):
        raise UsccRegionError(division=division)


def _checksum_errors(value: str) -> list[CodeError]:
    """Failures an operator may allow-list, the more specific one first.

    A typing error among characters 9–17 breaks both checks; the
    organisation code error then says where to look, so it comes first.
    """
    errors: list[CodeError] = []
    org_code = value[8:17]
    org_expected = org_code_check_digit(org_code[:8])
    if org_code[8] != org_expected:
        errors.append(
            OrgCodeCheckDigitError(org_code=org_code, expected=org_expected, actual=org_code[8])
        )
    expected: str = stdnum_uscc.calc_check_digit(value[:17])
    if value[17] != expected:
        errors.append(CheckDigitError(expected=expected, actual=value[17]))
    return errors


def parse_uscc(raw: str, *, allowlist: Mapping[str, str] = NO_ALLOWLIST) -> SubjectCode:
    """A validated USCC, or the first thing wrong with it.

    ``allowlist`` maps normalised codes to the operator's reason for
    accepting them: some early registry-issued codes fail a checksum yet
    are legally registered (POLICY-FACTS, "Identifiers"). It forgives only
    the checksums; a code with a wrong length, alphabet, type or division
    is still refused, since no registry issued that.

    Unlike ``stdnum.cn.uscc.validate``, authorities A, N and Y are accepted:
    GB 32100 defines them, and stdnum wrongly requires characters 1–8 to be
    digits.
    """
    value = normalise(raw)
    _check_format(value)
    errors = _checksum_errors(value)
    if not errors:
        return SubjectCode(value, CodeKind.USCC)
    reason = allowlist.get(value)
    if reason is None:
        raise errors[0]
    return SubjectCode(value, CodeKind.USCC, allowlisted=reason)
