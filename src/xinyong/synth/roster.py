"""A synthetic roster of inspectors (执法检查人员) for a generated city's demo.

A few market-regulation inspectors per county, named like the city's people,
so that a plan can always find inspectors from another county than the
entity's (the conflict rule). Seeded: the same city gives the same roster.
"""

from __future__ import annotations

import random

from faker.providers.person.zh_CN import Provider as FakerPerson

from xinyong.synth.regions import Region


def roster(city: Region, *, per_county: int = 3, seed: int = 0) -> list[dict[str, str]]:
    """Rows of ``id, name, region, department`` (as ``xinyong inspect roster`` reads them)."""
    rng = random.Random(f"roster|{city.prefecture_code}|{seed}")
    surnames = list(FakerPerson.last_names)
    given = list(FakerPerson.first_names_male) + list(FakerPerson.first_names_female)
    rows = []
    for county in city.counties:
        for n in range(1, per_county + 1):
            rows.append({"id": f"insp-{county.code}-{n:02d}",
                         "name": rng.choice(surnames) + rng.choice(given),
                         "region": county.code, "department": "samr"})  # fmt: skip
    return rows
