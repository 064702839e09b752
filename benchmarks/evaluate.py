"""Benchmark batch evaluation: the engine on DuckDB against one hand-written DuckDB query.

Generates a synthetic snapshot once (not timed; ``benchmarks/support/evaluate_data.py``)
of ``--subjects`` subjects (default 1,000,000) and ``--records`` records
(default 10,000,000) in the snapshot's Parquet schemas, then scores it with
the national pack's ``enterprise_risk`` model on 2026-06-30 two ways:

1. **engine**: ``expr.scores`` through :class:`~xinyong.evaluation.engine.DuckDBEngine`
   (Ibis compiles it to DuckDB SQL), ``to_arrow`` of the whole result;
2. **hand SQL**: one query written directly in DuckDB SQL, the model's rules
   inlined as a ``VALUES`` list, that computes the same columns (``subject_code,
   score, grade, inputs_hash, records``); ``to_arrow_table`` of the whole result,
   as Ibis fetches it. The sums go up from (subject, rule) to (subject,
   category) to subject; the ``record_id:version`` keys are listed, sorted and
   joined per subject in an aggregation of their own over the same matched
   records (measured faster, and smaller, than carrying nested lists of keys
   up through the sums, or ``string_agg(… ORDER BY …)``).

First, untimed, both run once on the data and their results must be equal
row for row (sorted by subject code: score, grade, inputs hash, records), and
both must agree with a plain-Python evaluation of a sample of subjects (the
most recorded ones among them); any difference ends the benchmark with exit
code 1. Then each run is one process per measurement (engine and hand SQL
alternate, the order swapped every run; ``--runs`` runs, default 3, medians
reported): wall seconds from opening the connection and reading the Parquet
files to the materialised Arrow table, and the process's peak RSS (``ru_maxrss``
from ``os.wait4``, so it is that process's alone; it includes the
interpreter and imports, shown separately). Each process first evaluates a
one-record snapshot, untimed, as a running node would have: Ibis imports
much of itself (and pandas) on first use, about two seconds that a one-shot
process pays once whatever the data; that first run's time is printed too.
Goal: the engine within 1.5× the hand query's seconds. A missed goal is
reported, not an error.

    .venv/bin/python benchmarks/evaluate.py [--subjects N] [--records N] [--runs R]
                                             [--threads T] [--keep DIR] [--show-sql]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

GOAL_RATIO = 1.5
DEFAULT_SUBJECTS = 1_000_000
DEFAULT_RECORDS = 10_000_000
MODEL = "enterprise_risk"
AS_OF = date(2026, 6, 30)
REFERENCE_SAMPLE = 300  # subjects checked against plain Python
COLUMNS = ("subject_code", "score", "grade", "inputs_hash", "records")


# --- the model and the hand-written query ---------------------------------------------


def _model() -> tuple[Any, Any, Any]:
    """The loaded pack, the model and its rule rows on :data:`AS_OF`."""
    from xinyong.evaluation import rules
    from xinyong.policy.loader import load_pack

    loaded = load_pack("national")
    model = next(m for m in loaded.pack.scoring if m.code == MODEL)
    return loaded, model, rules.rule_rows(model, loaded.pack, AS_OF)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def hand_sql(path: Path) -> str:
    """The baseline: the model's scores for the snapshot in ``path``, as one DuckDB query."""
    from xinyong.evaluation import expr
    from xinyong.evaluation.rules import centi

    loaded, model, rows = _model()
    prefix = expr.compile_model(model, rows, loaded.version, AS_OF).prefix
    caps = {str(category): centi(cap) for category, cap in model.category_caps.items()}

    def number(value: int | None) -> str:
        return "NULL::BIGINT" if value is None else f"{value}::BIGINT"

    values = ",\n        ".join(
        f"({r.rule_no}, {_quote(r.item)}, "
        f"{_quote(r.severity) if r.severity is not None else 'NULL::VARCHAR'}, "
        f"{_quote(r.category)}, {r.points}::BIGINT, DATE '{r.since.isoformat()}', "
        f"{number(r.cap)}, {number(caps.get(r.category))})"
        for r in rows
    )
    kinds = ", ".join(_quote(k.value) for k in model.subject_kinds)
    grades = "\n".join(
        f"           WHEN score >= {centi(band.min)} THEN {_quote(band.grade)}"
        for band in model.bands[:-1]
    )
    return f"""
WITH rules (rule_no, item, rule_severity, category, points, since, rule_cap, category_cap) AS (
    VALUES
        {values}
),
counted AS (
    SELECT r.subject_code, r.record_id || ':' || r.version AS key,
           u.rule_no, u.category, u.points, u.rule_cap, u.category_cap
    FROM read_parquet({_quote(str(path / "records.parquet"))}) AS r
    JOIN rules AS u
      ON r.catalog_item = u.item
     AND (u.rule_severity IS NULL OR u.rule_severity = r.severity)
     AND r.decided_on >= u.since
    WHERE r.status = 'active' AND NOT r.provisional AND r.decided_on <= DATE '{AS_OF.isoformat()}'
),
per_rule AS (
    SELECT subject_code, category, any_value(category_cap) AS category_cap,
           sum(points) AS raw, any_value(rule_cap) AS rule_cap, count(*) AS n
    FROM counted
    GROUP BY subject_code, rule_no, category
),
per_category AS (
    SELECT subject_code, any_value(category_cap) AS category_cap,
           sum(CASE WHEN rule_cap IS NULL THEN raw
                    ELSE least(greatest(raw, -rule_cap), rule_cap) END) AS summed,
           sum(n) AS n
    FROM per_rule
    GROUP BY subject_code, category
),
per_subject AS (
    SELECT subject_code,
           sum(CASE WHEN category_cap IS NULL THEN summed
                    ELSE least(greatest(summed, -category_cap), category_cap) END) AS points,
           sum(n) AS n
    FROM per_category
    GROUP BY subject_code
),
keyed AS (
    SELECT subject_code, array_to_string(list_sort(list(key)), ',') AS keys
    FROM counted
    GROUP BY subject_code
),
scored AS (
    SELECT s.code AS subject_code,
           least(greatest({centi(model.base)} + coalesce(p.points, 0), {centi(model.floor)}),
                 {centi(model.ceiling)})::BIGINT AS score,
           coalesce(p.n, 0)::BIGINT AS records,
           k.keys
    FROM read_parquet({_quote(str(path / "subjects.parquet"))}) AS s
    LEFT JOIN per_subject AS p ON p.subject_code = s.code
    LEFT JOIN keyed AS k ON k.subject_code = s.code
    WHERE s.subject_kind IN ({kinds}) AND s.status = 'active'
)
SELECT subject_code,
       score,
       CASE
{grades}
           ELSE {_quote(model.bands[-1].grade)}
       END AS grade,
       sha256({_quote(prefix)} || coalesce(keys, '')) AS inputs_hash,
       records
FROM scored
"""


