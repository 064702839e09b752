"""Synthetic evaluation snapshots for ``benchmarks/evaluate.py``: DuckDB SQL, no Python row loops.

Writes ``subjects.parquet`` and ``records.parquet`` with exactly the Arrow
schemas of :mod:`xinyong.evaluation.snapshot` (zstd, row groups of its
``CHUNK`` rows), sorted as the store's snapshot queries sort them (subjects
by code, records by subject code and record id). Everything is drawn from
DuckDB's ``hash`` of the row number (salted), so the same sizes give the
same files on every run and every machine.

Subjects: 18-character codes, USCC-like for legal persons (``91``, region,
nine digits, check) and resident-ID-like for natural persons (region, birth
date, sequence, check); one in ten is a natural person; about 2% are
cancelled (and ~0.2% revoked).

Records (skewed): 70% of them fall on 5% of the subjects, drawn with a
square law inside that group (the largest holds tens of thousands), 30%
spread evenly over another 45% (a handful each), and half the subjects have
none. The subjects are then scattered by an affine permutation of their
number so that record-heavy subjects are not clustered. Catalog items are
the national pack's: 60% items ``enterprise_risk`` scores, with their
severities, and 40% items it does not score (licences, judgments, pledges,
…). ``decided_on`` is uniform over 2018-01-01 .. 2026-12-31 (some after the
evaluation day); ~3% are not active (under objection, corrected, repaired,
revoked, expired), ~1% provisional (a fuzzy match not confirmed); about 10%
are in a later version. ``record_id`` is 32 hex digits, like the store's.
"""

from __future__ import annotations

import math
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from support.regions import REGIONS
from xinyong.evaluation.snapshot import CHUNK, RECORDS, SUBJECTS

AS_OF = date(2026, 6, 30)
FIRST_DAY, LAST_DAY = date(2018, 1, 1), date(2026, 12, 31)

# (catalog item, severity or None, share in per mille). Scored by enterprise_risk: 600 ‰.
ITEMS: tuple[tuple[str, str | None, int], ...] = (
    ("adm.penalty", "minor", 120),
    ("adm.penalty", "general", 90),
    ("adm.penalty", "serious", 40),
    ("abn.operation", "general", 80),
    ("jud.defaulter", "serious", 50),
    ("tax.arrears", "general", 45),
    ("tax.arrears", "serious", 15),
    ("si.arrears", "general", 40),
    ("si.arrears", "serious", 10),
    ("contract.breach", "general", 30),
    ("contract.breach", "serious", 10),
    ("honour.commendation", None, 70),
    # not scored by enterprise_risk
    ("adm.license", None, 200),
    ("jud.judgment", "general", 40),
    ("jud.judgment", "serious", 20),
    ("tax.grade", None, 40),
    ("qual.professional", None, 40),
    ("contract.fulfilment", None, 30),
    ("commit.pledge", None, 20),
    ("volunteer.service", None, 5),
    ("donation.record", None, 5),
)
INACTIVE = ("under_objection", "corrected", "repaired", "revoked", "expired")

HEAVY_SUBJECTS, HEAVY_RECORDS = 0.05, 0.70  # 5% of subjects hold 70% of the records
LIGHT_SUBJECTS = 0.45  # the other 30% of the records, evenly; the rest have none


def _slots() -> pa.Table:
    """1,000 rows ``slot → (catalog_item, severity)`` in the shares of :data:`ITEMS`."""
    items: list[str] = []
    severities: list[str | None] = []
    for item, severity, share in ITEMS:
        items += [item] * share
        severities += [severity] * share
    assert len(items) == 1000, len(items)
    return pa.table(
        {"slot": pa.array(range(1000), pa.int64()), "catalog_item": items, "severity": severities}
    )


def _multiplier(n: int) -> int:
    """A multiplier coprime to ``n`` near the golden section: ``i ↦ a·i mod n`` scatters."""
    a = max(1, int(n * 0.6180339887))
    while math.gcd(a, n) != 1:
        a += 1
    return a


def _uniform(salt: int, column: str = "i") -> str:
    """SQL for a uniform double in [0, 1) from the row number and a salt."""
    return f"(draw({column}, {salt}) >> 11)::DOUBLE / 9007199254740992.0"


