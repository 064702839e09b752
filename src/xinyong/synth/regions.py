"""The synthetic city's geography, read from python-stdnum's division table (``cn/loc``).

Owns which six-digit division codes a generated resident ID or USCC may carry.
``stdnum.cn.ric`` accepts an ID only if its division code was in force in the
birth year (环翠区 371002 exists from 1987), so a person born in 1960 in
Weihai is given the code the same place had then (372102 威海市, then
370620 …), found by name stem. Codes stdnum does not know are never used
(Faker's ``ssn()`` fails ``ric.is_valid`` for that reason). This module must
not draw random numbers: choices from these tables are made by the callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from stdnum import numdb

from xinyong.synth.spec import RegionError

FIRST_BIRTH_YEAR = 1940
LAST_BIRTH_YEAR = 2006
_OPEN_END = 9999
_SUFFIXES = "市县区旗"
_NOT_A_PLACE = ("市辖区", "市区", "郊区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")

PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉",
    "23": "黑", "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣",
    "37": "鲁", "41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
    "50": "渝", "51": "川", "52": "贵", "53": "云", "54": "藏", "61": "陕", "62": "甘",
    "63": "青", "64": "宁", "65": "新",
}  # fmt: skip


@dataclass(frozen=True)
class Division:
    """行政区划 (administrative division): one six-digit code with its names over time."""

    code: str
    names: tuple[tuple[int, int, str], ...]  # (first year, last year, name)

    def valid_in(self, year: int) -> bool:
        return any(start <= year <= end for start, end, _ in self.names)

    @property
    def name(self) -> str:
        """The latest name."""
        return self.names[-1][2]


@dataclass(frozen=True)
class County:
    code: str
    name: str


@dataclass(frozen=True)
class Region:
    """The city: a prefecture, its current counties and the birth-place codes by year."""

    prefecture_code: str
    province_name: str
    prefecture_name: str
    province_abbreviation: str
    counties: tuple[County, ...]
    home_codes: dict[int, tuple[str, ...]]  # year → codes of this place valid that year
    elsewhere_codes: dict[int, tuple[str, ...]]  # year → codes of other places

    @property
    def province_short(self) -> str:
        """山东省 → 山东, 广西壮族自治区 → 广西, for names such as 山东鑫盛律师事务所."""
        for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"):
            if self.province_name.endswith(suffix):
                return self.province_name[: -len(suffix)]
        return self.province_name

    @property
    def short_name(self) -> str:
        """威海市 → 威海, for names such as 威海鑫盛食品有限公司."""
        return _stem(self.prefecture_name)


def _parse_names(text: str) -> tuple[tuple[int, int, str], ...]:
    """``[1987-]环翠区`` or ``[-1991]东郊区,[1992-]东丽区`` → year ranges with names."""
    out: list[tuple[int, int, str]] = []
    for part in text.split(","):
        if not part.startswith("["):
            out.append((0, _OPEN_END, part))
            continue
        span, name = part[1:].split("]", 1)
        start, end = span.split("-")
        out.append((int(start) if start else 0, int(end) if end else _OPEN_END, name))
    return tuple(out)


@cache
def divisions() -> dict[str, tuple[str, tuple[Division, ...]]]:
    """province prefix → (province name, its county-level divisions), from stdnum's table."""
    out: dict[str, tuple[str, tuple[Division, ...]]] = {}
    for _length, low, _high, props, children in numdb.get("cn/loc").prefixes:
        counties = tuple(
            Division(low + c_low, _parse_names(c_props["county"]))
            for _l, c_low, _h, c_props, _c in children
            if "county" in c_props
        )
        out[low] = (props.get("province", ""), counties)
    return out


def _stem(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in _SUFFIXES else name


def _is_place(division: Division) -> bool:
    """A county-level place, not a prefecture (xx00) or its 市辖区."""
    return not division.code.endswith("00") and division.name not in _NOT_A_PLACE


def _codes_by_year(pool: list[Division], need: int, fill: list[Division]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for year in range(FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR + 1):
        codes = [d.code for d in pool if d.valid_in(year)]
        for d in fill:  # a place whose history the table lacks borrows nearby codes
            if len(codes) >= need:
                break
            if d.valid_in(year) and d.code not in codes:
                codes.append(d.code)
        out[year] = codes
    return out


@cache
def load_region(code: str, as_of_year: int) -> Region:
    """The region of prefecture ``code`` (``371000`` or its first four digits ``3710``).

    Raises :class:`RegionError` if the table has no such prefecture with counties.
    """
    table, prefix = divisions(), code[:4]
    if prefix[:2] not in table:
        raise RegionError(region=code)
    province_name, province = table[prefix[:2]]
    current = [
        d for d in province if d.code.startswith(prefix) and _is_place(d) and d.valid_in(as_of_year)
    ]
    prefecture = next((d for d in province if d.code == prefix + "00"), None)
    if not current or prefecture is None:
        raise RegionError(region=code)
    stems = {_stem(d.name) for d in current} | {_stem(prefecture.name)}
    lineage = [d for d in province if _is_place(d) and {_stem(n) for *_, n in d.names} & stems]
    places = [d for _, (_, ds) in sorted(table.items()) for d in ds if _is_place(d)]
    home = _codes_by_year(lineage, len(current), [d for d in province if _is_place(d)] + places)
    home_all = {c for codes in home.values() for c in codes}
    elsewhere = {
        year: tuple(d.code for d in places if d.valid_in(year) and d.code not in home_all)
        for year in home
    }
    return Region(
        prefecture_code=prefecture.code,
        province_name=province_name,
        prefecture_name=province_name if prefecture.name in _NOT_A_PLACE else prefecture.name,
        province_abbreviation=PROVINCE_ABBREVIATIONS.get(prefix[:2], ""),
        counties=tuple(County(d.code, d.name) for d in current),
        home_codes={y: tuple(c) for y, c in home.items()},
        elsewhere_codes=elsewhere,
    )
