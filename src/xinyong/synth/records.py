"""What every department's records share: dates, numbering, authorities, double-publicity rows.

Owns the record window (five years ending at the as-of date), document
numbers unique per department, the issuing authorities of the city (with their
own valid USCCs) and the builders of double-publicity rows in the national
28/30-field order. Department-specific contents live in the ``departments_*``
modules. This module must not write files nor inject noise.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from xinyong.synth.dates import add_years
from xinyong.synth.ids import PLACEHOLDER_CODE, make_uscc
from xinyong.synth.layouts import DEPARTMENTS, DP_LICENSE, DP_PENALTY, DP_PERSON
from xinyong.synth.noise import Cell
from xinyong.synth.organisations import LegalPerson
from xinyong.synth.people import Person
from xinyong.synth.regions import County, Region

Emit = Callable[[str, list[Cell], bool, bool], None]
"""emit(layout key, row in header order, row is about a person, code is the placeholder)."""
Subject = Person | LegalPerson
LONG_TERM = date(2099, 12, 31)
"""Double-publicity convention for "no end date"."""
WINDOW_YEARS = 5


def serial(index: int, slot: int, k: int) -> int:
    """A number unique per department: subject, file slot (< 4) and record ordinal (< 8)."""
    return (index * 4 + slot) * 8 + k


def wan(yuan: int) -> str:
    """Yuan as 万元 with decimals, as double publicity writes amounts (2,000 yuan → 0.2)."""
    return repr(yuan / 10_000) if yuan else "0"


@dataclass(frozen=True)
class Authority:
    """A deciding or issuing body (处罚机关, 许可机关, 法院 …) with its own valid USCC."""

    name: str
    code: str


class Context:
    """The city-wide facts record builders need, computed once per generation."""

    def __init__(self, region: Region, as_of: date) -> None:
        self.region = region
        self.as_of = as_of
        self.city = region.short_name
        self.initial = region.short_name[0]
        self._end = as_of.toordinal()
        self._start = add_years(as_of, -WINDOW_YEARS).toordinal() + 1
        self._dp_dates: dict[date, str] = {}
        self._authorities: dict[tuple[str, str], Authority] = {}

    def day(self, rng: random.Random, not_before: date | None = None) -> date:
        """A day in the record window, not before ``not_before`` (an establishment, an 18th year)."""
        start = self._start if not_before is None else max(self._start, not_before.toordinal())
        start = min(start, self._end)
        return date.fromordinal(start + int(rng.random() * (self._end - start + 1)))

    def dp_date(self, day: date) -> str:
        text = self._dp_dates.get(day)
        if text is None:
            text = self._dp_dates[day] = f"{day:%Y/%m/%d}"
        return text

    def authority(self, department: str, county: County | None) -> Authority:
        """The department's body for ``county`` (None: the prefecture's own)."""
        key = (department, county.code if county else "")
        found = self._authorities.get(key)
        if found is None:
            found = self._authorities[key] = self._make_authority(department, county)
        return found

    def _make_authority(self, department: str, county: County | None) -> Authority:
        prefecture = self.region.prefecture_name
        place = county.name if county else prefecture
        names = {
            "psb": f"{prefecture}公安局{county.name}分局" if county else f"{prefecture}公安局",
            "tax": f"国家税务总局{place}税务局",
            "eco": f"{prefecture}生态环境局{county.name}分局"
            if county
            else f"{prefecture}生态环境局",
            "court": f"{county.name}人民法院" if county else f"{prefecture}中级人民法院",
            "volunteer": f"{prefecture}志愿服务联合会",
        }
        name = names.get(department, f"{place}{DEPARTMENTS[department]}")
        division = county.code if county else self.region.prefecture_code
        body = f"{zlib.crc32(name.encode()) % 10**8:08d}"
        return Authority(
            name, make_uscc("11" if department != "volunteer" else "51", division, body)
        )

    def local_authority(self, department: str, county: County, rng: random.Random) -> Authority:
        """Mostly the county's body, sometimes the prefecture's."""
        return self.authority(department, county if rng.random() < 0.7 else None)


def dp_head(subject: Subject) -> list[Cell]:
    """The 13 fields double publicity opens with: the party and its representative."""
    if isinstance(subject, Person):
        return [subject.name, DP_PERSON, "", "", "", "", "", "", "", "", "", "身份证", subject.code]
    rep = subject.representative
    kind = "个体工商户" if subject.type_code == "92" else "法人及非法人组织"
    code = PLACEHOLDER_CODE if subject.placeholder else subject.code
    return [subject.name, kind, code, "", "", "", "", "", rep.name, "身份证", rep.code, "", ""]


@dataclass(frozen=True)
class Penalty:
    """The department-specific part of a 行政处罚 row."""

    doc: str
    violation: str
    fact: str
    basis: str
    category: str
    content: str
    fine: int
    confiscated: int
    revoked: str
    decided: date
    publish_until: date
    remark: str


def dp_penalty_row(ctx: Context, subject: Subject, p: Penalty, by: Authority) -> list[Cell]:
    row = dp_head(subject)
    row += [p.doc, p.violation, p.fact, p.basis, p.category, p.content, wan(p.fine),
            wan(p.confiscated), p.revoked, p.decided, ctx.dp_date(p.publish_until),
            ctx.dp_date(p.publish_until), by.name, by.code, by.name, by.code, p.remark]  # fmt: skip
    assert len(row) == len(DP_PENALTY)
    return row


@dataclass(frozen=True)
class Licence:
    """The department-specific part of a 行政许可 row."""

    doc: str
    certificate: str
    category: str
    number: str
    content: str
    decided: date
    valid_to: date


def dp_license_row(ctx: Context, subject: Subject, lic: Licence, by: Authority) -> list[Cell]:
    row = dp_head(subject)
    state = "有效" if lic.valid_to >= ctx.as_of else "无效"
    row += ["准予行政许可决定书", lic.doc, lic.category, lic.certificate, lic.number, lic.content,
            lic.decided, ctx.dp_date(lic.decided), ctx.dp_date(lic.valid_to), by.name, by.code,
            state, by.name, by.code, ""]  # fmt: skip
    assert len(row) == len(DP_LICENSE)
    return row


def draw_penalty_terms(
    rng: random.Random, person: bool, decided: date
) -> tuple[str, str, int, int, date, str]:
    """(category, content, fine, confiscated, publication end, remark) for a severity mix.

    Minor: a warning or a fine up to 3,000 yuan (200 for a person); general:
    a larger fine; serious: a heavy fine, confiscation, revocation or closure,
    marked 情节严重, as departments write it. Publication ends 3 months, 1 year
    or 3 years after the decision.
    """
    draw = rng.random()
    if draw < 0.35:
        if rng.random() < 0.5:
            return "警告", "给予警告", 0, 0, decided + timedelta(days=91), "从轻处罚"
        fine = rng.randint(1, 2 if person else 30) * 100
        return "罚款", f"罚款{fine}元", fine, 0, decided + timedelta(days=91), ""
    if draw < 0.90:
        fine = rng.randint(5, 50) * 100 if person else rng.randint(5, 100) * 1000
        confiscated = rng.randint(1, 200) * 100 if rng.random() < 0.3 else 0
        category = "罚款;没收违法所得" if confiscated else "罚款"
        content = f"罚款{fine}元" + (f"，没收违法所得{confiscated}元" if confiscated else "")
        return category, content, fine, confiscated, add_years(decided, 1), ""
    fine = rng.randint(100, 500) * 100 if person else rng.randint(200, 2000) * 1000
    confiscated = rng.randint(10, 500) * (100 if person else 1000)
    closes = not person and rng.random() < 0.5  # a person's licence is revoked, not closed
    category = "罚款;没收违法所得;" + ("责令停产停业" if closes else "吊销许可证件")
    content = f"罚款{fine}元，没收违法所得{confiscated}元，" + (
        "责令停产停业" if closes else "吊销许可证"
    )
    return category, content, fine, confiscated, add_years(decided, 3), "情节严重"
