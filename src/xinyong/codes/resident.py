"""公民身份号码 (resident identity number, GB 11643-1999): parse and read.

Owns the format rules, the conversion of first-generation 15-digit numbers
and reading birth date and sex. Check digit, birth date and birth place come
from python-stdnum; nothing here recomputes them (:func:`birth_date` first
asks :mod:`xinyong.codes.fast`, which accepts only what stdnum would). Must
not mask or display numbers (see :mod:`xinyong.codes.mask`) nor decide who
may see them.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from xinyong.clock import today_in_china
from xinyong.codes import fast
from xinyong.codes.errors import (
    BirthDateError,
    CodeLengthError,
    EmptyCodeError,
    FutureBirthDateError,
    ResidentIdCharacterError,
    ResidentIdCheckDigitError,
)
from xinyong.codes.model import CodeKind, SubjectCode, normalise
from xinyong.codes.region import birth_place
from xinyong.i18n import gettext_noop as _

_DIGITS = frozenset("0123456789")


class ResidentIdLengthError(CodeLengthError):
    code = "resident-id-length"
    message = _(
        "the resident identity number has {actual} characters; it should have {expected}, "
        "or 15 for a first-generation number"
    )


def _digits(raw: str) -> tuple[str, str | None]:
    """The 18-character number and, if it was converted, the 15-digit original."""
    value = normalise(raw)
    if not value:
        raise EmptyCodeError()
    if len(value) not in (15, 18):
        raise ResidentIdLengthError(actual=len(value), expected=18)
    for position, char in enumerate(value, start=1):
        if char not in _DIGITS and not (char == "X" and position == 18):
            raise ResidentIdCharacterError(char=char, position=position)
    if len(value) == 18:
        return value, None
    # First-generation numbers have a 2-digit year (all 19xx) and no check
    # digit. stdnum's calc_check_digit ignores the last character of what it
    # is given, so a placeholder 0 stands in for the digit being computed.
    body = value[:6] + "19" + value[6:]
    check: str = ric.calc_check_digit(body + "0")
    return body + check, value


def _checked(raw: str) -> tuple[str, str | None, date]:
    """Format, conversion, a real birth date and the check digit; nothing time- or place-bound."""
    value, converted_from = _digits(raw)
    try:
        born: date = ric.get_birth_date(value)
    except ValidationError as exc:
        raise BirthDateError(birth=value[6:14]) from exc
    expected: str = ric.calc_check_digit(value)
    if value[17] != expected:
        raise ResidentIdCheckDigitError(expected=expected, actual=value[17])
    return value, converted_from, born


def parse_resident_id(raw: str, *, today: date | None = None) -> SubjectCode:
    """A validated resident ID (18 characters), or the first thing wrong with it.

    Accepts first-generation 15-digit numbers: "19" is inserted before the
    year and the check digit added, and ``converted_from`` keeps the
    original. The birth place must exist in the table in the birth year
    (a number from 崇文区, abolished in 2010, is valid for people born
    before). ``today`` (default: today in China) rejects births in the
    future; pass it where the answer must not depend on the clock.
    """
    value, converted_from, born = _checked(raw)
    if today is None:
        today = today_in_china()
    if born > today:
        raise FutureBirthDateError(birth=value[6:14], today=today.isoformat())
    birth_place(value, born)
    return SubjectCode(value, CodeKind.RESIDENT_ID, converted_from=converted_from)


def birth_date(resident_id: str) -> date:
    """The birth date a resident ID (18 or 15 digits) states.

    The check digit is verified so a mistyped number does not yield a
    plausible wrong date; place and "not in the future" are not: those are
    :func:`parse_resident_id`'s job.
    """
    # Valid numbers (all an ingest sees here) skip stdnum's slow string cleaning.
    born = fast.resident_birth_date(resident_id)
    return born if born is not None else _checked(resident_id)[2]


def sex(resident_id: str) -> Literal["M", "F"]:
    """Sex as GB 11643 encodes it: the sequence number (character 17) is odd for men.

    stdnum has no accessor for this, hence the one line of arithmetic.
    """
    value = _checked(resident_id)[0]
    return "M" if int(value[16]) % 2 else "F"
