"""Which standard a code follows, when the caller does not know: parse_code and region_of."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from xinyong.codes import fast
from xinyong.codes.errors import CodeError, CodeLengthError, EmptyCodeError
from xinyong.codes.model import CodeKind, SubjectCode, normalise
from xinyong.codes.region import Region, region, resident_region
from xinyong.codes.resident import birth_date, parse_resident_id
from xinyong.codes.uscc import NO_ALLOWLIST, parse_uscc

_RESIDENT_CHARS = frozenset("0123456789")


def looks_like_resident_id(value: str) -> bool:
    """18 normalised characters shaped like a resident ID: 17 digits, a digit or X,
    and characters 7–14 a real date in the 1800s–2000s."""
    if len(value) != 18 or not set(value[:17]) <= _RESIDENT_CHARS:
        return False
    if value[17] not in _RESIDENT_CHARS and value[17] != "X":
        return False
    if value[6:8] not in ("18", "19", "20"):
        return False
    try:
        ric.get_birth_date(value)
    except ValidationError:
        return False
    return True


def parse_code(
    raw: str, *, allowlist: Mapping[str, str] = NO_ALLOWLIST, today: date | None = None
) -> SubjectCode:
    """A validated USCC or resident ID, whichever ``raw`` is.

    How the kind is decided, after :func:`normalise`:

    1. A code in ``allowlist`` is a USCC: the operator said a registry issued it.
    2. 15 characters: a first-generation resident ID (USCCs are always 18).
    3. 18 characters shaped like a resident ID (17 digits, then a digit or X,
       characters 7–14 a real date in the 1800s–2000s): tried as a resident
       ID first. A USCC can have that shape too (all-digit organisation
       code, division ending in 18/19/20), so if the resident-ID check fails
       and the same string is a fully valid USCC, the USCC is returned;
       otherwise the resident-ID error is raised, as the likelier intent.
       A mistyped resident ID is read as a USCC only if it passes both USCC
       checksums and the authority, type and division checks by chance.
    4. Any other 18 characters: a USCC.
    5. Any other length: a length error naming both kinds.

    When ``today`` is given, a valid normalised code outside the allow-list
    is accepted by :func:`xinyong.codes.fast.parse` (check digits from tables,
    no stdnum call): the same answer, about ten times sooner. Without
    ``today`` the full path reads the clock, so the fast path is not tried.
    """
    value = normalise(raw)
    if today is not None and value not in allowlist:
        found = fast.parse(value, today)
        if found is not None:
            return found
    return _parse_code_full(value, allowlist, today)


def _parse_code_full(value: str, allowlist: Mapping[str, str], today: date | None) -> SubjectCode:
    """:func:`parse_code` of a normalised ``value`` by the full rules, without the fast path.

    The fast path (:mod:`xinyong.codes.fast`) only ever accepts what this
    accepts, with the same result; everything else, and every error, comes
    from here.
    """
    if not value:
        raise EmptyCodeError()
    if value in allowlist:
        return parse_uscc(value, allowlist=allowlist)
    if len(value) == 15:
        return parse_resident_id(value, today=today)
    if len(value) != 18:
        raise CodeLengthError(actual=len(value), expected=18)
    if not looks_like_resident_id(value):
        return parse_uscc(value, allowlist=allowlist)
    try:
        return parse_resident_id(value, today=today)
    except CodeError as resident_error:
        try:
            return parse_uscc(value, allowlist=allowlist)
        except CodeError:
            raise resident_error from None


def region_of(code: str | SubjectCode) -> Region:
    """Where a division code, a USCC's registration authority or a resident's birth is.

    ``code`` may be a 6-digit division code (names as they are now, or were
    last), a parsed :class:`SubjectCode`, or a full code, which is parsed
    with :func:`parse_code` first. For a resident ID the names are those in
    force in the birth year, as stdnum reads them.
    """
    if isinstance(code, SubjectCode):
        subject = code
    else:
        value = normalise(code)
        if len(value) == 6:
            return region(value)
        subject = parse_code(value)
    if subject.kind is CodeKind.USCC:
        return region(subject.value[2:8])
    return resident_region(subject.value, birth_date(subject.value))
