"""What a synthetic city is made from (:class:`CitySpec`) and the errors a bad spec raises.

Owns argument validation for ``xinyong generate``; it must not read files,
the clock or the environment: the as-of date is an argument with a fixed
default, so that a seed alone determines the output.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from xinyong.errors import XinyongError
from xinyong.i18n import gettext_noop as _

DEFAULT_REGION = "371000"
"""Weihai, Shandong: 环翠区, 文登区, 荣成市 (a pilot credit city), 乳山市."""

DEFAULT_AS_OF = date(2026, 6, 30)
"""Fixed default as-of date, so that output depends on the arguments only, never on today."""

MAX_SUBJECTS = 50_000_000
FIRST_AS_OF = date(2007, 1, 1)
"""Persons are born 1940–2006; an earlier as-of date would leave no adults to represent anyone."""
LAST_AS_OF = date(2098, 12, 31)
"""2099/12/31 means "long-term" in double publicity, so records must end before it."""
XLSX_MAX_DATA_ROWS = 1_048_574
"""Excel's 1,048,576 rows minus a title row and a header row."""


class GenerateError(XinyongError):
    """An argument of ``xinyong generate`` is wrong; the user can fix it."""

    code: ClassVar[str] = "generate-invalid-argument"
    status: ClassVar[int] = 400
    message: ClassVar[str] = _("{detail}")


class SubjectCountError(GenerateError):
    """``xinyong generate --subjects`` is not a count the generator can produce."""

    code = "generate-subject-count"
    message = _("--subjects must be a whole number from 1 to {maximum}, got {value}")


class NoiseRateError(GenerateError):
    """``xinyong generate --noise`` is not a rate between 0 and 1."""

    code = "generate-noise-rate"
    message = _("--noise must be a rate from 0 to 1 (e.g. 0.02 for 2 %), got {value}")


class RegionError(GenerateError):
    """``xinyong generate --region`` names no prefecture with counties in the division table."""

    code = "generate-unknown-region"
    message = _(
        "--region {region} is not a prefecture-level division code with counties in "
        "the division table (expected e.g. 371000 or 3710 for Weihai)"
    )


class AsOfError(GenerateError):
    """``xinyong generate --as-of`` is not a date, or lies outside the supported years."""

    code = "generate-as-of"
    message = _("--as-of must be a date YYYY-MM-DD from {first} to {last}, got {value}")


class PartSizeError(GenerateError):
    """An XLSX part or chunk size given to the generator is out of range."""

    code = "generate-part-size"
    message = _("a part or chunk size must be from 1 to {maximum}, got {value}")


class OutputNotEmptyError(GenerateError):
    """``xinyong generate --out`` holds files and ``--force`` was not given."""

    code = "generate-output-not-empty"
    message = _(
        "output directory {path} exists and is not empty: choose a new directory "
        "or pass --force to overwrite a previous generation there"
    )


@dataclass(frozen=True)
class CitySpec:
    """The arguments that fully determine a synthetic city and its department files.

    ``subjects`` counts natural and legal persons together; ``noise`` is the
    per-row probability of one error noise (and, independently, of fixable
    noise); ``region`` is a prefecture code (4 or 6 digits).
    """

    subjects: int
    seed: int = 0
    noise: float = 0.0
    region: str = DEFAULT_REGION
    as_of: date = DEFAULT_AS_OF
    xlsx_part_rows: int = 1_000_000
    chunk_subjects: int = 10_000
    """Subjects per chunk (each chunk has its own noise stream): part of what fixes the bytes."""

    def __post_init__(self) -> None:
        if isinstance(self.subjects, bool) or not 1 <= self.subjects <= MAX_SUBJECTS:
            raise SubjectCountError(maximum=MAX_SUBJECTS, value=self.subjects)
        if not 0.0 <= self.noise <= 1.0:
            raise NoiseRateError(value=self.noise)
        if not FIRST_AS_OF <= self.as_of <= LAST_AS_OF:
            raise AsOfError(first=FIRST_AS_OF, last=LAST_AS_OF, value=self.as_of)
        if not 1 <= self.xlsx_part_rows <= XLSX_MAX_DATA_ROWS:
            raise PartSizeError(maximum=XLSX_MAX_DATA_ROWS, value=self.xlsx_part_rows)
        if self.chunk_subjects < 1:
            raise PartSizeError(maximum=MAX_SUBJECTS, value=self.chunk_subjects)
        if not (self.region.isdigit() and len(self.region) in (4, 6)):
            raise RegionError(region=self.region)
        if len(self.region) == 6 and not self.region.endswith("00"):
            raise RegionError(region=self.region)


def parse_as_of(text: str) -> date:
    """``YYYY-MM-DD`` → date, or :class:`AsOfError` naming what was given."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise AsOfError(first=FIRST_AS_OF, last=LAST_AS_OF, value=text) from None
