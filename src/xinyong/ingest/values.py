"""Reading values as departments write them: dates, catalog-typed payload values, content hashes.

Pure functions with no knowledge of batches or subjects; validation
(:mod:`xinyong.ingest.validate`) applies them field by field.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from xinyong.ingest.errors import DateError, PayloadEnumError, PayloadTypeError, RowError
from xinyong.ingest.model import Cell
from xinyong.policy.model import PayloadField

_EXCEL_EPOCH = date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TRUE = frozenset({"true", "1", "是", "yes", "y"})
_FALSE = frozenset({"false", "0", "否", "no", "n"})


# A file repeats its dates (decision days, birth days) many times over: remembered,
# by type too, so that True is not taken for the serial 1.
@lru_cache(maxsize=1 << 16, typed=True)
def parse_day(value: Cell) -> date | None:
    """A date in any form departments write, an XLSX serial, or None if it is none of them."""
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's serial range (to 9999-12-31)
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    if not isinstance(value, str):
        return None
    # NFKC leaves ASCII as it is, and nearly every date a department writes is ASCII.
    text = (value if value.isascii() else unicodedata.normalize("NFKC", value)).strip()
    match = _ISO.match(text) or _CHINESE.match(text) or _COMPACT.match(text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


# One encoder for every hash: json.dumps with options builds a new one per call.
_CANONICAL_JSON = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str, check_circular=False
)


def content_hash(values: Mapping[str, Any]) -> str:
    """SHA-256 of what a record says (the store's CONTENT_FIELDS), canonically encoded."""
    text = _CANONICAL_JSON.encode(values)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_content(
    *,
    subject_code: str,
    catalog_item: str,
    department: str,
    jurisdiction: str,
    document_number: str,
    decided_on: date,
    occurred_on: date | None,
    severity: str | None,
    polarity: str,
    payload: Mapping[str, Any],
) -> dict[str, Any]:
    """What a record says (the store's CONTENT_FIELDS), in the one shape its hash is taken of.

    Ingest and a correction (an objection's ruling) hash the same shape, so a
    record says the same thing whichever way it arrived.
    """
    return {
        "subject_code": subject_code, "catalog_item": catalog_item, "department": department,
        "jurisdiction": jurisdiction, "document_number": document_number,
        "decided_on": decided_on.isoformat(),
        "occurred_on": occurred_on.isoformat() if occurred_on else None,
        "severity": severity, "polarity": polarity, "payload": payload,
    }  # fmt: skip


def typed_value(spec: PayloadField, value: Any) -> tuple[Any, RowError | None]:
    """The value in its catalog type (JSON-ready), or the error saying why it is not one."""
    kind = spec.type
    if isinstance(value, list | dict):
        # JSON callers can send structures; no catalog field holds one.
        return None, PayloadTypeError(value=value, type=kind)
    if kind == "string":
        return str(value), None
    if kind == "enum":
        text = str(value)
        if text not in spec.values:
            return None, PayloadEnumError(value=text, allowed=", ".join(spec.values))
        return text, None
    if kind == "date":
        day = parse_day(value)
        return (day.isoformat(), None) if day else (None, DateError(value=value))
    if kind == "boolean":
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE, None
        return None, PayloadTypeError(value=value, type="boolean")
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None, PayloadTypeError(value=value, type=kind)
    if not number.is_finite():
        return None, PayloadTypeError(value=value, type=kind)
    if kind == "integer":
        if number != number.to_integral_value():
            return None, PayloadTypeError(value=value, type=kind)
        return int(number), None
    return (int(number) if number == number.to_integral_value() else float(number)), None
