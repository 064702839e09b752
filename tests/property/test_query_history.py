"""A subject's query history is exactly the looks at its file: nothing missing, nothing extra.

Random sequences of checks, authorised queries, operator reads, consents and
revocations are run against one node; after each sequence the subject's
history (``query_history``) must equal, in order, what the sequence did,
and must equal the union of the check log and the audit log's reads of the
subject, read back independently.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.store.helpers import new_record
from xinyong.checks.service import Checker
from xinyong.config import Settings
from xinyong.disclosure.service import access_records
from xinyong.keys.model import Principal, Role
from xinyong.keys.service import create_key
from xinyong.policy.loader import LoadedPack, load_pack
from xinyong.registry.model import SubjectRegistration
from xinyong.registry.service import initialise_node, register_subject
from xinyong.rights.consent_service import (
    READ_ACTIONS,
    authorised_query,
    consents,
    grant_consent,
    query_history,
    revoke_consent,
)
from xinyong.rights.errors import ConsentMissingError
from xinyong.store.engine import Store, open_store
from xinyong.store.queries import records
from xinyong.store.tables import audit_event, check_event
from xinyong.store.uow import UnitOfWork
from xinyong.synth.ids import make_uscc

OPS = ("check", "query", "read", "grant", "revoke")
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
CHECKER = Principal(key_id=90, prefix="chk090", name="checker", role=Role.CHECKER)
OPERATOR = Principal(key_id=91, prefix="op091", name="operator", role=Role.OPERATOR)
_counter = iter(range(1, 10**6))


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, LoadedPack, Principal]]:
    data = Path(tmp_path_factory.mktemp("history"))
    settings = Settings(data_dir=data)  # SQLite: the property is about the logs, not the engine
    initialise_node(settings)
    store = open_store(settings.store_url)
    agency, _ = create_key(store, name="某银行", role="agency", actor="test", now=START)
    yield store, load_pack("national"), agency
    store.dispose()


def _subject(store: Store) -> str:
    """A fresh company with a public and an authorised record: each example has its own file."""
    code = make_uscc("91", "350100", f"MA{next(_counter):06d}")
    register_subject(UnitOfWork(store), SubjectRegistration(code, "福州示例有限公司"), START)
    with UnitOfWork(store) as uow:
        for n, scope in enumerate(("public", "authorised")):
            records.insert_record(uow.connection, new_record(
                subject_code=code, document_number=f"{code}-{n}", catalog_item="adm.penalty",
                department="samr", jurisdiction="national", disclosure_scope=scope,
                decided_on=date(2026, 2, 1)), START)  # fmt: skip
        uow.commit()
    return code


def _logged(store: Store, code: str) -> list[tuple[datetime, str]]:
    """(at, kind) of the check log and the audit log's reads of the subject, read directly."""
    with UnitOfWork(store, read_only=True) as uow:
        checks = uow.connection.execute(
            check_event.select().where(check_event.c.subject_code == code)).mappings().all()  # fmt: skip
        reads = uow.connection.execute(
            audit_event.select().where(audit_event.c.target == f"subject:{code}",
                                       audit_event.c.action.in_(sorted(READ_ACTIONS)))
        ).mappings().all()  # fmt: skip
    return sorted([(r["at"], "check") for r in checks] + [(r["at"], r["action"]) for r in reads])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(st.sampled_from(OPS), max_size=12))
def test_the_history_is_every_look_and_nothing_else(
    node: tuple[Store, LoadedPack, Principal], ops: list[str]
) -> None:
    store, pack, agency = node
    code = _subject(store)
    checker = Checker(store, pack, only=code)
    expected: list[tuple[str, str]] = []
    for step, op in enumerate(ops):
        now = START + timedelta(minutes=step + 1)
        if op == "check":
            checker.check(CHECKER, code, "flight_ticket", now)
            checker.flush()
            expected.append(("check", "flight_ticket"))
        elif op == "query":
            in_force = any(c.in_force(now) for c in consents(store, code))
            try:
                authorised_query(store, pack, agency, code, "loan_application", now=now)
            except ConsentMissingError:
                assert not in_force
                expected.append(("authorised.refused", "loan_application"))
            else:
                assert in_force
                expected.append(("authorised.read", "loan_application"))
        elif op == "read":  # the operator reads the records: the authorised one makes it audited
            access_records(store, OPERATOR, code, catalog={}, limit=50, offset=0, now=now)
            expected.append(("records.read", "records.read"))
        elif op == "grant":
            grant_consent(store, pack, subject_code=code, agency_prefix=agency.prefix,
                          purpose="loan_application", until=now.date() + timedelta(days=30),
                          granted_by=f"subject:{code}", now=now)  # fmt: skip
        else:
            open_ = [c for c in consents(store, code) if c.revoked_at is None]
            if open_:
                revoke_consent(store, open_[-1].id or 0, by=f"subject:{code}", now=now)
    history = query_history(store, code)
    assert [(q.kind, q.about) for q in history] == expected
    assert [(q.at, q.kind) for q in history] == _logged(store, code)
