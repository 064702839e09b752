"""Reads of non-public data and changes to keys leave entries in the audit log; public reads do not."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import File, KeyFor, bearer
from xinyong.audit.service import entries_for_target, verify_log
from xinyong.config import Settings
from xinyong.keys.model import Role
from xinyong.store.engine import Store
from xinyong.store.uow import UnitOfWork


def _entries(store: Store, target: str) -> list[tuple[str, str]]:
    with UnitOfWork(store, read_only=True) as uow:
        return [(e.actor, e.action) for e in entries_for_target(uow.connection, target)]


def _targets(store: Store, code: str) -> list[tuple[str, str]]:
    return _entries(store, f"subject:{code}")


def test_an_operator_reading_a_person_is_audited_as_that_key(
    client: TestClient, key_for: KeyFor, subject_file: File, node_store: Store,
    node_settings: Settings,
) -> None:  # fmt: skip
    key = key_for(Role.OPERATOR)
    assert _targets(node_store, subject_file.person) == []
    for path in (f"/api/v1/subjects/{subject_file.person}",
                 f"/api/v1/subjects/{subject_file.person}/records"):  # fmt: skip
        assert client.get(path, headers=bearer(key)).status_code == 200
    prefix = key.split("_")[1]
    logged = _targets(node_store, subject_file.person)
    assert len(logged) == 2
    assert {actor for actor, _ in logged} == {f"key:{prefix}"}
    assert verify_log(node_settings.store_url).ok


def test_the_public_reading_a_companys_public_records_leaves_no_entry(
    client: TestClient, key_for: KeyFor, subject_file: File, node_store: Store
) -> None:
    key = key_for(Role.PUBLIC)
    answer = client.get(f"/api/v1/subjects/{subject_file.company}/records", headers=bearer(key))
    assert answer.status_code == 200
    assert answer.json()["items"]
    assert _targets(node_store, subject_file.company) == []


def test_creating_a_key_is_audited(key_for: KeyFor, node_store: Store) -> None:
    key = key_for(Role.CHECKER)
    prefix = key.split("_")[1]
    assert [action for _, action in _entries(node_store, f"key:{prefix}")] == ["key.create"]
