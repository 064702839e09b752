"""Benchmark validated ingest against a raw insert of the same rows (issue 3).

Generates a city whose department files hold about 1,000,000 rows (552,000
subjects, noise 0.02, seed 1) once into a temporary directory, then for each
database, ``--runs`` times (default 1 for the 1M case; the median is reported):

1. **validated ingest**: every file through ``xinyong.ingest.service.ingest_file``
   (registration files first) into a freshly initialised store; records/s =
   rows processed (accepted, duplicate or rejected) / wall seconds of all the
   ingests, commits and quarantine files included.
2. **raw insert**: the rows that ingest stored, read back with
   ``SELECT * FROM record`` (ordered as they were inserted, in their stored
   form), inserted into the same ``record`` table, indexes and foreign keys of
   another freshly initialised store whose ``batch`` and ``subject`` rows were
   copied first (untimed): on SQLite one ``executemany`` of a plain INSERT on
   the DBAPI connection of the project's engine (WAL, the same pragmas), on
   PostgreSQL one ``COPY record (…) FROM STDIN`` with psycopg 3's
   ``cursor.copy()``; one transaction, commit included.

Goal: validated ingest ≥ 50% of the raw rate on each database. Each step runs
in its own process, so the peak RSS printed is the ingest's alone. PostgreSQL
is a throw-away server started with ``scripts/pg.sh`` on a free port and
stopped at the end. ``--subjects`` or ``--rows`` scales the city down for a
quick check:

    .venv/bin/python benchmarks/ingest.py [--subjects N | --rows N] [--runs R]
                                           [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

GOAL_RATIO = 0.50
ROWS_PER_SUBJECT = 1.812  # measured: 55,000 subjects give 99,644 rows at noise 0.02
DEFAULT_SUBJECTS = 552_000  # ≈ 1,000,000 rows
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent


# --- child steps (each run as `python benchmarks/ingest.py _<step> …`) ----------------


def _initialise(url: str, data_dir: Path) -> None:
    from xinyong.config import Settings
    from xinyong.registry.service import initialise_node

    initialise_node(Settings(data_dir=data_dir, database_url=url, jurisdiction="rongcheng"))


def step_generate(subjects: str, out: str) -> dict[str, Any]:
    from xinyong.synth.service import generate_city
    from xinyong.synth.spec import CitySpec

    started = time.perf_counter()
    report = generate_city(CitySpec(subjects=int(subjects), seed=1, noise=0.02), Path(out))
    return {"rows": report.rows, "seconds": time.perf_counter() - started}


def step_ingest(url: str, city: str, data_dir: str) -> dict[str, Any]:
    """Validated ingest of every file of ``city`` into a fresh store at ``url``."""
    work = Path(data_dir)
    _initialise(url, work)
    # Imported here, in the child step, so the parent process stays light.
    from xinyong.config import Settings
    from xinyong.ingest.service import Upload, ingest_file
    from xinyong.policy.service import node_pack
    from xinyong.store.engine import open_store
    from xinyong.synth.service import ingest_order

    manifest = json.loads((Path(city) / "manifest.json").read_text(encoding="utf-8"))
    files = ingest_order(manifest["files"])
    pack = node_pack(Settings(data_dir=work, database_url=url, jurisdiction="rongcheng"))
    totals = {"rows": 0, "accepted": 0, "rejected": 0, "duplicates": 0}
    with open_store(url) as store:
        started = time.perf_counter()
        for entry in files:
            data = (Path(city) / entry["path"]).read_bytes()
            upload = Upload(entry["path"], data, entry["department"])
            report = ingest_file(store, pack, upload, NOW, quarantine_dir=work / "quarantine")
            for key in totals:
                totals[key] += getattr(report, key)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {**totals, "seconds": seconds, "peak_mb": peak_mb}


def step_raw(source_url: str, target_url: str, data_dir: str) -> dict[str, Any]:
    """Insert the records stored at ``source_url`` into a fresh store at ``target_url``, timed."""
    from xinyong.store.engine import build_engine

    _initialise(target_url, Path(data_dir))
    postgres = target_url.startswith("postgresql")
    source = build_engine(source_url).raw_connection()
    target = build_engine(target_url).raw_connection()
    try:
        tables = {name: _read_table(source, name, postgres) for name in ("batch", "subject")}
        columns, records = _read_table(source, "record", postgres, "batch_id, row_number")
        cursor = target.cursor()
        if not postgres:
            cursor.execute("BEGIN IMMEDIATE")
        for name, (cols, rows) in tables.items():  # untimed: the foreign keys' targets
            _insert(cursor, name, cols, rows, postgres)
        target.commit()
        started = time.perf_counter()
        if not postgres:
            cursor.execute("BEGIN IMMEDIATE")
        _insert(cursor, "record", columns, records, postgres)
        target.commit()
        seconds = time.perf_counter() - started
    finally:
        source.close()
        target.close()
    return {"rows": len(records), "seconds": seconds}


def _read_table(
    dbapi: Any, name: str, postgres: bool, order: str = "1"
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every row of table ``name`` as the driver returns it (JSONB as its text)."""
    cursor = dbapi.cursor()
    if postgres:
        from psycopg.types.string import TextLoader

        cursor.adapters.register_loader("jsonb", TextLoader)
    cursor.execute(f"SELECT * FROM {name} ORDER BY {order}")
    columns = [d[0] for d in cursor.description]
    return columns, [tuple(row) for row in cursor.fetchall()]


def _insert(cursor: Any, table: str, columns: list[str], rows: list[Any], postgres: bool) -> None:
    names = ", ".join(columns)
    if postgres:
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


