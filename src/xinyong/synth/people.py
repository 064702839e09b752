"""Natural persons (自然人) of the synthetic city, each regenerated from (seed, index) alone.

Owns a person's identity: name, sex, birth date, resident ID, home address and
professions (the "key groups"). Names are drawn from Faker's zh_CN person
provider *lists* (surnames with their weights, given names by sex) with the
subject's own seeded ``random.Random``, for speed: ``Faker().name()`` costs
about 25 µs a call here against under 1 µs for these draws, and re-seeding a
Faker per subject (to rebuild subject ``i`` alone) costs more again. Two-character
given names are also composed from its single-character ones. Birth
date, birth-place code and sequence come from a keyed permutation of the
index, so resident IDs are unique without a registry of issued numbers.
This module must not write files nor know about departments.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from faker.providers.person.zh_CN import Provider as FakerPerson

from xinyong.synth.ids import Permutation, make_ric, mix64, subject_rng
from xinyong.synth.regions import FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR, County, Region

LEGAL_PERSON_SLOTS = frozenset({2, 5, 8})
"""Subject ``i`` is a legal person when ``i % 10`` is one of these: 30 % of subjects."""

PROFESSIONS: tuple[tuple[str, str, float], ...] = (
    ("teacher", "教师", 0.30),
    ("civil_servant", "公务员", 0.22),
    ("doctor", "医师", 0.18),
    ("accountant", "注册会计师", 0.10),
    ("pharmacist", "执业药师", 0.08),
    ("lawyer", "律师", 0.07),
    ("tour_guide", "导游", 0.05),
)
"""Key groups (重点人群) of the credit Planning Outline, with their share among professionals."""
PROFESSION_SHARE = 0.12
"""Share of working-age persons (23–62 at the as-of date) in a key-group profession."""

_STREETS = tuple(f"{c}{s}" for c in ("青岛", "文化", "统一", "海滨", "昆明", "新威", "世昌", "古寨",
                                     "北京", "上海", "长春", "金线顶", "渔港", "府前", "峰山")
                 for s in ("路", "街", "中路", "北路"))  # fmt: skip
_FIRST_BIRTH = date(FIRST_BIRTH_YEAR, 1, 1)
_BIRTH_DAYS = (date(LAST_BIRTH_YEAR, 12, 31) - _FIRST_BIRTH).days + 1
_SEQUENCES = 1000
_RECENT = 256  # persons kept for legal persons that follow them (see Organisations)


def is_person(index: int) -> bool:
    return index % 10 not in LEGAL_PERSON_SLOTS


def person_at_or_before(index: int) -> int:
    """The nearest person index at or below ``index`` (subjects 0 and 1 are always persons)."""
    while not is_person(index):
        index -= 1
    return index


@dataclass(frozen=True, slots=True)
class Person:
    """自然人 (natural person), keyed by the 18-digit resident ID (GB 11643)."""

    index: int
    code: str
    name: str
    sex: str  # 男 / 女, as the ID's sequence parity says
    birth: date
    county: County
    address: str
    professions: tuple[str, ...]


class People:
    """Makes person ``index`` of a city; the same (seed, index) always gives the same person."""

    def __init__(self, region: Region, seed: int, as_of: date) -> None:
        self._region = region
        self._as_of = as_of
        home_slots = len(region.counties)
        self._elsewhere_slots = max(1, (home_slots + 3) // 4)  # about one person in five
        self._home_slots = home_slots
        self._slots = home_slots + self._elsewhere_slots
        self._permutation = Permutation(_BIRTH_DAYS * self._slots * _SEQUENCES, mix64(seed) ^ 1)
        self._surnames = tuple(FakerPerson.last_names)
        self._surname_weights = tuple(accumulate(FakerPerson.last_names.values()))
        self._given = {
            "男": tuple(FakerPerson.first_names_male),
            "女": tuple(FakerPerson.first_names_female),
        }
        self._single = {
            sex: tuple(n for n in names if len(n) == 1) for sex, names in self._given.items()
        }
        self._days = [_FIRST_BIRTH + timedelta(days=d) for d in range(_BIRTH_DAYS)]
        self._day_digits = [f"{day:%Y%m%d}" for day in self._days]
        self._prefix = region.province_name + region.prefecture_name
        self._seed = seed
        self._recent: dict[int, Person] = {}

    @property
    def capacity(self) -> int:
        """How many distinct resident IDs this city can issue."""
        return _BIRTH_DAYS * self._slots * _SEQUENCES

    def birth_of(self, index: int) -> date:
        """The birth date of person ``index``, without drawing anything else."""
        return self._days[self._permutation(index) // (_SEQUENCES * self._slots)]

    def get(self, index: int) -> Person:
        """Person ``index``, from the cache of recent persons or made afresh (the same either way)."""
        found = self._recent.get(index)
        return found if found is not None else self.make(index, subject_rng(self._seed, index))

    def make(self, index: int, rng: random.Random) -> Person:
        """Person ``index``; ``rng`` must be the subject's fresh stream (``subject_rng``).

        The identity is drawn first, so the stream can go on to the person's records.
        """
        person = self._make(index, rng)
        self._recent[index] = person
        if len(self._recent) > _RECENT:
            del self._recent[next(iter(self._recent))]
        return person

    def _make(self, index: int, rng: random.Random) -> Person:
        slot_day, sequence = divmod(self._permutation(index), _SEQUENCES)
        day, slot = divmod(slot_day, self._slots)
        birth = self._days[day]
        sex = "男" if sequence % 2 else "女"
        code = make_ric(self._birth_place(birth.year, day, slot), self._day_digits[day], sequence)
        county = rng.choice(self._region.counties)
        return Person(
            index=index,
            code=code,
            name=self._name(rng, sex),
            sex=sex,
            birth=birth,
            county=county,
            address=self._address(rng, county),
            professions=self._professions(rng, birth),
        )

    def _birth_place(self, year: int, day: int, slot: int) -> str:
        # Distinct slots give distinct codes on one day, which keeps IDs unique.
        if slot < self._home_slots:
            home = self._region.home_codes[year]
            return home[(slot + day) % len(home)]
        elsewhere = self._region.elsewhere_codes[year]
        return elsewhere[(mix64(day) + slot) % len(elsewhere)]

    def _name(self, rng: random.Random, sex: str) -> str:
        surname = self._surnames[
            bisect.bisect(self._surname_weights, rng.random() * self._surname_weights[-1])
        ]
        if rng.random() < 0.45:  # two-character given names, as most Chinese names have
            single = self._single[sex]
            return surname + rng.choice(single) + rng.choice(single)
        return surname + rng.choice(self._given[sex])

    def _address(self, rng: random.Random, county: County) -> str:
        street = rng.choice(_STREETS)
        return (
            f"{self._prefix}{county.name}{street}{rng.randint(1, 299)}号"
            f"{rng.randint(1, 6)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室"
        )

    def _professions(self, rng: random.Random, birth: date) -> tuple[str, ...]:
        age = self._as_of.year - birth.year
        if not 23 <= age <= 62 or rng.random() >= PROFESSION_SHARE:
            return ()
        pick = rng.random()
        for code, _label, share in PROFESSIONS:
            pick -= share
            if pick < 0:
                return (code,)
        return (PROFESSIONS[0][0],)


def profession_label(code: str) -> str:
    return next(label for c, label, _ in PROFESSIONS if c == code)
