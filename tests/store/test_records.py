"""Records keep their history: a correction adds a version, never overwrites one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, StatementError

from tests.store.helpers import USCC, USCC_2, add_reference, content_hash, new_record, subject_row
from xinyong.store.engine import Store
from xinyong.store.errors import DuplicateRecordError, RecordNotFoundError, UnknownSubjectError
from xinyong.store.queries import records, subjects
from xinyong.store.tables import record
from xinyong.store.uow import UnitOfWork


@pytest.fixture
def filed(store: Store, now: datetime) -> records.RecordVersion:
    """Two subjects and one penalty record against the first, committed."""
    with UnitOfWork(store) as uow:
        add_reference(uow.connection)
        subjects.upsert_subject(uow.connection, subject_row(USCC), now)
        subjects.upsert_subject(uow.connection, subject_row(USCC_2, "北京示例有限公司"), now)
        first = records.insert_record(uow.connection, new_record(), now)
        uow.commit()
    return first


def test_a_new_record_is_version_one_and_current(
    store: Store, filed: records.RecordVersion, now: datetime
) -> None:
    assert (filed.version, filed.is_current, filed.status) == (1, True, "active")
    assert filed.valid_from == now
    assert filed.valid_from.tzinfo is not None
    with UnitOfWork(store, read_only=True) as uow:
        assert records.get_current(uow.connection, filed.record_id) == filed


def test_correction_keeps_the_old_version_readable(
    store: Store, filed: records.RecordVersion, now: datetime
) -> None:
    later = now + timedelta(days=3)
    payload = {"事由": "未按规定公示年度报告", "罚款": 3000}
    with UnitOfWork(store) as uow:
        corrected = records.correct(
            uow.connection,
            filed.record_id,
            {"payload": payload, "content_hash": content_hash(payload, filed.document_number)},
            "罚款金额录入错误",
            later,
        )
        uow.commit()
    assert (corrected.version, corrected.is_current, corrected.status) == (2, True, "active")
    assert corrected.payload == payload
    assert corrected.change_reason == "罚款金额录入错误"
    with UnitOfWork(store, read_only=True) as uow:
        old, new = records.history(uow.connection, filed.record_id)
        current = records.get_current(uow.connection, filed.record_id)
    assert new == corrected == current
    assert old.payload == {"事由": "未按规定公示年度报告", "罚款": 5000}
    assert old.content_hash == filed.content_hash != new.content_hash
    assert (old.is_current, old.status, old.superseded_at) == (False, "corrected", later)
    assert old.valid_from == now
    assert new.valid_from == later


def test_the_database_allows_one_current_version_per_document_number(
    store: Store, filed: records.RecordVersion, now: datetime
) -> None:
    # Bypass the query functions: the partial unique index itself must refuse.
    clash = {
        **{name: getattr(filed, name) for name in records.RECORD_FIELDS},
        "record_id": "another",
        "version": 1,
        "subject_code": USCC_2,
        "is_current": True,
        "valid_from": now,
    }
    with UnitOfWork(store) as uow, pytest.raises(IntegrityError):
        uow.connection.execute(insert(record).values(clash))
    # A superseded version may repeat the document number.
    superseded = {**clash, "is_current": False, "superseded_at": now}
    with UnitOfWork(store) as uow:
        uow.connection.execute(insert(record).values(superseded))
        uow.commit()


def test_the_database_allows_one_current_version_per_record(
    store: Store, filed: records.RecordVersion, now: datetime
) -> None:
    second = {
        **{name: getattr(filed, name) for name in records.RECORD_FIELDS},
        "record_id": filed.record_id,
        "version": 2,
        "document_number": "榕市监罚〔2026〕99号",
        "is_current": True,
        "valid_from": now,
    }
    with UnitOfWork(store) as uow, pytest.raises(IntegrityError):
        uow.connection.execute(insert(record).values(second))


def test_a_current_version_cannot_carry_a_superseded_time(
    store: Store, filed: records.RecordVersion, now: datetime
) -> None:
    with UnitOfWork(store) as uow, pytest.raises(IntegrityError):
        uow.connection.execute(
            update(record)
            .where(record.c.record_id == filed.record_id)
            .values(superseded_at=now + timedelta(hours=1))
        )


def test_a_duplicate_document_number_is_a_domain_error_and_the_transaction_survives(
    store: Store, filed: records.RecordVersion, now: datetime
) -> None:
    with UnitOfWork(store) as uow:
        with pytest.raises(DuplicateRecordError) as caught:
            records.insert_record(uow.connection, new_record(USCC_2), now)
        assert caught.value.fields["record_id"] == filed.record_id
        other = records.insert_record(
            uow.connection, new_record(USCC_2, document_number="京市监罚〔2026〕7号"), now
        )
        uow.commit()
    with UnitOfWork(store, read_only=True) as uow:
        assert records.get_current(uow.connection, other.record_id) == other


def test_the_same_document_number_in_another_jurisdiction_is_allowed(
    store: Store, filed: records.RecordVersion, now: datetime
) -> None:
    with UnitOfWork(store) as uow:
        elsewhere = records.insert_record(
            uow.connection, new_record(USCC_2, jurisdiction="xiamen"), now
        )
    assert elsewhere.document_number == filed.document_number


def test_a_record_of_an_unregistered_subject_is_refused(
    store: Store, filed: records.RecordVersion, now: datetime
) -> None:
    with UnitOfWork(store) as uow, pytest.raises(UnknownSubjectError):
        records.insert_record(
            uow.connection, new_record("91350100MA00000000", document_number="x"), now
        )


def test_revoking_adds_a_version_and_keeps_the_old_status(
    store: Store, filed: records.RecordVersion, now: datetime
) -> None:
    later = now + timedelta(days=10)
    with UnitOfWork(store) as uow:
        revoked = records.revoke(uow.connection, filed.record_id, "行政复议撤销", later)
        uow.commit()
    with UnitOfWork(store, read_only=True) as uow:
        old, new = records.history(uow.connection, filed.record_id)
    assert new == revoked
    assert (new.version, new.status, new.is_current) == (2, "revoked", True)
    assert (old.status, old.is_current, old.superseded_at) == ("active", False, later)
    assert new.payload == old.payload


def test_corrections_chain_and_only_current_versions_are_listed(
    store: Store, filed: records.RecordVersion, now: datetime
) -> None:
    with UnitOfWork(store) as uow:
        conn = uow.connection
        records.change_status(conn, filed.record_id, "under_objection", "异议", now)
        records.correct(
            conn, filed.record_id, {"status": "active", "disclosure_scope": "shared"}, "r", now
        )
        records.insert_record(
            conn, new_record(document_number="榕市监罚〔2026〕2号", catalog_item="honour"), now
        )
        uow.commit()
    with UnitOfWork(store, read_only=True) as uow:
        history = records.history(uow.connection, filed.record_id)
        current = records.current_for_subject(uow.connection, USCC)
        counts = records.count_current_by_item(uow.connection, USCC)
    assert [(v.version, v.status, v.is_current) for v in history] == [
        (1, "active", False),
        (2, "corrected", False),
        (3, "active", True),
    ]
    assert history[2].disclosure_scope == "shared"
    assert sorted(v.catalog_item for v in current) == ["administrative_penalty", "honour"]
    assert all(v.is_current for v in current)
    assert counts == {("administrative_penalty", "active"): 1, ("honour", "active"): 1}


def test_a_content_change_needs_a_new_content_hash(
    store: Store, filed: records.RecordVersion, now: datetime
) -> None:
    with UnitOfWork(store) as uow:
        with pytest.raises(ValueError, match="content_hash"):
            records.correct(uow.connection, filed.record_id, {"payload": {}}, "r", now)
        with pytest.raises(ValueError, match="not record fields"):
            records.correct(uow.connection, filed.record_id, {"version": 7}, "r", now)
        with pytest.raises(ValueError, match="at least one"):
            records.correct(uow.connection, filed.record_id, {}, "r", now)
        with pytest.raises(ValueError, match="before version 1"):
            records.revoke(uow.connection, filed.record_id, "r", now - timedelta(seconds=1))


def test_correcting_an_unknown_record_is_not_found(store: Store, now: datetime) -> None:
    with UnitOfWork(store) as uow, pytest.raises(RecordNotFoundError):
        records.revoke(uow.connection, "no-such-record", "r", now)
    with UnitOfWork(store, read_only=True) as uow:
        assert records.history(uow.connection, "no-such-record") == []


def test_timestamps_are_stored_in_utc_and_naive_ones_are_refused(
    store: Store, filed: records.RecordVersion
) -> None:
    beijing = datetime(2026, 3, 5, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    with UnitOfWork(store) as uow:
        corrected = records.revoke(uow.connection, filed.record_id, "r", beijing)
        assert corrected.valid_from == datetime(2026, 3, 5, 1, 0, tzinfo=UTC)
        assert corrected.valid_from.utcoffset() == timedelta(0)
        stored = uow.connection.execute(
            select(record.c.superseded_at).where(record.c.version == 1)
        ).scalar_one()
        assert stored == beijing
        assert stored.utcoffset() == timedelta(0)
        with pytest.raises(StatementError, match="naive datetime"):
            records.insert_record(
                uow.connection, new_record(document_number="n"), datetime(2026, 3, 5)
            )


def test_dates_and_json_payloads_round_trip(
    store: Store, filed: records.RecordVersion, now: datetime
) -> None:
    payload = {
        "当事人": "福州示例科技有限公司",
        "明细": [{"项目": "罚款", "金额": 5000.5}],
        "空": None,
    }
    with UnitOfWork(store) as uow:
        stored = records.insert_record(
            uow.connection,
            new_record(
                document_number="榕市监罚〔2026〕3号",
                payload=payload,
                occurred_on=date(2025, 12, 31),
                disclosure_until=date(2029, 2, 27),
            ),
            now,
        )
        uow.commit()
    with UnitOfWork(store, read_only=True) as uow:
        again = records.get_version(uow.connection, stored.record_id, 1)
    assert again is not None
    assert again.payload == payload
    assert (again.occurred_on, again.disclosure_until) == (date(2025, 12, 31), date(2029, 2, 27))
