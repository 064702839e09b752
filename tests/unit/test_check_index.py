"""The check index: which list entries reach a code on a day, and how refreshes change it.

Rows are (entry_id, code, list_code, until, via). An entry has one row for its
listed subject and one per legal representative (``via`` = the legal person's
code). The last test holds the index, through random builds, refreshes and
compactions, equal to a plain dict-of-lists model of the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.checks.index import CheckIndex, Hit, IndexRow

TODAY = date(2026, 6, 1)
COMPANY = "91350100M000100Y43"
OTHER_COMPANY = "91350102MA2Y0AB12K"
PERSON = "350102198506152349"
REPRESENTATIVE = "35010219800101123X"
NOT_LISTED = "110101199003078515"


def test_a_listed_subject_is_found_and_an_unlisted_one_is_not() -> None:
    index = CheckIndex.build([(7, PERSON, "judgment_defaulters", None, None)])

    assert index.lookup(PERSON, TODAY) == (Hit(7, "judgment_defaulters", None, None),)
    assert index.lookup(NOT_LISTED, TODAY) == ()
    assert len(index) == 1


@pytest.mark.parametrize(
    "code",
    [
        "",
        PERSON[:17],
        PERSON + "0",
        COMPANY.lower(),  # int(…, 36) reads it like COMPANY; it is still malformed
        REPRESENTATIVE.lower(),  # a resident ID ending in a lower-case x
        " " + COMPANY[1:],
        "+" + COMPANY[1:],
        COMPANY[:5] + "_" + COMPANY[6:],
        "٣" + PERSON[1:],  # an Arabic-Indic three, which int() accepts as a digit
        "中华人民共和国统一社会信用代码十八位",
    ],
)
def test_a_malformed_code_finds_nothing_and_raises_nothing(code: str) -> None:
    index = CheckIndex.build(
        [
            (1, COMPANY, "judgment_defaulters", None, None),
            (2, PERSON, "judgment_defaulters", None, None),
            (3, REPRESENTATIVE, "judgment_defaulters", None, None),
        ]
    )

    assert index.lookup(code, TODAY) == ()


def test_an_entry_applies_up_to_and_including_its_until_day() -> None:
    until = date(2026, 6, 30)
    index = CheckIndex.build([(1, PERSON, "judgment_defaulters", until, None)])

    assert [h.entry_id for h in index.lookup(PERSON, until)] == [1]
    assert index.lookup(PERSON, until + timedelta(days=1)) == ()
    assert len(index.lookup(PERSON, TODAY)) == 1


def test_a_code_on_several_lists_gets_every_entry_in_entry_order() -> None:
    index = CheckIndex.build(
        [
            (30, PERSON, "tax_arrears_defaulters", None, None),
            (10, PERSON, "judgment_defaulters", date(2026, 12, 31), None),
            (20, PERSON, "long_serving_volunteers", TODAY - timedelta(days=1), None),  # expired
        ]
    )

    assert index.lookup(PERSON, TODAY) == (
        Hit(10, "judgment_defaulters", date(2026, 12, 31), None),
        Hit(30, "tax_arrears_defaulters", None, None),
    )
    assert len(index) == 3


def test_a_legal_representative_is_found_via_the_listed_legal_person() -> None:
    index = CheckIndex.build(
        [
            (5, COMPANY, "judgment_defaulters", None, None),
            (5, REPRESENTATIVE, "judgment_defaulters", None, COMPANY),
            (6, REPRESENTATIVE, "tax_arrears_defaulters", None, None),  # listed in person too
        ]
    )

    assert index.lookup(COMPANY, TODAY) == (Hit(5, "judgment_defaulters", None, None),)
    assert index.lookup(REPRESENTATIVE, TODAY) == (
        Hit(5, "judgment_defaulters", None, COMPANY),
        Hit(6, "tax_arrears_defaulters", None, None),
    )
    assert len(index) == 2  # entries, not rows


def test_a_refresh_adds_and_removes_entries_in_a_new_index_leaving_the_old_one_whole() -> None:
    old = CheckIndex.build(
        [
            (1, COMPANY, "judgment_defaulters", None, None),
            (1, REPRESENTATIVE, "judgment_defaulters", None, COMPANY),
            (2, PERSON, "judgment_defaulters", None, None),
        ]
    )

    new = old.refreshed(added=[(3, NOT_LISTED, "a_grade_taxpayers", None, None)], removed=[1])

    assert new.lookup(COMPANY, TODAY) == ()
    assert new.lookup(REPRESENTATIVE, TODAY) == ()  # removal hides the representative's row too
    assert [h.entry_id for h in new.lookup(PERSON, TODAY)] == [2]
    assert new.lookup(NOT_LISTED, TODAY) == (Hit(3, "a_grade_taxpayers", None, None),)
    assert len(new) == 2
    assert [h.entry_id for h in old.lookup(REPRESENTATIVE, TODAY)] == [1]
    assert old.lookup(NOT_LISTED, TODAY) == ()
    assert len(old) == 2


def test_entries_added_by_a_refresh_can_be_removed_by_the_next() -> None:
    index = CheckIndex.build([]).refreshed(
        added=[
            (9, OTHER_COMPANY, "samr_serious_violation", None, None),
            (9, REPRESENTATIVE, "samr_serious_violation", None, OTHER_COMPANY),
        ],
        removed=[],
    )
    assert [h.via for h in index.lookup(REPRESENTATIVE, TODAY)] == [OTHER_COMPANY]

    index = index.refreshed(added=[], removed=[9])

    assert index.lookup(OTHER_COMPANY, TODAY) == ()
    assert index.lookup(REPRESENTATIVE, TODAY) == ()
    assert len(index) == 0


def test_added_rows_replace_every_row_the_index_held_for_that_entry() -> None:
    index = CheckIndex.build(
        [
            (1, COMPANY, "judgment_defaulters", None, None),
            (1, REPRESENTATIVE, "judgment_defaulters", None, COMPANY),
        ]
    )

    index = index.refreshed(added=[(1, COMPANY, "judgment_defaulters", TODAY, None)], removed=[])

    assert index.lookup(COMPANY, TODAY) == (Hit(1, "judgment_defaulters", TODAY, None),)
    assert index.lookup(REPRESENTATIVE, TODAY) == ()  # the new rows name no representative
    assert len(index) == 1


def test_removing_an_entry_the_index_does_not_hold_changes_nothing() -> None:
    index = CheckIndex.build([(1, PERSON, "judgment_defaulters", None, None)])

    again = index.refreshed(added=[], removed=[42])

    assert len(again) == 1
    assert again.lookup(PERSON, TODAY) == index.lookup(PERSON, TODAY)


def test_compaction_folds_the_overlay_into_the_base_with_the_same_answers() -> None:
    index = CheckIndex.build(
        [
            (1, COMPANY, "judgment_defaulters", None, None),
            (1, REPRESENTATIVE, "judgment_defaulters", None, COMPANY),
            (2, PERSON, "judgment_defaulters", date(2026, 7, 1), None),
        ]
    ).refreshed(
        added=[
            (3, OTHER_COMPANY, "model_enterprises", None, None),
            (3, REPRESENTATIVE, "model_enterprises", None, OTHER_COMPANY),
        ],
        removed=[2],
    )
    assert index.overlay_size == 2

    compact = index.compacted()

    assert compact.overlay_size == 0
    assert len(compact) == len(index) == 2
    for code in (COMPANY, OTHER_COMPANY, PERSON, REPRESENTATIVE, NOT_LISTED):
        assert compact.lookup(code, TODAY) == index.lookup(code, TODAY)


BAD_ENTRIES: list[tuple[str, list[IndexRow]]] = [
    ("no subject row", [(1, REPRESENTATIVE, "judgment_defaulters", None, COMPANY)]),
    (
        "two subject rows",
        [
            (1, COMPANY, "judgment_defaulters", None, None),
            (1, PERSON, "judgment_defaulters", None, None),
        ],
    ),
    (
        "a representative naming another subject",
        [
            (1, COMPANY, "judgment_defaulters", None, None),
            (1, REPRESENTATIVE, "judgment_defaulters", None, OTHER_COMPANY),
        ],
    ),
    (
        "the same code twice",
        [
            (1, COMPANY, "judgment_defaulters", None, None),
            (1, REPRESENTATIVE, "judgment_defaulters", None, COMPANY),
            (1, REPRESENTATIVE, "judgment_defaulters", None, COMPANY),
        ],
    ),
    ("a malformed code", [(1, COMPANY.lower(), "judgment_defaulters", None, None)]),
    (
        "a malformed via",
        [
            (1, COMPANY, "judgment_defaulters", None, None),
            (1, REPRESENTATIVE, "judgment_defaulters", None, COMPANY[:-1]),
        ],
    ),
]


@pytest.mark.parametrize(("problem", "rows"), BAD_ENTRIES, ids=[p for p, _ in BAD_ENTRIES])
def test_rows_that_do_not_make_a_sound_entry_are_refused_by_build(
    problem: str, rows: list[IndexRow]
) -> None:
    with pytest.raises(ValueError, match="entry 1"):
        CheckIndex.build(rows)


@pytest.mark.parametrize(("problem", "rows"), BAD_ENTRIES, ids=[p for p, _ in BAD_ENTRIES])
def test_rows_that_do_not_make_a_sound_entry_are_refused_by_refresh(
    problem: str, rows: list[IndexRow]
) -> None:
    index = CheckIndex.build([])
    with pytest.raises(ValueError, match="entry 1"):
        index.refreshed(added=rows, removed=[])


# --- the index against a plain model -------------------------------------------------------

CODES = [COMPANY, OTHER_COMPANY, PERSON, REPRESENTATIVE, NOT_LISTED, "91110000100000000K"]
LISTS = ["judgment_defaulters", "a_grade_taxpayers", "tax_arrears_defaulters"]
DAYS = [TODAY + timedelta(days=d) for d in range(-2, 3)]


@dataclass(frozen=True)
class Entry:
    subject: str
    list_code: str
    until: date | None
    representatives: tuple[str, ...]

    def rows(self, entry_id: int) -> list[IndexRow]:
        own: IndexRow = (entry_id, self.subject, self.list_code, self.until, None)
        return [own] + [
            (entry_id, r, self.list_code, self.until, self.subject) for r in self.representatives
        ]


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    subject = draw(st.sampled_from(CODES))
    others = [c for c in CODES if c != subject]
    return Entry(
        subject,
        draw(st.sampled_from(LISTS)),
        draw(st.none() | st.sampled_from(DAYS)),
        tuple(draw(st.lists(st.sampled_from(others), max_size=2, unique=True))),
    )


entry_maps = st.dictionaries(st.integers(0, 12), entries(), max_size=8)
Step = tuple[str, dict[int, Entry], list[int]]  # ("refresh", added, removed) or ("compact", {}, [])
no_entries: dict[int, Entry] = {}
no_ids: list[int] = []
steps: st.SearchStrategy[Step] = st.one_of(
    st.tuples(st.just("refresh"), entry_maps, st.lists(st.integers(0, 14), max_size=4)),
    st.tuples(st.just("compact"), st.just(no_entries), st.just(no_ids)),
)


def all_rows(model: Mapping[int, Entry]) -> list[IndexRow]:
    return [row for entry_id, entry in model.items() for row in entry.rows(entry_id)]


def model_lookup(model: Mapping[int, Entry], code: str, today: date) -> tuple[Hit, ...]:
    hits = []
    for entry_id in sorted(model):
        entry = model[entry_id]
        if entry.until is not None and today > entry.until:
            continue
        if code == entry.subject:
            hits.append(Hit(entry_id, entry.list_code, entry.until, None))
        elif code in entry.representatives:
            hits.append(Hit(entry_id, entry.list_code, entry.until, entry.subject))
    return tuple(hits)


def assert_agrees(index: CheckIndex, model: Mapping[int, Entry]) -> None:
    assert len(index) == len(model)
    for code in CODES:
        for day in DAYS:
            assert index.lookup(code, day) == model_lookup(model, code, day), (code, day)


@settings(max_examples=300, deadline=None)
@given(start=entry_maps, changes=st.lists(steps, max_size=6))
def test_the_index_answers_like_a_dict_of_lists_through_refreshes_and_compactions(
    start: dict[int, Entry], changes: list[Step]
) -> None:
    model = dict(start)
    index = CheckIndex.build(all_rows(model))
    assert_agrees(index, model)
    for step, added, removed in changes:
        before, old = dict(model), index
        if step == "compact":
            index = index.compacted()
            assert index.overlay_size == 0
        else:
            index = index.refreshed(all_rows(added), removed)
            for entry_id in removed:
                model.pop(entry_id, None)
            model.update(added)  # an entry both removed and added ends up added
        assert_agrees(index, model)
        assert_agrees(old, before)  # the index a reader still holds did not move