def engine_sql(path: Path) -> str:
    """What Ibis sends DuckDB for ``expr.scores`` (for ``--show-sql``)."""
    import ibis

    from xinyong.evaluation import expr
    from xinyong.evaluation.engine import DuckDBEngine
    from xinyong.evaluation.snapshot import Snapshot

    loaded, model, rows = _model()
    engine = DuckDBEngine()
    subjects, records = engine.read(Snapshot(path, 0, 0, ""))
    compiled = expr.compile_model(model, rows, loaded.version, AS_OF)
    return str(ibis.to_sql(expr.scores(compiled, subjects, records), dialect="duckdb"))


# --- child steps (each run as `python benchmarks/evaluate.py _<step> …`) ----------------


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _threads(text: str) -> int | None:
    return int(text) or None


def _run_engine(path: Path, threads: int | None, setup: tuple[Any, Any, Any]) -> Any:
    """The engine's result table, from connecting and reading the Parquet files on."""
    from xinyong.evaluation import expr
    from xinyong.evaluation.engine import DuckDBEngine
    from xinyong.evaluation.snapshot import Snapshot

    loaded, model, rows = setup
    engine = DuckDBEngine(threads=threads)
    try:
        compiled = expr.compile_model(model, rows, loaded.version, AS_OF)
        subjects, records = engine.read(Snapshot(path, 0, 0, ""))
        return engine.to_arrow(expr.scores(compiled, subjects, records))
    finally:
        engine.close()


