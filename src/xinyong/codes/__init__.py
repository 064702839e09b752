"""Subject codes: USCCs (GB 32100) and resident identity numbers (GB 11643).

Owns validating, normalising, explaining (entity type, region, birth date,
sex) and masking the two identifiers every record is keyed by. Check digits,
birth dates and birth places come from python-stdnum; only what stdnum lacks
(the GB 11714 organisation-code check, the authority/type table, masking) is
written here. The one exception is :mod:`~xinyong.codes.fast`: for speed it
accepts valid, normalised codes with table-driven check digits, and leaves
everything it is not sure of (and every error) to the stdnum path; property
tests prove the two agree.

Must not touch storage, the clock (``today`` is an argument where "now"
matters) or decisions about who may see what: callers decide *whether* to
mask, this package only *how*.

Modules: ``model`` (types, ``normalise``), ``errors`` (the ``CodeError``
tree), ``uscc``, ``resident``, ``region``, ``mask``, ``dispatch``
(``parse_code``, ``region_of``), ``fast`` (the shortcut for valid codes).
Import from ``xinyong.codes``.
"""

from __future__ import annotations

from xinyong.codes.dispatch import (
    looks_like_resident_id,
    parse_code,
    region_of,
)
from xinyong.codes.errors import (
    BirthDateError,
    CheckDigitError,
    CodeError,
    CodeLengthError,
    DivisionFormatError,
    EmptyCodeError,
    FutureBirthDateError,
    OrgCodeCheckDigitError,
    ResidentIdCharacterError,
    ResidentIdCheckDigitError,
    ResidentIdRegionError,
    UnknownAuthorityError,
    UnknownDivisionError,
    UnknownEntityTypeError,
    UsccCharacterError,
    UsccDivisionFormatError,
    UsccPlaceholderError,
    UsccRegionError,
)
from xinyong.codes.mask import COMPOUND_SURNAMES, mask_code, mask_name
from xinyong.codes.model import (
    PLACEHOLDER,
    CodeKind,
    SubjectCode,
    SubjectKind,
    is_placeholder,
    normalise,
)
from xinyong.codes.region import NATIONAL_DIVISION, Region
from xinyong.codes.resident import ResidentIdLengthError, birth_date, parse_resident_id, sex
from xinyong.codes.uscc import (
    AUTHORITIES,
    SUBJECT_TYPES,
    USCC_ALPHABET,
    SubjectType,
    UsccLengthError,
    org_code_check_digit,
    parse_uscc,
    subject_type,
)

__all__ = [
    "AUTHORITIES",
    "COMPOUND_SURNAMES",
    "NATIONAL_DIVISION",
    "PLACEHOLDER",
    "SUBJECT_TYPES",
    "USCC_ALPHABET",
    "BirthDateError",
    "CheckDigitError",
    "CodeError",
    "CodeKind",
    "CodeLengthError",
    "DivisionFormatError",
    "EmptyCodeError",
    "FutureBirthDateError",
    "OrgCodeCheckDigitError",
    "Region",
    "ResidentIdCharacterError",
    "ResidentIdCheckDigitError",
    "ResidentIdLengthError",
    "ResidentIdRegionError",
    "SubjectCode",
    "SubjectKind",
    "SubjectType",
    "UnknownAuthorityError",
    "UnknownDivisionError",
    "UnknownEntityTypeError",
    "UsccCharacterError",
    "UsccDivisionFormatError",
    "UsccLengthError",
    "UsccPlaceholderError",
    "UsccRegionError",
    "birth_date",
    "is_placeholder",
    "looks_like_resident_id",
    "mask_code",
    "mask_name",
    "normalise",
    "org_code_check_digit",
    "parse_code",
    "parse_resident_id",
    "parse_uscc",
    "region_of",
    "sex",
    "subject_type",
]
