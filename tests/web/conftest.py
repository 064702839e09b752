"""The portal runs in the API's app: the same node, keys and subject file fixtures, and a listing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import (
    File,
    app_for,
    client,
    key_for,
    node_settings,
    node_store,
    subject_file,
)
from tests.store.helpers import new_record
from tests.web.forms import AGENT_LOGIN, PASSWORD
from xinyong.config import Settings
from xinyong.lists.service import run_lists
from xinyong.policy.loader import load_pack
from xinyong.rights.account_service import invite_account
from xinyong.store.engine import Store
from xinyong.store.queries import records
from xinyong.store.uow import UnitOfWork

__all__ = [
    "both_listed",
    "client",
    "key_for",
    "listed",
    "node_settings",
    "node_store",
    "portal",
    "subject_file",
]
DEFAULTER_DOC = "（2026）闽01执1号"


PERSON_DEFAULTER_DOC = "（2026）闽01执2号"


def _list_defaulters(store: Store, now: datetime, *subjects: tuple[str, str]) -> None:
    """Each (code, case number) a judgment defaulter, through notice and window onto the list."""
    with UnitOfWork(store) as uow:
        for code, document in subjects:
            payload = {"case_number": document, "court": "福州市中级人民法院",
                       "circumstance": "有履行能力而拒不履行"}  # fmt: skip
            record = new_record(subject_code=code, document_number=document, payload=payload,
                                catalog_item="jud.defaulter", department="court",
                                jurisdiction="national", decided_on=date(2026, 1, 5),
                                severity="serious")  # fmt: skip
            records.insert_record(uow.connection, record, now)
        uow.commit()
    pack = load_pack("national")
    run_lists(store, pack, datetime(2026, 1, 6, 2, tzinfo=UTC))
    run_lists(store, pack, datetime(2026, 1, 20, 2, tzinfo=UTC))


@pytest.fixture
def listed(node_store: Store, subject_file: File, now: datetime) -> File:
    """The company, also on the national judgment-defaulter list (notice, window, listing)."""
    _list_defaulters(node_store, now, (subject_file.company, DEFAULTER_DOC))
    return subject_file


@pytest.fixture
def both_listed(node_store: Store, subject_file: File, now: datetime) -> File:
    """The company and the person, both on the judgment-defaulter list."""
    _list_defaulters(node_store, now, (subject_file.company, DEFAULTER_DOC),
                     (subject_file.person, PERSON_DEFAULTER_DOC))  # fmt: skip
    return subject_file


@pytest.fixture
def portal(
    node_settings: Settings, node_store: Store, subject_file: File, now: datetime
) -> Iterator[TestClient]:
    """The portal over HTTPS (its cookies are Secure), with an account for the company's agent."""
    invite_account(node_store, subject_code=subject_file.company, login=AGENT_LOGIN,
                   password=PASSWORD, agent="张三", actor="operator", now=now)  # fmt: skip
    with TestClient(app_for(node_settings, now), base_url="https://testserver") as client:
        yield client