def _run_hand(sql: str, threads: int | None) -> Any:
    import duckdb

    con = duckdb.connect(config={"threads": threads} if threads else {})
    try:
        return con.sql(sql).to_arrow_table()
    finally:
        con.close()


def step_generate(path: str, subjects: str, records: str, threads: str) -> dict[str, Any]:
    from support.evaluate_data import generate

    return generate(Path(path), int(subjects), int(records), _threads(threads))


def step_engine(path: str, warmup: str, threads: str) -> dict[str, Any]:
    """The engine, timed, after one untimed run on a tiny snapshot (Ibis imports lazily)."""
    setup = _model()  # the pack, as a running node holds it loaded
    warm = time.perf_counter()
    _run_engine(Path(warmup), _threads(threads), setup)
    warm = time.perf_counter() - warm
    before = _resident_mb()
    started = time.perf_counter()
    table = _run_engine(Path(path), _threads(threads), setup)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": table.num_rows, "before_mb": before, "warmup_s": warm}


def step_hand(sql_file: str, warmup_sql_file: str, threads: str) -> dict[str, Any]:
    """The hand query, timed, after one untimed run on the tiny snapshot, like the engine."""
    sql = Path(sql_file).read_text(encoding="utf-8")
    warm = time.perf_counter()
    _run_hand(Path(warmup_sql_file).read_text(encoding="utf-8"), _threads(threads))
    warm = time.perf_counter() - warm
    before = _resident_mb()
    started = time.perf_counter()
    table = _run_hand(sql, _threads(threads))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": table.num_rows, "before_mb": before, "warmup_s": warm}


def step_verify(path: str, sql_file: str, threads: str) -> dict[str, Any]:
    """Both results on the data, equal row for row, and equal to Python on a sample."""
    import pyarrow.compute as pc

    engine = _normalised(_run_engine(Path(path), _threads(threads), _model()))
    hand = _normalised(_run_hand(Path(sql_file).read_text(encoding="utf-8"), _threads(threads)))
    problems = []
    if not engine.equals(hand):
        problems.append("engine and hand SQL differ:\n" + _differences(engine, hand))
    problems += _python_reference(Path(path), engine)
    grades = _grade_counts(engine)
    counted = pc.sum(engine["records"]).as_py() or 0
    return {
        "problems": problems,
        "rows": engine.num_rows,
        "counted": counted,
        "most": pc.max(engine["records"]).as_py() or 0,
        "grades": grades,
    }


def _grade_counts(table: Any) -> dict[str, int]:
    counts = table["grade"].value_counts()
    return {str(item["values"]): int(item["counts"]) for item in counts.to_pylist()}


def _normalised(table: Any) -> Any:
    import pyarrow as pa

    schema = pa.schema(
        [
            ("subject_code", pa.string()),
            ("score", pa.int64()),
            ("grade", pa.string()),
            ("inputs_hash", pa.string()),
            ("records", pa.int64()),
        ]
    )
    return table.select(list(COLUMNS)).cast(schema).sort_by("subject_code").combine_chunks()


