"""Domain types for subject codes, and the one normalisation every code goes through.

Plain Python only: no stdnum here, so the types can be imported anywhere
without pulling in the lookup tables.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

PLACEHOLDER = "00000000000000000X"
"""Seventeen zeros and an X: what registries write for an individual business
(个体工商户) that was never given a credit code. It identifies nobody."""

# Hyphen-like characters people paste from word processors; NFKC keeps them.
_DROPPED = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Digits and ASCII capitals only: NFKC, the dropped characters and upper-casing
# all leave such a string as it is, so it is already its own normal form.
_CANONICAL = re.compile(r"[0-9A-Z]*")


class CodeKind(StrEnum):
    """Which standard a code follows."""

    USCC = "uscc"  # 统一社会信用代码, GB 32100-2015
    RESIDENT_ID = "resident_id"  # 公民身份号码, GB 11643-1999


class SubjectKind(StrEnum):
    """Legal person or other organisation, or natural person.

    Individual businesses (个体工商户) carry a USCC and count as ``LEGAL`` here:
    what decides disclosure is the code they are recorded under.
    """

    LEGAL = "legal"
    NATURAL = "natural"


@dataclass(frozen=True)
class SubjectCode:
    """主体代码 (subject code): a validated, normalised identifier of one subject.

    ``converted_from`` keeps the 15-digit first-generation number a resident
    ID was converted from, so a record can show what the department sent.
    ``allowlisted`` is the operator's reason when a registry-issued USCC that
    fails its checksum was accepted anyway (POLICY-FACTS, "Identifiers").
    """

    value: str
    kind: CodeKind
    converted_from: str | None = None
    allowlisted: str | None = None

    @property
    def subject_kind(self) -> SubjectKind:
        return SubjectKind.NATURAL if self.kind is CodeKind.RESIDENT_ID else SubjectKind.LEGAL

    def __str__(self) -> str:
        return self.value


def _normalise_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if not c.isspace() and c not in _DROPPED)
    return text.translate(_ASCII_UPPER)


def normalise(raw: str) -> str:
    """The canonical form of a typed or pasted code: what every comparison uses.

    NFKC turns full-width digits and letters (typed with a Chinese input
    method) into ASCII; all whitespace (including the ideographic space
    U+3000) and hyphens are dropped; ASCII letters are upper-cased, so a
    resident ID's trailing ``x`` becomes ``X``. Only ASCII is upper-cased:
    codes are ASCII, and Unicode case mapping would make the function harder
    to keep idempotent for no gain.

    Dropping a space can put a combining mark next to a letter that NFKC then
    composes, so one pass is not always a fixed point; the loop repeats until
    it is. After the first pass each pass can only compose or drop
    characters, so it stops quickly; the bound is a guard, not a limit met
    in practice.

    Codes read from department files are nearly always canonical already;
    those return at once (an ingest calls this several times per row), the
    rest take the full path (:func:`_normalise_full`).
    """
    if _CANONICAL.fullmatch(raw):
        return raw
    return _normalise_full(raw)


def _normalise_full(raw: str) -> str:
    """:func:`normalise` without the shortcut for strings already canonical."""
    text = _normalise_once(raw)
    for _ in range(8):
        again = _normalise_once(text)
        if again == text:
            break
        text = again
    return text


def is_placeholder(raw: str) -> bool:
    """Whether ``raw`` is the individual-business placeholder ``00000000000000000X``.

    Departments send it where the code column is mandatory but the business
    has none; it must be recognised, not reported as a typing error.
    """
    return normalise(raw) == PLACEHOLDER
