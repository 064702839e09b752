"""A batch applies whole or not at all, even when the ingest is killed (issue 3).

``xinyong ingest`` runs in a subprocess on a penalty file of several chunks.
Once its progress line shows rows done (written inside the batch's unit of
work, not yet committed) it is killed with SIGKILL: no handler, no rollback
by the process itself. SQLite must recover from its WAL and PostgreSQL must
abort the dead client's transaction, leaving no batch, record or rejected row
of the file and an audit log that verifies. Running the same command again
then completes with the counts of a clean single run.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlalchemy import select as sql_select

from tests.data.bad import make_corpus
from tests.ingest.conftest import NOW
from tests.ingest.helpers import Node, counts
from xinyong.audit.service import verify_log
from xinyong.ingest.apply import CHUNK_ROWS
from xinyong.ingest.service import Upload, ingest_file
from xinyong.store.tables import batch, rejected_row

pytestmark = pytest.mark.slow

SUBJECTS = range(100, 300)
ROWS = 4 * CHUNK_ROWS
BAD_EVERY = 1000  # every 1000th row has a wrong check digit
COPIES = 40  # exact copies of earlier rows appended: in-file duplicates
PROGRESS = re.compile(rb"penalties\.csv: ([\d,]+) rows")
CLI = [sys.executable, "-c", "from xinyong.cli.main import run; run()"]


def penalties() -> tuple[bytes, dict[str, int]]:
    """The file, and what a clean run of it must count."""
    rows = []
    for i in range(ROWS):
        code = make_corpus.uscc(SUBJECTS[i % len(SUBJECTS)])
        if i % BAD_EVERY == BAD_EVERY - 1:
            code = make_corpus.wrong_check_digit(code)
        rows.append(make_corpus.penalty_row(code, f"荣市监罚〔2025〕{i:06d}号"))
    rows += rows[:COPIES]
    bad = ROWS // BAD_EVERY
    expected = {"rows": ROWS + COPIES, "accepted": ROWS - bad, "rejected": bad,
                "duplicates": COPIES, "corrections": 0, "revocations": 0}  # fmt: skip
    return make_corpus.penalty_csv(rows), expected


def wait_for_rows(process: subprocess.Popen[bytes], timeout: float = 60.0) -> int:
    """Rows done as the CLI's progress line shows them, once more than zero."""
    assert process.stderr is not None
    fd = process.stderr.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break  # the process ended before showing progress
        seen += chunk
        done = [int(n.replace(b",", b"")) for n in PROGRESS.findall(seen)]
        if any(done):
            return max(done)
    pytest.fail(f"no progress from xinyong ingest; its stderr ended with {seen[-1500:]!r}")


def test_a_killed_ingest_leaves_nothing_and_a_rerun_completes(node: Node, tmp_path: Path) -> None:
    settings, store, pack = node
    registry = make_corpus.csv_text(
        make_corpus.REGISTRY,
        [make_corpus.registry_row(i, f"荣成测试{i}有限公司") for i in SUBJECTS],
    ).encode("utf-8-sig")
    assert ingest_file(store, pack, Upload("registry.csv", registry, "samr"), NOW).accepted == 200
    data, expected = penalties()
    path = tmp_path / "penalties.csv"
    path.write_bytes(data)
    env = {
        **os.environ,
        "XINYONG_DATA_DIR": str(settings.data_dir),
        "XINYONG_DATABASE_URL": settings.store_url,
        "XINYONG_JURISDICTION": "rongcheng",
        "XINYONG_LOCALE": "en",
        # Rich draws its progress line only on a terminal; say stderr is one.
        "TTY_COMPATIBLE": "1",
        "TERM": "xterm",
        "COLUMNS": "160",
    }
    command = [*CLI, "ingest", str(path), "--department", "samr"]
    before = counts(store)

    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        done = wait_for_rows(process)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        assert process.stderr is not None
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL  # killed, not finished
    assert 0 < done < expected["rows"]  # rows had been written in the open batch

    assert counts(store) == before
    with store.engine.connect() as conn:
        mine = sql_select(func.count()).where(batch.c.filename == "penalties.csv")
        assert conn.execute(mine).scalar_one() == 0
        if store.engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    assert verify_log(settings.store_url).ok

    rerun = subprocess.run(command, env=env, capture_output=True, timeout=120, check=False)
    assert rerun.returncode == 0, rerun.stderr.decode(errors="replace")[-2000:]
    after = counts(store)
    with store.engine.connect() as conn:
        [applied] = conn.execute(
            sql_select(batch).where(batch.c.filename == "penalties.csv")
        ).mappings()
        refused = conn.execute(
            sql_select(func.count(func.distinct(rejected_row.c.row_number))).where(
                rejected_row.c.batch_id == applied["id"]
            )
        ).scalar_one()
    assert applied["status"] == "applied"
    assert {k: applied[k] for k in expected} == expected
    assert refused == expected["rejected"]
    assert after["record"] == before["record"] + expected["accepted"]
    assert after["batch"] == before["batch"] + 1
    assert after["audit_event"] == before["audit_event"] + 1
    assert verify_log(settings.store_url).ok