def _differences(engine: Any, hand: Any, limit: int = 8) -> str:
    import duckdb

    con = duckdb.connect()
    con.register("engine", engine)
    con.register("hand", hand)
    rows = con.sql(
        """
        SELECT coalesce(e.subject_code, h.subject_code) AS code,
               e.score, h.score, e.grade, h.grade, e.records, h.records,
               e.inputs_hash = h.inputs_hash AS same_hash
        FROM engine AS e FULL JOIN hand AS h USING (subject_code)
        WHERE e.subject_code IS NULL OR h.subject_code IS NULL
           OR (e.score, e.grade, e.inputs_hash, e.records)
              IS DISTINCT FROM (h.score, h.grade, h.inputs_hash, h.records)
        ORDER BY code
        """
    ).fetchall()
    lines = [f"  rows: engine {engine.num_rows:,}, hand {hand.num_rows:,}; {len(rows):,} differ"]
    lines.append("  code, score e/h, grade e/h, records e/h, same hash")
    lines += [f"  {row}" for row in rows[:limit]]
    return "\n".join(lines)


def _python_reference(path: Path, result: Any) -> list[str]:
    """Score a sample of subjects in plain Python and compare with ``result``."""
    import hashlib
    from collections import defaultdict

    import duckdb

    from xinyong.evaluation import expr
    from xinyong.evaluation.rules import bounded, centi, clip

    loaded, model, rows = _model()
    prefix = expr.compile_model(model, rows, loaded.version, AS_OF).prefix
    caps = {str(category): centi(cap) for category, cap in model.category_caps.items()}
    con = duckdb.connect()
    con.register("result", result)
    # The most recorded subjects, some without a record, and a spread of the rest.
    sample = con.sql(
        f"""
        (SELECT subject_code FROM result ORDER BY records DESC, subject_code LIMIT 20)
        UNION (SELECT subject_code FROM result WHERE records = 0 ORDER BY subject_code LIMIT 20)
        UNION (SELECT subject_code FROM result ORDER BY hash(subject_code)
               LIMIT {REFERENCE_SAMPLE - 40})
        """
    ).fetchall()
    codes = sorted(code for (code,) in sample)
    con.register("sample", _column_table("code", codes))
    records = con.sql(
        f"""
        SELECT subject_code, record_id, version, catalog_item, severity, decided_on,
               status, provisional
        FROM read_parquet({_quote(str(path / "records.parquet"))})
        WHERE subject_code IN (SELECT code FROM sample)
        """
    ).fetchall()
    by_subject: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for record in records:
        by_subject[record[0]].append(record)
    expected = {}
    for code in codes:
        per_rule: dict[int, int] = defaultdict(int)
        keys, counted = [], 0
        for _, record_id, version, item, severity, decided_on, status, provisional in by_subject[
            code
        ]:
            if status != "active" or provisional or decided_on > AS_OF:
                continue
            rule = next(
                (
                    r
                    for r in rows
                    if r.item == item
                    and (r.severity is None or r.severity == severity)
                    and decided_on >= r.since
                ),
                None,
            )
            if rule is None:
                continue
            per_rule[rule.rule_no] += rule.points
            keys.append(f"{record_id}:{version}")
            counted += 1
        per_category: dict[str, int] = defaultdict(int)
        for rule in rows:
            if rule.rule_no in per_rule:
                per_category[rule.category] += clip(per_rule[rule.rule_no], rule.cap)
        total = sum(clip(v, caps.get(c)) for c, v in per_category.items())
        score = bounded(model, centi(model.base) + total)
        grade = next(b.grade for b in model.bands if score >= centi(b.min))
        digest = hashlib.sha256((prefix + ",".join(sorted(keys))).encode()).hexdigest()
        expected[code] = (code, score, grade, digest, counted)
    got = {
        row[0]: row
        for row in con.sql(
            "SELECT subject_code, score, grade, inputs_hash, records FROM result "
            "WHERE subject_code IN (SELECT code FROM sample)"
        ).fetchall()
    }
    wrong = [code for code in codes if got.get(code) != expected[code]]
    if not wrong:
        return []
    shown = "\n".join(f"  python {expected[c]}\n  result {got.get(c)}" for c in wrong[:4])
    return [f"{len(wrong)} of {len(codes)} sampled subjects differ from plain Python:\n{shown}"]


def _column_table(name: str, values: list[str]) -> Any:
    import pyarrow as pa

    return pa.table({name: pa.array(values, pa.string())})