STEPS = {"_generate": step_generate, "_ingest": step_ingest, "_raw": step_raw}


# --- the driver --------------------------------------------------------------------------


def run_step(*args: str) -> dict[str, Any]:
    """Run one step in a child process and return what it printed (JSON)."""
    done = subprocess.run(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark step {args[0]} failed with exit code {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Postgres:
    """A throw-away server from scripts/pg.sh; one fresh database per store."""

    def __init__(self) -> None:
        self.env = {**os.environ, "XINYONG_TEST_PG_PORT": str(free_port())}
        self.count = 0

    def __enter__(self) -> Postgres:
        out = subprocess.run(
            [str(ROOT / "scripts/pg.sh"), "start"],
            env=self.env, stdout=subprocess.PIPE, text=True, check=True,
        )  # fmt: skip
        self.url = out.stdout.strip().splitlines()[-1]
        return self

    def database(self) -> str:
        import psycopg

        self.count += 1
        name = f"bench_{self.count}"
        admin = self.url.replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url.rsplit("/", 1)[0] + "/" + name

    def __exit__(self, *_: object) -> None:
        subprocess.run([str(ROOT / "scripts/pg.sh"), "stop"], env=self.env, check=False)


def measure(
    database: str, city: Path, work: Path, runs: int, pg: Postgres | None
) -> dict[str, Any]:
    ingests, raws = [], []
    for run in range(runs):
        if pg is not None:
            ingest_url, raw_url = pg.database(), pg.database()
        else:
            ingest_url = f"sqlite:///{work / f'ingest-{run}.db'}"
            raw_url = f"sqlite:///{work / f'raw-{run}.db'}"
        ingests.append(run_step("_ingest", ingest_url, str(city), str(work / f"{database}-i{run}")))
        raws.append(run_step("_raw", ingest_url, raw_url, str(work / f"{database}-r{run}")))
        for url in (ingest_url, raw_url):  # keep the disk footprint to one run's stores
            if url.startswith("sqlite"):
                for suffix in ("", "-wal", "-shm"):
                    Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    ingest_rate = statistics.median(i["rows"] / i["seconds"] for i in ingests)
    raw_rate = statistics.median(r["rows"] / r["seconds"] for r in raws)
    return {
        "rows": ingests[0]["rows"],
        "accepted": ingests[0]["accepted"],
        "ingest_seconds": statistics.median(i["seconds"] for i in ingests),
        "ingest_rate": ingest_rate,
        "raw_rows": raws[0]["rows"],
        "raw_seconds": statistics.median(r["seconds"] for r in raws),
        "raw_rate": raw_rate,
        "ratio": ingest_rate / raw_rate,
        "peak_mb": max(i["peak_mb"] for i in ingests),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--subjects", type=int, help=f"default {DEFAULT_SUBJECTS:,} (≈1M rows)")
    size.add_argument("--rows", type=int, help="about this many rows (sets --subjects)")
    parser.add_argument("--runs", type=int, default=1, help="median of this many (default 1)")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    subjects = args.subjects or (
        round(args.rows / ROWS_PER_SUBJECT) if args.rows else DEFAULT_SUBJECTS
    )
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="xinyong-bench-ingest-") as tmp:
        work = Path(tmp)
        city = work / "city"
        generated = run_step("_generate", str(subjects), str(city))
        for database in databases:
            if database == "postgresql":
                with Postgres() as pg:
                    results[database] = measure(database, city, work, args.runs, pg)
            else:
                results[database] = measure(database, city, work, args.runs, None)
    print_table(subjects, generated, results, args.runs)


def print_table(
    subjects: int, generated: dict[str, Any], results: dict[str, dict[str, Any]], runs: int
) -> None:
    dbs = list(results)

    def row(name: str, key: str, fmt: str, suffix: str = "") -> list[str]:
        return [name, *[format(results[d][key], fmt) + suffix for d in dbs], "", ""]

    met = ", ".join(f"{d} {'yes' if results[d]['ratio'] >= GOAL_RATIO else 'NO'}" for d in dbs)
    table = [
        ["measure", *dbs, "goal", "met"],
        ["subjects generated", *[f"{subjects:,}" for _ in dbs], "", ""],
        row("records (rows in the files)", "rows", ","),
        row("  accepted (= rows the raw insert writes)", "accepted", ","),
        row(f"validated ingest wall time (median of {runs})", "ingest_seconds", ",.1f", " s"),
        row("validated ingest records/s", "ingest_rate", ",.0f"),
        row(f"raw insert wall time (median of {runs})", "raw_seconds", ",.1f", " s"),
        row("raw insert rows/s (executemany/COPY)", "raw_rate", ",.0f"),
        ["ratio ingest/raw", *[f"{results[d]['ratio']:.0%}" for d in dbs], f"≥ {GOAL_RATIO:.0%}", met],
        row("peak RSS, ingest process (ru_maxrss)", "peak_mb", ",.0f", " MB"),
        ["city generation (once, not in the ratio)", f"{generated['seconds']:,.1f} s", *["" for _ in dbs[1:]], "", ""],
    ]  # fmt: skip
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    print(f"(cpus: {os.cpu_count()}; runs per database: {runs})")
    for line in table:
        cells = [line[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(line[1:-2], widths[1:-2], strict=True)]
        print("  ".join([*cells, line[-2].ljust(widths[-2]), line[-1]]).rstrip())


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in STEPS:
        print(json.dumps(STEPS[sys.argv[1]](*sys.argv[2:])))
    else:
        main()
