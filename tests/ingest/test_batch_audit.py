"""Every applied batch leaves one audit entry, in the same transaction, and the chain holds."""

from __future__ import annotations

from tests.ingest.conftest import NOW, manifest_files
from xinyong.audit.service import entries_for_target, verify_log
from xinyong.config import Settings
from xinyong.ingest.service import Upload, ingest_file
from xinyong.policy.loader import LoadedPack
from xinyong.store.engine import Store
from xinyong.store.uow import UnitOfWork
from xinyong.synth.service import GenerationReport


def test_an_applied_batch_is_audited_with_its_counts(
    city: GenerationReport, node: tuple[Settings, Store, LoadedPack]
) -> None:
    settings, store, pack = node
    entry = manifest_files(city)[0]
    upload = Upload(entry["path"], (city.out / entry["path"]).read_bytes(), entry["department"])
    report = ingest_file(store, pack, upload, NOW, actor="key:abc")
    ingest_file(store, pack, upload, NOW, actor="key:abc")  # the same file: no second entry
    with UnitOfWork(store, read_only=True) as uow:
        [event] = entries_for_target(uow.connection, f"batch:{report.batch_id}")
    assert event.actor == "key:abc"
    assert event.action == "batch.apply"
    assert event.detail["accepted"] == report.accepted
    assert event.detail["rejected"] == report.rejected
    assert event.detail["sha256"] == report.sha256
    assert verify_log(settings.store_url).ok