STEPS: dict[str, Callable[..., dict[str, Any]]] = {
    "_generate": step_generate,
    "_engine": step_engine,
    "_hand": step_hand,
    "_verify": step_verify,
}


# --- the driver --------------------------------------------------------------------------


def run_step(*args: str) -> dict[str, Any]:
    """Run one step in its own process; its JSON answer plus its peak RSS (``wait4``)."""
    child = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"benchmark step {args[0]} failed with exit code {child.returncode}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return result


def _parquet_rows(path: Path) -> int | None:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows if path.exists() else None


def prepare(path: Path, subjects: int, records: int, threads: str) -> float | None:
    """Generate the snapshot under ``path`` unless it is there; the seconds it took, or None."""
    have = (_parquet_rows(path / "subjects.parquet"), _parquet_rows(path / "records.parquet"))
    if have == (subjects, records):
        return None
    if have != (None, None):
        print(f"(regenerating {path}: it holds {have[0]} subjects and {have[1]} records)")
    generated = run_step("_generate", str(path), str(subjects), str(records), threads)
    seconds: float = generated["seconds"]
    return seconds


def write_warmup(path: Path) -> None:
    """A snapshot of one subject and one record that counts: what each process runs first."""
    import pyarrow.parquet as pq

    from xinyong.evaluation.snapshot import RECORDS, SUBJECTS, table_of

    path.mkdir(parents=True, exist_ok=True)
    code = "91110101000000001X"
    subject = {"code": code, "subject_kind": "legal", "status": "active"}
    record = {
        "subject_code": code, "record_id": "0" * 32, "version": 1, "catalog_item": "adm.penalty",
        "severity": "serious", "decided_on": AS_OF, "status": "active", "provisional": False,
    }  # fmt: skip
    pq.write_table(table_of(SUBJECTS, [subject]), path / "subjects.parquet")
    pq.write_table(table_of(RECORDS, [record]), path / "records.parquet")


def measure(
    path: Path, work: Path, sql_file: Path, runs: int, threads: str
) -> dict[str, list[dict[str, Any]]]:
    write_warmup(work / "warmup")
    warmup_sql = work / "warmup.sql"
    warmup_sql.write_text(hand_sql(work / "warmup"), encoding="utf-8")
    results: dict[str, list[dict[str, Any]]] = {"engine": [], "hand": []}
    steps = {
        "engine": ("_engine", str(path), str(work / "warmup"), threads),
        "hand": ("_hand", str(sql_file), str(warmup_sql), threads),
    }
    for run in range(runs):
        order = ("engine", "hand") if run % 2 == 0 else ("hand", "engine")
        for name in order:
            results[name].append(run_step(*steps[name]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=DEFAULT_SUBJECTS, help="default 1,000,000")
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS, help="default 10,000,000")
    parser.add_argument("--runs", type=int, default=3, help="median of this many (default 3)")
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (default all cores)")
    parser.add_argument("--keep", type=Path, help="generate the data here, or reuse it from here")
    parser.add_argument("--show-sql", action="store_true", help="print both queries first")
    args = parser.parse_args()
    if args.subjects < 100 or args.records < 1 or args.runs < 1 or args.threads < 0:
        parser.error("--subjects ≥ 100, --records ≥ 1, --runs ≥ 1, --threads ≥ 0")
    started = time.perf_counter()
    threads = str(args.threads)
    with tempfile.TemporaryDirectory(prefix="xinyong-bench-evaluate-") as tmp:
        path = args.keep.resolve() if args.keep else Path(tmp)
        path.mkdir(parents=True, exist_ok=True)
        generated = prepare(path, args.subjects, args.records, threads)
        sql_file = Path(tmp) / "hand.sql"
        sql_file.write_text(hand_sql(path), encoding="utf-8")
        if args.show_sql:
            print("-- hand-written query\n" + sql_file.read_text(encoding="utf-8"))
            print("-- the engine's query (ibis.to_sql)\n" + engine_sql(path) + "\n")
        verified = run_step("_verify", str(path), str(sql_file), threads)
        if verified["problems"]:
            for problem in verified["problems"]:
                print(f"MISMATCH: {problem}", file=sys.stderr)
            raise SystemExit(1)
        results = measure(path, Path(tmp), sql_file, args.runs, threads)
    print_table(args, generated, verified, results, time.perf_counter() - started)


