"""Why a code was refused: one class per failure, each with a stable code.

Messages name the character position (1-based, as printed on a licence or ID
card) and, for check digits, both the expected and the actual value, so a
clerk can tell a typing error from a wrong number.
"""

from __future__ import annotations

from xinyong.errors import XinyongError
from xinyong.i18n import gettext_noop as _


class CodeError(XinyongError):
    """A USCC or resident identity number that does not validate."""

    code = "code-invalid"
    status = 422
    message = _("{value} is not a valid code")


class EmptyCodeError(CodeError):
    code = "code-empty"
    message = _("no code was given; enter the 18-character code")


class CodeLengthError(CodeError):
    """Wrong length when the kind is not known yet; the USCC and resident-ID
    parsers raise the subclasses that name their own kind."""

    code = "code-length"
    message = _(
        "the code has {actual} characters; a credit code or resident identity number has "
        "{expected} (a first-generation identity number 15)"
    )


# --- USCC (GB 32100-2015) -------------------------------------------------------


class UsccPlaceholderError(CodeError):
    code = "uscc-placeholder"
    message = _(
        "{value} is the placeholder used for an individual business that has no credit "
        "code, not a typing error; it does not identify any subject"
    )


class UsccCharacterError(CodeError):
    code = "uscc-character"
    message = _(
        "character “{char}” at position {position} is not used in unified social credit "
        "codes, which use digits and capital letters except I, O, Z, S and V"
    )


class UnknownAuthorityError(CodeError):
    code = "uscc-authority"
    message = _(
        "registration authority code “{authority}” (character 1) is not defined; "
        "it must be one of {allowed}"
    )


class UnknownEntityTypeError(CodeError):
    code = "uscc-entity-type"
    message = _(
        "entity type code “{type}” (character 2) is not defined for registration "
        "authority {authority}; it must be one of {allowed}"
    )


class DivisionFormatError(CodeError):
    code = "division-format"
    message = _("an administrative division code is 6 digits, got “{division}”")


class UsccDivisionFormatError(DivisionFormatError):
    code = "uscc-division-format"
    message = _(
        "characters 3–8 are the administrative division code and must be digits, got “{division}”"
    )


class UnknownDivisionError(CodeError):
    code = "division-unknown"
    message = _("administrative division code {division} is not known")


class UsccRegionError(UnknownDivisionError):
    code = "uscc-region"
    message = _("administrative division code {division} (characters 3–8) is not known")


class OrgCodeCheckDigitError(CodeError):
    code = "uscc-org-check-digit"
    message = _(
        "the organisation code {org_code} (characters 9–17) should end in check digit "
        "{expected}, got {actual}; a character among 9–17 is probably mistyped"
    )


class CheckDigitError(CodeError):
    code = "uscc-check-digit"
    message = _(
        "check digit should be {expected}, got {actual} (character 18); "
        "check the code for a typing error"
    )


# --- Resident identity number (GB 11643-1999) ------------------------------------


class ResidentIdCharacterError(CodeError):
    code = "resident-id-character"
    message = _(
        "character “{char}” at position {position} is not allowed in a resident identity "
        "number, which has only digits and, as the 18th character only, X"
    )


class ResidentIdCheckDigitError(CodeError):
    code = "resident-id-check-digit"
    message = _(
        "check digit of the resident identity number should be {expected}, got {actual} "
        "(character 18); check the number for a typing error"
    )


class BirthDateError(CodeError):
    code = "resident-id-birth-date"
    message = _("birth date {birth} in the resident identity number is not a real date")


class FutureBirthDateError(CodeError):
    code = "resident-id-birth-future"
    message = _("birth date {birth} in the resident identity number is after today, {today}")


class ResidentIdRegionError(UnknownDivisionError):
    code = "resident-id-region"
    message = _(
        "administrative division code {division} (characters 1–6) is not known, "
        "or did not exist in {year}, the year of birth"
    )
