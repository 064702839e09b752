"""Administrative divisions (GB/T 2260) as python-stdnum's ``cn/loc`` table knows them.

Owns the lookups of division codes, and the one place where stdnum's
``KeyError: 'county'`` (raised for codes such as 620201, prefecture cities
without counties, instead of a ValidationError) is turned into our error.
Must not keep a copy of the table or guess names the table lacks.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from stdnum import numdb

from xinyong.codes.errors import DivisionFormatError, ResidentIdRegionError, UnknownDivisionError

NATIONAL_DIVISION = "100000"
"""Division code of registration authorities at national level (GB 32100:
central bodies register under 100000). GB/T 2260, and so stdnum's table, has
no such entry, yet central organs and national associations carry it."""

# Names the table gives the xx00 level of municipalities and of provinces'
# directly administered counties: groupings, not prefectures anyone names.
_NOT_A_PREFECTURE = frozenset(
    {"市辖区", "县", "省直辖县级行政单位", "省直辖行政单位", "自治区直辖县级行政单位"}
)


@dataclass(frozen=True)
class Region:
    """行政区划 (administrative division) of a registration authority or of a birth.

    ``prefecture`` is None for province-level codes and for municipalities'
    districts (北京市 朝阳区 has no prefecture); ``county`` is None above
    county level.
    """

    code: str
    province: str
    prefecture: str | None
    county: str | None


def _table() -> Any:
    # Opened on first use (stdnum caches it), never at import.
    return numdb.get("cn/loc")


# The table is static, and an ingest asks about the same few thousand divisions
# again in every checking worker (a fork per file): stdnum's prefix search costs
# ~0.1 ms a call, so the whole table is unfolded once, in about 20 ms, into one
# dict that forked workers share. ``tests/property/test_codes_fast.py`` holds
# it to stdnum's own answers for every division.
@functools.lru_cache(maxsize=1)
def _divisions() -> dict[str, dict[str, str]]:
    """Every division in the table: its properties, the longer prefix's winning."""
    unfolded: dict[str, dict[str, str]] = {}
    _unfold(_table().prefixes, "", {}, unfolded)
    return unfolded


def _unfold(
    prefixes: list[Any], head: str, inherited: dict[str, str], out: dict[str, dict[str, str]]
) -> None:
    # Siblings that cover the same part merge, as stdnum's search merges them.
    parts: dict[str, tuple[dict[str, str], list[Any]]] = {}
    for length, low, high, props, children in prefixes:
        if low != high and not (low.isdigit() and high.isdigit()):
            continue  # no such range in cn/loc; _entry falls back to stdnum for it
        for number in range(int(low), int(high) + 1):
            merged, below = parts.setdefault(str(number).zfill(length), ({}, []))
            merged.update(props)
            below.extend(children)
    for part, (props, children) in parts.items():
        code, own = head + part, {**inherited, **props}
        if len(code) == 6:
            out[code] = own
        elif len(code) < 6:
            _unfold(children, code, own, out)


@functools.lru_cache(maxsize=16384)
def _entry(division: str) -> dict[str, str]:
    """The table's properties of a division, the longer prefix's winning (as stdnum merges them)."""
    entry = _divisions().get(division)
    if entry is not None:
        return entry
    return {k: v for _part, props in _table().info(division) for k, v in props.items()}


def _lookup(division: str) -> tuple[str | None, str | None]:
    """(province name, the raw names of the 6-digit entry, e.g. ``[-2010]崇文区``)."""
    entry = _entry(division)
    return entry.get("province"), entry.get("county")


def _pick(names: str, year: int | None) -> str | None:
    """The name in force in ``year``, or the latest name when ``year`` is None.

    The table writes renamed or abolished divisions as ``[start-end]name``
    entries, comma-separated, in chronological order; bounds are inclusive,
    as stdnum reads them.
    """
    spans: list[tuple[int | None, int | None, str]] = []
    for item in names.split(","):
        if item.startswith("["):
            span, name = item[1:].split("]", 1)
            first, last = span.split("-")
            spans.append((int(first) if first else None, int(last) if last else None, name))
        else:
            spans.append((None, None, item))
    if year is None:
        return spans[-1][2]
    for start, end, name in spans:
        if (start is None or year >= start) and (end is None or year <= end):
            return name
    return None


