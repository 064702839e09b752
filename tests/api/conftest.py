"""The API in-process: an initialised node on each database, keys per role, a subject file.

``client`` runs ``create_app`` through its lifespan (TestClient as a context
manager), with the fixed ``now`` as the app's clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.store.helpers import RESIDENT_ID, USCC, new_record
from xinyong.api.app import create_app
from xinyong.config import Settings
from xinyong.keys.model import Role
from xinyong.keys.service import create_key
from xinyong.registry.model import LegalRepresentative, SubjectRegistration
from xinyong.registry.service import initialise_node, register_subject
from xinyong.store.engine import Store, open_store
from xinyong.store.queries import records
from xinyong.store.uow import UnitOfWork

PERSON_NAME = "李小明"
COMPANY_NAME = "福州示例科技有限公司"
# adm.penalty's payload: violation_type and penalty_kind are declared public;
# internal_note is not declared at all, so the public must not see it.
PAYLOAD = {
    "violation_type": "未按规定公示年度报告",
    "penalty_kind": "罚款",
    "internal_note": "内部",
}


@pytest.fixture
def node_settings(settings: Settings) -> Settings:
    """A node initialised from the national pack (departments samr, tax, court …)."""
    initialise_node(settings)
    return settings


@pytest.fixture
def node_store(node_settings: Settings) -> Iterator[Store]:
    store = open_store(node_settings.store_url)
    yield store
    store.dispose()


def app_for(settings: Settings, now: datetime) -> FastAPI:
    return create_app(settings, clock=lambda: now)


@pytest.fixture
def client(node_settings: Settings, now: datetime) -> Iterator[TestClient]:
    with TestClient(app_for(node_settings, now)) as test_client:
        yield test_client


KeyFor = Callable[[Role], str]


@pytest.fixture
def key_for(node_store: Store, now: datetime) -> KeyFor:
    """role → the plaintext of a key of that role (one per role and test)."""
    made: dict[Role, str] = {}

    def make(role: Role) -> str:
        if role not in made:
            department = "samr" if role is Role.DEPARTMENT else None
            _, made[role] = create_key(
                node_store,
                name=f"test {role.value}",
                role=role.value,
                department=department,
                jurisdiction="national" if department else None,
                actor="test",
                now=now,
            )
        return made[role]

    return make


def bearer(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


@dataclass(frozen=True)
class File:
    """The seeded subjects and the ids of their records, by what each record is."""

    company: str
    person: str
    ids: dict[str, str]


@pytest.fixture
def subject_file(node_store: Store, now: datetime) -> File:
    """A company and a person with records in every scope and some unpublished states."""
    register_subject(
        UnitOfWork(node_store),
        SubjectRegistration(
            USCC, COMPANY_NAME, legal_representative=LegalRepresentative("张三", RESIDENT_ID)
        ),
        now,
    )
    register_subject(UnitOfWork(node_store), SubjectRegistration(RESIDENT_ID, PERSON_NAME), now)
    specs: dict[str, dict[str, Any]] = {
        "company_public": {"disclosure_scope": "public"},
        "company_shared": {"disclosure_scope": "shared"},
        "company_authorised": {"disclosure_scope": "authorised"},
        "company_revoked": {"disclosure_scope": "public", "status": "revoked"},
        "company_period_over": {
            "disclosure_scope": "public",
            "disclosure_until": date(2026, 1, 31),
        },
        "person_shared": {"subject_code": RESIDENT_ID, "disclosure_scope": "shared"},
        "person_public": {"subject_code": RESIDENT_ID, "disclosure_scope": "public"},
    }
    ids: dict[str, str] = {}
    with UnitOfWork(node_store) as uow:
        for number, (what, overrides) in enumerate(specs.items(), start=1):
            stored = records.insert_record(
                uow.connection,
                new_record(
                    document_number=f"国市监罚〔2026〕{number}号",
                    payload=PAYLOAD,
                    catalog_item="adm.penalty",
                    department="samr",
                    jurisdiction="national",
                    decided_on=date(2026, 2, number),
                    **overrides,
                ),
                now,
            )
            ids[what] = stored.record_id
        uow.commit()
    return File(USCC, RESIDENT_ID, ids)
