"""Name search of legal persons, on both databases: closest names first, a capped count, no persons."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import delete

from tests.store.helpers import RESIDENT_ID, subject_row
from xinyong.store.engine import Store
from xinyong.store.queries.search import COUNT_CAP, legal_by_name
from xinyong.store.queries.subjects import upsert_subject
from xinyong.store.tables import subject
from xinyong.store.uow import UnitOfWork

NOW = datetime(2026, 12, 1, 2, tzinfo=UTC)


def _code(n: int) -> str:
    return f"91350100MA{n:07d}X"  # the store keeps codes as given; validity is checked upstream


def _register(store: Store, names: list[str], start: int = 0) -> None:
    with UnitOfWork(store) as uow:
        for n, name in enumerate(names, start):
            upsert_subject(uow.connection, subject_row(_code(n), name), NOW)
        uow.commit()


def _names(store: Store, fragment: str, *, limit: int = 20, offset: int = 0) -> list[str]:
    with UnitOfWork(store, read_only=True) as uow:
        hits, _ = legal_by_name(uow.connection, fragment, limit=limit, offset=offset)
    return [hit.name for hit in hits]


def _count(store: Store, fragment: str) -> int:
    with UnitOfWork(store, read_only=True) as uow:
        return legal_by_name(uow.connection, fragment, limit=1, offset=0)[1]


def test_within_the_cap_the_shortest_names_come_first_for_two_and_more_characters(
    store: Store,
) -> None:
    _register(store, ["福州示例科技研究院", "示例科技有限公司", "示例科技", "别的公司"])
    expected = ["示例科技", "示例科技有限公司", "福州示例科技研究院"]
    assert _names(store, "示例科技") == expected  # the trigram index
    assert _names(store, "示例") == expected  # two characters: a scan
    assert _names(store, "示例", limit=1, offset=1) == expected[1:2]
    assert _count(store, "示例") == 3


def test_past_the_cap_the_count_says_more_and_pages_run_in_registration_order(
    store: Store,
) -> None:
    _register(store, [f"甲乙丙贸易{n}号公司" for n in range(COUNT_CAP + 5)])
    for fragment in ("甲乙丙", "甲乙"):
        assert _count(store, fragment) == COUNT_CAP + 1
        assert _names(store, fragment, limit=3, offset=20) == [
            f"甲乙丙贸易{n}号公司" for n in (20, 21, 22)
        ]


def test_a_renamed_company_is_found_by_its_new_name_and_a_deleted_one_not_at_all(
    store: Store,
) -> None:
    _register(store, ["旧名称贸易有限公司", "留下的贸易有限公司"])
    _register(store, ["新名称贸易有限公司"])  # the same code again, renamed
    assert _names(store, "旧名称") == []
    assert _names(store, "新名称") == ["新名称贸易有限公司"]
    with UnitOfWork(store) as uow:
        uow.connection.execute(delete(subject).where(subject.c.code == _code(0)))
        uow.commit()
    assert _names(store, "贸易") == ["留下的贸易有限公司"]


def test_a_person_is_not_found_by_name_even_renamed(store: Store) -> None:
    person = replace(subject_row(RESIDENT_ID, "李示例"), code_kind="resident_id",
                     subject_kind="natural", type_code=None, legal_rep_code=None,
                     legal_rep_name=None)  # fmt: skip
    with UnitOfWork(store) as uow:
        upsert_subject(uow.connection, person, NOW)
        upsert_subject(uow.connection, replace(person, name="李示例科技"), NOW)
        uow.commit()
    for fragment in ("李示例", "示例", "李示例科技"):
        assert _count(store, fragment) == 0


def test_like_wildcards_and_backslashes_are_plain_characters(store: Store) -> None:
    _register(store, ["百分之百%贸易公司", "反斜杠\\贸易公司", "普通贸易公司"])
    assert _names(store, "%") == []  # a wildcard alone is nothing to search for
    assert _names(store, "之百%贸") == []  # dropped, not matched: "之百贸" is not in the name
    assert _names(store, "百分之百") == ["百分之百%贸易公司"]
    assert _names(store, "杠\\贸") == ["反斜杠\\贸易公司"]
