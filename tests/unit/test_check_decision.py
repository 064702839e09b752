"""Check decisions against the shipped national pack: which measures apply, on what basis.

A measure applies when its memorandum names the entry's list, it covers the
matter, memorandum and measure are both in force on the day, and it reaches
the subject as found (itself, or as a listed legal person's legal
representative). Restrict if any sanction applies, else favour if any reward
does, else proceed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import pytest

from xinyong.checks.index import CheckIndex, Hit
from xinyong.checks.model import (
    PROCEED,
    AppliedMeasure,
    Decision,
    MeasureTable,
    UnknownMatterError,
    check_many,
    decide,
)
from xinyong.policy.loader import load_pack
from xinyong.policy.model import Memorandum, Pack

TODAY = date(2026, 6, 1)
UNTIL = date(2028, 5, 31)
DEFAULTER = "350102198506152349"  # a natural person on the judgment-defaulter list
COMPANY = "91350100M000100Y43"  # a legal person on the judgment-defaulter list …
REPRESENTATIVE = "35010219800101123X"  # … and its legal representative
TAXPAYER = "91350102MA2Y0AB12K"  # on the A-grade taxpayer (red) list
NOBODY = "110101199003078515"

ROWS = [
    (1, DEFAULTER, "judgment_defaulters", UNTIL, None),
    (2, COMPANY, "judgment_defaulters", UNTIL, None),
    (2, REPRESENTATIVE, "judgment_defaulters", UNTIL, COMPANY),
    (3, TAXPAYER, "a_grade_taxpayers", date(2027, 6, 30), None),
]


@cache
def national() -> Pack:
    return load_pack("national").pack


@cache
def index() -> CheckIndex:
    return CheckIndex.build(ROWS)


def check(code: str, matter: str, pack: Pack | None = None, today: date = TODAY) -> Decision:
    """The decision for ``code`` over the index of ROWS, under ``pack`` (national by default)."""
    table = MeasureTable.compile(pack or national())
    return decide(table, index().lookup(code, today), matter, today)


def test_a_judgment_defaulter_is_restricted_from_flights_on_the_cited_basis() -> None:
    decision = check(DEFAULTER, "flight_ticket")

    assert decision.outcome == "restrict"
    assert decision.measures == (
        AppliedMeasure(
            measure="no_flights",
            kind="sanction",
            name_zh="限制乘坐飞机",
            name_en="No flights",
            legal_basis="最高人民法院关于限制被执行人高消费及有关消费的若干规定（法释〔2015〕17号）第3条第1款第1项",
            department="caac",
            memorandum="defaulters_joint_sanctions",
            memorandum_basis="发改财金〔2016〕141号",
            entry_id=1,
            list_code="judgment_defaulters",
            until=UNTIL,
            via=None,
        ),
    )


def test_the_legal_representative_is_reached_only_by_measures_that_name_representatives() -> None:
    flights = check(REPRESENTATIVE, "flight_ticket")  # no_flights reaches legal_representative
    procurement = check(REPRESENTATIVE, "procurement_bid")  # procurement_exclusion: subject only

    assert flights.outcome == "restrict"
    assert [(m.measure, m.entry_id, m.via) for m in flights.measures] == [
        ("no_flights", 2, COMPANY)
    ]
    assert procurement == PROCEED
    assert check(COMPANY, "procurement_bid").outcome == "restrict"  # the company itself is


def test_a_red_list_subject_is_favoured_where_a_reward_memorandum_applies() -> None:
    decision = check(TAXPAYER, "permit_application")

    assert decision.outcome == "favour"
    assert [(m.measure, m.kind, m.memorandum) for m in decision.measures] == [
        ("green_lane", "reward", "a_taxpayer_joint_rewards")
    ]


def test_a_listed_subject_proceeds_for_a_matter_no_measure_of_its_lists_covers() -> None:
    assert check(TAXPAYER, "flight_ticket") == PROCEED
    assert check(DEFAULTER, "inspection") == PROCEED  # stricter_supervision: other lists


def test_an_unlisted_subject_proceeds_with_the_shared_decision() -> None:
    assert check(NOBODY, "flight_ticket") is PROCEED


def test_an_entry_past_its_until_day_no_longer_restricts() -> None:
    assert check(DEFAULTER, "flight_ticket", today=UNTIL).outcome == "restrict"
    assert check(DEFAULTER, "flight_ticket", today=UNTIL + timedelta(days=1)) is PROCEED


def _with_measure(pack: Pack, code: str, **changes: object) -> Pack:
    measures = [m.model_copy(update=changes) if m.code == code else m for m in pack.measures]
    return pack.model_copy(update={"measures": measures})


def _with_memorandum(pack: Pack, code: str, **changes: object) -> Pack:
    memoranda = [m.model_copy(update=changes) if m.code == code else m for m in pack.memoranda]
    return pack.model_copy(update={"memoranda": memoranda})


def test_a_measure_not_yet_in_force_does_not_apply() -> None:
    later = _with_measure(national(), "no_flights", valid_from=TODAY + timedelta(days=1))

    assert check(DEFAULTER, "flight_ticket", later) is PROCEED
    assert check(DEFAULTER, "flight_ticket", later, TODAY + timedelta(days=1)).outcome == "restrict"


def test_a_measure_applies_on_its_last_day_and_not_after() -> None:
    ending = _with_measure(national(), "no_flights", valid_to=TODAY)

    assert check(DEFAULTER, "flight_ticket", ending).outcome == "restrict"
    assert check(DEFAULTER, "flight_ticket", ending, TODAY + timedelta(days=1)) is PROCEED


def test_a_memorandum_not_in_force_applies_none_of_its_measures() -> None:
    ended = _with_memorandum(
        national(), "defaulters_joint_sanctions", valid_to=TODAY - timedelta(days=1)
    )
    not_yet = _with_memorandum(
        national(), "defaulters_joint_sanctions", valid_from=TODAY + timedelta(days=1)
    )

    for pack in (ended, not_yet):
        assert check(DEFAULTER, "flight_ticket", pack) is PROCEED
        assert check(COMPANY, "procurement_bid", pack) is PROCEED


def test_a_measure_two_memoranda_link_to_one_list_applies_once_on_the_first_basis() -> None:
    pack = national()
    twin = Memorandum(
        code="defaulters_again",
        name=pack.memoranda[0].name,
        legal_basis="示例〔2026〕1号",
        lists=["judgment_defaulters"],
        measures=["no_flights"],
        valid_from=date(2020, 1, 1),
    )
    pack = pack.model_copy(update={"memoranda": [*pack.memoranda, twin]})

    decision = check(DEFAULTER, "flight_ticket", pack)

    assert [(m.measure, m.memorandum) for m in decision.measures] == [
        ("no_flights", "defaulters_joint_sanctions")
    ]


def test_a_sanction_outweighs_a_reward_for_the_same_matter() -> None:
    table = MeasureTable.compile(national())
    hits = [
        Hit(10, "a_grade_taxpayers", None, None),
        Hit(11, "samr_serious_violation", None, None),
    ]

    decision = decide(table, hits, "procurement_bid", TODAY)

    assert decision.outcome == "restrict"
    assert {(m.measure, m.kind) for m in decision.measures} == {
        ("procurement_bonus", "reward"),
        ("procurement_exclusion", "sanction"),
    }


def test_an_unknown_matter_is_refused_even_for_an_unlisted_subject() -> None:
    table = MeasureTable.compile(national())

    with pytest.raises(UnknownMatterError, match="unknown matter 'space_flight'") as raised:
        decide(table, (), "space_flight", TODAY)
    assert isinstance(raised.value, ValueError)
    assert "flight_ticket" in raised.value.known


def test_check_many_decides_each_code_as_decide_does() -> None:
    table = MeasureTable.compile(national())
    codes = [NOBODY, DEFAULTER, REPRESENTATIVE, TAXPAYER, COMPANY, "not a code"]

    decisions = check_many(index(), table, codes, "flight_ticket", TODAY)

    assert decisions == [
        decide(table, index().lookup(code, TODAY), "flight_ticket", TODAY) for code in codes
    ]
    assert [d.outcome for d in decisions] == [
        "proceed",
        "restrict",
        "restrict",
        "proceed",
        "restrict",
        "proceed",
    ]
    with pytest.raises(UnknownMatterError):
        check_many(index(), table, [], "space_flight", TODAY)
