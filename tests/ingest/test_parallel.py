"""Checking rows in worker processes changes nothing but the time: same counts, same store."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from tests.ingest.conftest import NOW, manifest_files
from xinyong.config import Settings
from xinyong.ingest.errors import SpreadsheetError
from xinyong.ingest.parallel import checked_chunks
from xinyong.ingest.service import Upload, ingest_file
from xinyong.policy.loader import LoadedPack
from xinyong.store.engine import Store
from xinyong.store.tables import record, rejected_row, subject
from xinyong.synth.service import GenerationReport


def _ingest_city(
    city: GenerationReport, store: Store, pack: LoadedPack, workers: int
) -> list[tuple[int, int, int, int, Counter[str]]]:
    out = []
    for entry in manifest_files(city):
        upload = Upload(entry["path"], (city.out / entry["path"]).read_bytes(), entry["department"])
        r = ingest_file(store, pack, upload, NOW, workers=workers)
        out.append((r.rows, r.accepted, r.duplicates, r.rejected, r.rejected_by_code))
    return out


def _contents(store: Store) -> tuple[list[tuple[object, ...]], ...]:
    with store.engine.connect() as conn:
        records = conn.execute(
            select(
                record.c.document_number,
                record.c.content_hash,
                record.c.row_number,
                record.c.disclosure_until,
            ).order_by(record.c.document_number)
        ).all()
        rejected = conn.execute(
            select(
                rejected_row.c.row_number, rejected_row.c.error_code, rejected_row.c.raw
            ).order_by(rejected_row.c.batch_id, rejected_row.c.row_number, rejected_row.c.id)
        ).all()
        subjects = conn.execute(
            select(subject.c.code, subject.c.name, subject.c.established_on).order_by(
                subject.c.code
            )
        ).all()
    return [tuple(r) for r in records], [tuple(r) for r in rejected], [tuple(r) for r in subjects]


def test_two_workers_give_exactly_the_in_process_result(
    city: GenerationReport,
    node: tuple[Settings, Store, LoadedPack],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    settings, store, pack = node
    parallel = _ingest_city(city, store, pack, workers=2)
    serial_url = f"sqlite:///{tmp_path_factory.mktemp('serial') / 'serial.db'}"
    from xinyong.registry.service import initialise_node
    from xinyong.store.engine import open_store

    initialise_node(Settings(data_dir=settings.data_dir, database_url=serial_url,
                             jurisdiction="rongcheng"))  # fmt: skip
    with open_store(serial_url) as serial_store:
        serial = _ingest_city(city, serial_store, pack, workers=0)
        expected = _contents(serial_store)
    assert parallel == serial
    assert _contents(store) == expected


def test_a_workers_error_is_raised_here_as_the_same_error() -> None:
    def rows() -> object:
        yield from range(10)
        raise SpreadsheetError(file="f.xlsx", reason="bad CRC")

    with pytest.raises(SpreadsheetError) as caught:
        list(checked_chunks(rows, lambda n: n * 2, size=3, workers=2))  # type: ignore[arg-type]
    assert caught.value.fields == {"file": "f.xlsx", "reason": "bad CRC"}


def test_chunks_come_back_in_order_whatever_the_number_of_workers() -> None:
    for workers in (0, 1, 2, 3):
        chunks = list(checked_chunks(lambda: iter(range(25)), lambda n: n * n, size=4,
                                     workers=workers))  # fmt: skip
        assert [x for c in chunks for x in c] == [n * n for n in range(25)]
        assert [len(c) for c in chunks] == [4, 4, 4, 4, 4, 4, 1]