def division_known(division: str) -> bool:
    """Whether a USCC's division code (characters 3–8) exists in the table at any time.

    Registration authorities keep codes issued under divisions since
    renamed or abolished, so any code the table has ever held is accepted.
    """
    if division == NATIONAL_DIVISION:
        return True
    province, names = _lookup(division)
    return bool(province and names)


# Cached like _entry (a Region is immutable): registering a subject asks for
# its region, and a city's subjects share a few hundred (division, year) pairs.
@functools.lru_cache(maxsize=16384)
def region(division: str, year: int | None = None) -> Region:
    """Names of a 6-digit division code, as they were in ``year`` (None: latest)."""
    if len(division) != 6 or not (division.isascii() and division.isdigit()):
        raise DivisionFormatError(division=division)
    if division == NATIONAL_DIVISION:
        return Region(division, "全国", None, None)
    province, names = _lookup(division)
    if not province or not names:
        raise UnknownDivisionError(division=division)
    own = _pick(names, year) or _pick(names, None)
    if division[2:] == "0000":
        return Region(division, province, None, None)
    if division[4:] == "00":
        return Region(division, province, None if own in _NOT_A_PREFECTURE else own, None)
    _, prefecture_names = _lookup(division[:4] + "00")
    prefecture = None
    if prefecture_names:
        prefecture = _pick(prefecture_names, year) or _pick(prefecture_names, None)
    if prefecture in _NOT_A_PREFECTURE:
        prefecture = None
    return Region(division, province, prefecture, own)


def birth_place(resident_id: str, born: date) -> dict[str, str]:
    """stdnum's birth place of an 18-digit resident ID whose date is already checked.

    What ``ric.get_birth_place`` gives (see :func:`_birth_place`). stdnum raises
    ``KeyError: 'county'`` for division codes the table lists without a name
    (620201 …), and a ValidationError for unknown codes or codes not in force
    in the birth year; both mean the same thing to a clerk, and both are a
    ResidentIdRegionError here.
    """
    place = _birth_place(resident_id[:6], born.year)
    if place is None:
        raise ResidentIdRegionError(division=resident_id[:6], year=born.year)
    return dict(place)


def birth_place_known(division: str, year: int) -> bool:
    """Whether :func:`birth_place` accepts a number of ``division`` born in ``year``."""
    return _birth_place(division, year) is not None


@functools.lru_cache(maxsize=65536)
def _birth_place(division: str, year: int) -> tuple[tuple[str, str], ...] | None:
    """stdnum's birth place of (division, birth year), None where it has none; cached.

    What ``ric.get_birth_place`` answers for a number of that division and
    year (it reads nothing else of the number), with its year rule applied
    here to the division's entry read once: stdnum's own function searches
    the table on every call (≈0.1 ms), and a city's residents spread over
    tens of thousands of (division, year) pairs, each worker process asking
    anew. A test compares the two over the whole table.
    """
    info = _entry(division)
    if not info or "county" not in info:  # stdnum: InvalidComponent, or KeyError 'county'
        return None
    for county in info["county"].split(","):
        if not county.startswith("["):
            return tuple(info.items())
        span, name = county[1:].split("]")
        start, end = span.split("-")
        if start and year < int(start):
            continue
        if end and year > int(end):
            continue
        return tuple({**info, "county": name}.items())
    return None


def resident_region(resident_id: str, born: date) -> Region:
    """The region of birth, with the division's own name as stdnum gives it for that year."""
    return _resident_region(resident_id[:6], born.year)


@functools.lru_cache(maxsize=65536)
def _resident_region(division: str, year: int) -> Region:
    # Both lookups read only the division and the birth year (see _birth_place).
    place = _birth_place(division, year)
    if place is None:
        raise ResidentIdRegionError(division=division, year=year)
    found = region(division, year)
    county = dict(place)["county"]
    if found.county is not None:
        return dataclasses.replace(found, county=county)
    if found.prefecture is not None:
        return dataclasses.replace(found, prefecture=county)
    return found