def _sql_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def generate(path: Path, subjects: int, records: int, threads: int | None = None) -> dict[str, Any]:
    """Write the two Parquet files under ``path``; returns counts and seconds."""
    path.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(config={"threads": threads} if threads else {})
    con.register("slots", _slots())
    regions = _sql_list(REGIONS)
    # hash(i, salt) is hash(i) xor a constant (correlated draws), so salt the value instead.
    con.execute("CREATE MACRO draw(i, salt) AS hash(i * 64 + salt)")
    # Subject number i → its code; natural persons are those with i % 10 = 7.
    con.execute(f"""
        CREATE MACRO subject_code(i) AS CASE WHEN i % 10 = 7
            THEN list_extract({regions}, (i // 10 % 10 + 1)::INTEGER)
                 || strftime(DATE '1950-01-01' + (i // 10 % 20000)::INTEGER, '%Y%m%d')
                 || printf('%03d', i // 200000 % 1000)
                 || substr('0123456789X', (i % 11 + 1)::INTEGER, 1)
            ELSE '91' || list_extract({regions}, (i % 10 + 1)::INTEGER) || printf('%09d', i)
                 || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (i % 31 + 1)::INTEGER, 1)
            END
    """)
    subjects_query = f"""
            SELECT subject_code(i) AS code,
                   CASE WHEN i % 10 = 7 THEN 'natural' ELSE 'legal' END AS subject_kind,
                   CASE WHEN draw(i, 11) % 1000 < 20 THEN 'cancelled'
                        WHEN draw(i, 11) % 1000 < 22 THEN 'revoked'
                        ELSE 'active' END AS status
            FROM range({subjects}) AS t(i)
            ORDER BY code
    """
    _write(con, path / "subjects.parquet", SUBJECTS, subjects_query)
    heavy = max(1, int(subjects * HEAVY_SUBJECTS))
    light = max(1, int(subjects * LIGHT_SUBJECTS))
    days = (LAST_DAY - FIRST_DAY).days + 1
    records_query = f"""
            WITH drawn AS (
                SELECT i,
                       CASE WHEN {_uniform(1)} < {HEAVY_RECORDS}
                            THEN floor({heavy} * pow({_uniform(2)}, 2))::BIGINT
                            ELSE {heavy} + floor({light} * {_uniform(2)})::BIGINT
                       END % {subjects} AS k
                FROM range({records}) AS t(i)
            )
            SELECT subject_code(k * {_multiplier(subjects)} % {subjects}) AS subject_code,
                   md5('record-' || i::VARCHAR) AS record_id,
                   CASE WHEN draw(i, 7) % 100 < 8 THEN 2
                        WHEN draw(i, 7) % 100 < 10 THEN 3 ELSE 1 END::BIGINT AS version,
                   s.catalog_item,
                   s.severity,
                   (DATE '{FIRST_DAY.isoformat()}' + (draw(i, 4) % {days})::INTEGER)::DATE
                       AS decided_on,
                   CASE WHEN draw(i, 5) % 1000 < 30
                        THEN list_extract({_sql_list(INACTIVE)}, (draw(i, 6) % 5 + 1)::INTEGER)
                        ELSE 'active' END AS status,
                   draw(i, 8) % 100 = 0 AS provisional
            FROM drawn JOIN slots AS s ON s.slot = (draw(i, 3) % 1000)::BIGINT
            ORDER BY subject_code, record_id
    """
    _write(con, path / "records.parquet", RECORDS, records_query)
    con.close()
    return {"subjects": subjects, "records": records, "seconds": time.perf_counter() - started}


def _write(con: duckdb.DuckDBPyConnection, path: Path, schema: pa.Schema, query: str) -> None:
    """The rows of ``query`` into ``path`` as :func:`~xinyong.evaluation.snapshot.write_snapshot`
    writes a snapshot: pyarrow's writer, zstd, one row group per ``CHUNK`` rows, the schema's
    own (nullable) fields."""
    reader = con.sql(query).to_arrow_reader(CHUNK)
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_table(pa.Table.from_batches([batch]).cast(schema), row_group_size=CHUNK)
