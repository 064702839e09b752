"""The fast way to accept a valid code: check digits from precomputed tables, no stdnum call.

An ingest parses every row's code, and python-stdnum spends most of that
time cleaning the string (a Unicode map per character) before it reads the
date or computes the check digit. A code a department sends is almost always
already normalised and valid, so these functions accept exactly that case
quickly and say nothing otherwise: each returns None whenever it is not sure,
and the caller then takes the full path (:func:`xinyong.codes.parse_code`),
which produces the verdict and the precise error. They never raise a
:class:`~xinyong.codes.errors.CodeError`.

What "sure" means is proved, not argued: Hypothesis tests
(``tests/property/test_codes_fast.py``) check on valid and invalid codes that
whatever these accept, the full parser accepts with the same result, and that
the check digits agree with stdnum's. The place-of-birth and division checks
still go to stdnum's table (through :mod:`xinyong.codes.region`'s caches).
"""

from __future__ import annotations

import re
from datetime import date
from operator import getitem

from xinyong.codes.model import PLACEHOLDER, CodeKind, SubjectCode
from xinyong.codes.region import birth_place_known, division_known
from xinyong.codes.uscc import SUBJECT_TYPES, USCC_ALPHABET

_RESIDENT_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_USCC_SHAPE = re.compile(f"[{USCC_ALPHABET}]{{18}}")

# GB 11643: weight of position i (1-based) is 2^(18-i) mod 11 and the check
# digit makes Σ aᵢWᵢ ≡ 1 (mod 11), 10 written X. Since 13 ≡ 2 (mod 11), Σ aᵢWᵢ
# ≡ 2 × (the 17 digits read in base 13): one int() in C, stdnum's own formula.
_RESIDENT_CHECK = "10X98765432"  # index: Σ aᵢWᵢ mod 11 of the first 17

# GB 32100 (values 0–30 in the USCC alphabet, weights 3^(i-1) mod 31, check
# −Σ mod 31) and GB 11714 on characters 9–17 (values 0–35, weights below, check
# 11 − Σ mod 11): one table per position of value × weight, summed by map() in C.
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_TERMS = tuple({c: i * w for i, c in enumerate(USCC_ALPHABET)} for w in _USCC_WEIGHTS)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_TERMS = tuple(
    {c: i * w for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")} for w in _ORG_WEIGHTS
)
_ORG_CHECK = "0X987654321"  # index: Σ mod 11; the digit is 11 − that, 10 written X, 11 written 0


def resident_check_digit(first17: str) -> str:
    """GB 11643 check digit of 17 ASCII digits (what ``stdnum.cn.ric.calc_check_digit`` gives)."""
    return _RESIDENT_CHECK[2 * int(first17, 13) % 11]


def uscc_check_digit(first17: str) -> str:
    """GB 32100 check digit of 17 USCC characters (``stdnum.cn.uscc.calc_check_digit``)."""
    return USCC_ALPHABET[-sum(map(getitem, _USCC_TERMS, first17)) % 31]


def org_check_digit(body: str) -> str:
    """GB 11714 check digit of an organisation code's first 8 characters
    (:func:`xinyong.codes.org_code_check_digit`)."""
    return _ORG_CHECK[sum(map(getitem, _ORG_TERMS, body)) % 11]


def resident_birth_date(value: str) -> date | None:
    """The birth date of a normalised 18-character resident ID with a right check digit.

    None when ``value`` is not 17 digits and a digit or X, its date is not
    a real date, or its check digit is wrong: the full path says which.
    """
    if not _RESIDENT_SHAPE.fullmatch(value):
        return None
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None
    return born if resident_check_digit(value[:17]) == value[17] else None


def resident_id(value: str, today: date) -> SubjectCode | None:
    """A normalised 18-character resident ID that passes every check, else None.

    Checks what :func:`~xinyong.codes.parse_resident_id` does (date, check
    digit, not born after ``today``, birth place in force in the birth year),
    restricted to the years 1800–2099 that :func:`~xinyong.codes.parse_code`
    reads as a resident ID before trying a USCC.
    """
    if value[6:8] not in ("18", "19", "20"):
        return None
    born = resident_birth_date(value)
    if born is None or born > today or not birth_place_known(value[:6], born.year):
        return None
    return SubjectCode(value, CodeKind.RESIDENT_ID)


def uscc(value: str) -> SubjectCode | None:
    """A normalised USCC that passes every check without help from an allow-list, else None.

    Not the placeholder; 18 characters of the alphabet; a known authority and
    type; a 6-digit division the table has held; both check digits right.
    """
    if value == PLACEHOLDER or not _USCC_SHAPE.fullmatch(value):
        return None
    if (value[0], value[1]) not in SUBJECT_TYPES:
        return None
    division = value[2:8]
    if not division.isdigit() or not division_known(division):
        return None
    if org_check_digit(value[8:16]) != value[16] or uscc_check_digit(value[:17]) != value[17]:
        return None
    return SubjectCode(value, CodeKind.USCC)


def parse(value: str, today: date) -> SubjectCode | None:
    """What :func:`~xinyong.codes.parse_code` returns for a normalised ``value``
    outside the allow-list, when that is a valid 18-character code; else None.

    Follows its order: a string shaped like a resident ID is one if it is
    valid; if it is not, the rare USCC of the same shape is left to the full
    path. Any other string is accepted only as a fully valid USCC.
    """
    if _RESIDENT_SHAPE.fullmatch(value) and value[6:8] in ("18", "19", "20"):
        return resident_id(value, today)
    return uscc(value)