def print_table(
    args: argparse.Namespace,
    generated: float | None,
    verified: dict[str, Any],
    results: dict[str, list[dict[str, Any]]],
    seconds: float,
) -> None:
    import duckdb
    import ibis

    def median(name: str, key: str) -> float:
        return float(statistics.median(r[key] for r in results[name]))

    def spread(name: str) -> str:
        times = sorted(r["seconds"] for r in results[name])
        return f"{times[0]:.2f}–{times[-1]:.2f}" if len(times) > 1 else ""

    engine_s, hand_s = median("engine", "seconds"), median("hand", "seconds")
    ratio = engine_s / hand_s
    runs = f"median of {args.runs}"
    grades = " / ".join(f"{g} {n:,}" for g, n in sorted(verified["grades"].items()))
    made = "reused" if generated is None else f"{generated:,.1f} s"
    table = [
        ("subjects in the snapshot (10% natural, ~2% cancelled)", f"{args.subjects:,}", "", ""),
        (f"  graded by {MODEL} (legal, active)", f"{verified['rows']:,}", "", ""),
        ("records in the snapshot", f"{args.records:,}", "", ""),
        (f"  counted on {AS_OF} (graded subjects)", f"{verified['counted']:,}", "", ""),
        ("  most counted for one subject", f"{verified['most']:,}", "", ""),
        ("grades", grades, "", ""),
        ("results equal: engine = hand SQL = Python (sample)", f"{verified['rows']:,} rows", "equal", "yes"),
        (f"engine (Ibis → DuckDB) wall time ({runs})", f"{engine_s:,.2f} s", "", ""),
        ("  fastest–slowest", spread("engine"), "", ""),
        (f"hand-written DuckDB query wall time ({runs})", f"{hand_s:,.2f} s", "", ""),
        ("  fastest–slowest", spread("hand"), "", ""),
        ("ratio engine ÷ hand", f"{ratio:.2f}×", f"≤ {GOAL_RATIO}×", "yes" if ratio <= GOAL_RATIO else "NO"),
        (f"peak RSS, engine process ({runs})", f"{median('engine', 'peak_mb'):,.0f} MB", "", ""),
        (f"peak RSS, hand-SQL process ({runs})", f"{median('hand', 'peak_mb'):,.0f} MB", "", ""),
        ("  RSS before reading: engine / hand (imports)", f"{median('engine', 'before_mb'):,.0f} / {median('hand', 'before_mb'):,.0f} MB", "", ""),
        ("first run in a new process (imports; 1 record; untimed): engine / hand", f"{median('engine', 'warmup_s'):,.2f} / {median('hand', 'warmup_s'):,.2f} s", "", ""),
        ("data generation (once, not timed)", made, "", ""),
    ]  # fmt: skip
    width = max(len(row[0]) for row in table)
    value = max(len(row[1]) for row in table)
    goal = max(len(row[2]) for row in table)
    print(
        f"(cpus: {os.cpu_count()}; DuckDB threads: {args.threads or 'all'}; "
        f"duckdb {duckdb.__version__}, ibis {ibis.__version__}; "
        f"whole run {seconds:,.0f} s)"
    )
    print(f"{'measure':<{width}}  {'value':>{value}}  {'goal':<{goal}}  met")
    for name, figure, aim, ok in table:
        print(f"{name:<{width}}  {figure:>{value}}  {aim:<{goal}}  {ok}".rstrip())


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in STEPS:
        print(json.dumps(STEPS[sys.argv[1]](*sys.argv[2:]), default=str))
    else:
        main()
