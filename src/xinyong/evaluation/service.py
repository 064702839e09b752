"""Use cases of evaluation: grade everyone (batch), grade and explain one subject.

The batch and the single subject run the same expressions (:mod:`.expr`):
the batch over a Parquet snapshot of the whole store, one subject over a
memtable of its own rows. Because the expressions group by subject, what a
subject gets cannot depend on anyone else's records, so the two agree
exactly (held by a property test). Only the batch stores results; a single
evaluation is an answer, shown with its inputs hash beside the stored one.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from xinyong.audit.service import append_event
from xinyong.clock import china_date
from xinyong.codes.dispatch import parse_code
from xinyong.evaluation import expr
from xinyong.evaluation.engine import DuckDBEngine, Engine, engine_named
from xinyong.evaluation.errors import NotGradedError, UnknownModelError
from xinyong.evaluation.explain import Change, Explanation, leave_days, reasons
from xinyong.evaluation.rules import points_of, rule_rows
from xinyong.evaluation.snapshot import RECORDS, SUBJECTS, Snapshot, table_of, write_snapshot
from xinyong.policy.loader import LoadedPack
from xinyong.policy.model import ScoringModel
from xinyong.registry.errors import SubjectNotFoundError
from xinyong.store.engine import Store
from xinyong.store.queries import evaluation as queries
from xinyong.store.queries import reference
from xinyong.store.queries.evaluation import ResultRow, RunRow
from xinyong.store.uow import Connection, UnitOfWork

Progress = Callable[[str, int, int | None], None]  # (step, advance, total or None)


@dataclass(frozen=True)
class Result:
    """One subject's evaluation by one model."""

    subject_code: str
    model: ScoringModel
    policy_version: str
    as_of: date
    score: float
    grade: str
    inputs_hash: str
    records: int
    engine: str = "duckdb"
    run_id: int | None = None


@dataclass(frozen=True)
class RunSummary:
    """What a batch run graded, for the CLI's summary."""

    run_id: int
    model: ScoringModel
    as_of: date
    engine: str
    subjects: int
    distribution: dict[str, int]
    snapshot: Snapshot
    seconds: float


def scoring_model(loaded: LoadedPack, code: str) -> ScoringModel:
    model = next((m for m in loaded.pack.scoring if m.code == code), None)
    if model is None:
        known = ", ".join(m.code for m in loaded.pack.scoring) or "none"
        raise UnknownModelError(model=code, known=known)
    return model


def models_in_force(loaded: LoadedPack, as_of: date, code: str | None = None) -> list[ScoringModel]:
    """The named model, or every model in force on ``as_of``."""
    if code is not None:
        return [scoring_model(loaded, code)]
    return [m for m in loaded.pack.scoring if m.in_force(as_of)]


def compiled(loaded: LoadedPack, model: ScoringModel, as_of: date) -> expr.Compiled:
    rows = rule_rows(model, loaded.pack, as_of)
    return expr.compile_model(model, rows, loaded.version, as_of)


def evaluate_all(
    store: Store,
    loaded: LoadedPack,
    workdir: Path,
    *,
    now: datetime,
    actor: str,
    model_code: str | None = None,
    engine: str = "duckdb",
    as_of: date | None = None,
    progress: Progress = lambda step, n, total: None,
) -> list[RunSummary]:
    """Snapshot the store, grade every subject by each model, store the results as runs."""
    day = as_of or china_date(now)
    models = models_in_force(loaded, day, model_code)
    runner = engine_named(engine)
    try:
        with UnitOfWork(store, read_only=True) as uow:
            snapshot = write_snapshot(
                workdir / f"snapshot-{now:%Y%m%dT%H%M%S}",
                queries.subject_rows(uow.connection),
                queries.record_rows(uow.connection),
                progress=lambda n: progress("snapshot", n, None),
            )
        subjects, records = runner.read(snapshot)
        return [
            _run_one(
                store, loaded, runner, m, snapshot, subjects, records, day, now, actor, progress
            )
            for m in models
        ]
    finally:
        runner.close()


def _run_one(
    store: Store,
    loaded: LoadedPack,
    runner: Engine,
    model: ScoringModel,
    snapshot: Snapshot,
    subjects: ir.Table,
    records: ir.Table,
    day: date,
    now: datetime,
    actor: str,
    progress: Progress,
) -> RunSummary:
    started = time.perf_counter()
    table = runner.to_arrow(expr.scores(compiled(loaded, model, day), subjects, records))
    distribution = dict(sorted(Counter(table.column("grade").to_pylist()).items()))
    progress(model.code, 0, table.num_rows)
    with UnitOfWork(store) as uow:
        run_id = queries.insert_run(
            uow.connection,
            RunRow(model.code, loaded.version, runner.name, day, snapshot.sha256, table.num_rows,
                   distribution, now, now + timedelta(seconds=time.perf_counter() - started),
                   actor),
        )  # fmt: skip
        rows = _result_rows(table, model, loaded.version, day, runner.name, now, run_id)
        queries.insert_results(
            uow.connection, _counted(rows, lambda n: progress(model.code, n, None))
        )
        append_event(
            uow.connection,
            actor=actor,
            action="evaluation.run",
            target=f"model:{model.code}",
            detail={"run": run_id, "as_of": day.isoformat(), "engine": runner.name,
                    "subjects": table.num_rows, "distribution": distribution,
                    "snapshot": snapshot.sha256, "policy_version": loaded.version},
            now=now,
        )  # fmt: skip
        uow.commit()
    return RunSummary(run_id, model, day, runner.name, table.num_rows, distribution, snapshot,
                      time.perf_counter() - started)  # fmt: skip


def _result_rows(
    table: pa.Table,
    model: ScoringModel,
    version: str,
    day: date,
    engine: str,
    now: datetime,
    run_id: int | None,
) -> Iterator[ResultRow]:
    for batch in table.to_batches(max_chunksize=10_000):
        columns = batch.to_pydict()
        for code, score, grade, digest, n in zip(
            columns["subject_code"], columns["score"], columns["grade"],
            columns["inputs_hash"], columns["records"], strict=True,
        ):  # fmt: skip
            yield ResultRow(code, model.code, version, day, points_of(score), grade, digest, n,
                            engine, now, run_id)  # fmt: skip


def _counted(rows: Iterator[ResultRow], tick: Callable[[int], None]) -> Iterator[ResultRow]:
    for n, row in enumerate(rows, 1):
        if n % 1000 == 0:
            tick(1000)
        yield row


@dataclass
class _Subject:
    """One subject's rows as memtables, on an engine of its own."""

    code: str
    kind: str
    status: str
    subjects: ir.Table
    records: ir.Table
    engine: DuckDBEngine


def _normalised(conn: Connection, code: str) -> str:
    """The code validated and normalised, as the operator's allowlist admits it."""
    allowlist = {e.code: e.reason for e in reference.allowlist(conn)}
    return parse_code(code, allowlist=allowlist).value


def _one_subject(store: Store, code: str) -> _Subject:
    with UnitOfWork(store, read_only=True) as uow:
        code = _normalised(uow.connection, code)
        subject_rows = list(queries.subject_rows(uow.connection, code))
        record_rows = list(queries.record_rows(uow.connection, code))
    if not subject_rows:
        raise SubjectNotFoundError(code)
    row = subject_rows[0]
    return _Subject(
        code,
        row["subject_kind"],
        row["status"],
        ibis.memtable(table_of(SUBJECTS, subject_rows)),
        ibis.memtable(table_of(RECORDS, record_rows)),
        DuckDBEngine(threads=1),
    )


def subject_kind(store: Store, code: str) -> tuple[str, str]:
    """The subject's normalised code and kind (legal or natural), before anything is computed."""
    with UnitOfWork(store, read_only=True) as uow:
        value = _normalised(uow.connection, code)
        rows = list(queries.subject_rows(uow.connection, value))
    if not rows:
        raise SubjectNotFoundError(value)
    return value, str(rows[0]["subject_kind"])


def _grades(model: ScoringModel, subject: _Subject) -> bool:
    return subject.status == "active" and any(k.value == subject.kind for k in model.subject_kinds)


def _score(loaded: LoadedPack, model: ScoringModel, subject: _Subject, day: date) -> Result:
    table = subject.engine.to_arrow(
        expr.scores(compiled(loaded, model, day), subject.subjects, subject.records)
    )
    (row,) = table.to_pylist()
    return Result(subject.code, model, loaded.version, day, points_of(row["score"]), row["grade"],
                  row["inputs_hash"], row["records"])  # fmt: skip


def evaluate_subject(
    store: Store, loaded: LoadedPack, code: str, *, as_of: date, model_code: str | None = None
) -> list[Result]:
    """The subject's results by each model that grades it (or by the named one), on ``as_of``."""
    subject = _one_subject(store, code)
    try:
        return [
            _score(loaded, m, subject, as_of)
            for m in _models_for(loaded, subject, as_of, model_code)
        ]
    finally:
        subject.engine.close()


def _models_for(
    loaded: LoadedPack, subject: _Subject, as_of: date, model_code: str | None
) -> Sequence[ScoringModel]:
    models = models_in_force(loaded, as_of, model_code)
    graded = [m for m in models if _grades(m, subject)]
    if model_code is not None and not graded:
        kinds = ", ".join(k.value for k in models[0].subject_kinds)
        raise NotGradedError(model=model_code, subject=subject.code, kinds=kinds)
    return graded


def explain_subject(
    store: Store, loaded: LoadedPack, code: str, *, as_of: date, model_code: str | None = None
) -> list[tuple[Result, Explanation]]:
    """Each result with its reasons and the coming days on which it changes."""
    subject = _one_subject(store, code)
    try:
        return [
            _explain(loaded, m, subject, as_of)
            for m in _models_for(loaded, subject, as_of, model_code)
        ]
    finally:
        subject.engine.close()


def _explain(
    loaded: LoadedPack, model: ScoringModel, subject: _Subject, day: date
) -> tuple[Result, Explanation]:
    result = _score(loaded, model, subject, day)
    c = compiled(loaded, model, day)
    run = subject.engine.to_arrow
    per_rule, per_category = expr.breakdown(c, subject.records)
    lines = reasons(
        model,
        rule_rows(model, loaded.pack, day),
        round(result.score * 100),
        run(expr.matched(c, subject.records)).to_pylist(),
        run(per_rule).to_pylist(),
        run(per_category).to_pylist(),
    )
    changes = []
    for on, leaving in leave_days(lines, day):
        later = _score(loaded, model, subject, on)
        changes.append(Change(on, leaving, later.score, later.grade))
    return result, Explanation(model.base, result.score, tuple(lines), tuple(changes))


def stored_results(store: Store, code: str) -> list[ResultRow]:
    """The latest stored result of each model for the subject."""
    with UnitOfWork(store, read_only=True) as uow:
        return queries.latest_results(uow.connection, code)


def reevaluate_subject(
    store: Store, loaded: LoadedPack, code: str, *, now: datetime, actor: str, why: str
) -> list[Result]:
    """Evaluate one subject now and store the results (no run), as the latest it has.

    Called when a rights decision changed the subject's file (an objection
    decided, a repair): its stored grade must not wait for the next batch run.
    A subject no model grades stores nothing.
    """
    day = china_date(now)
    results = evaluate_subject(store, loaded, code, as_of=day)
    if not results:
        return results
    rows = [ResultRow(r.subject_code, r.model.code, r.policy_version, day, r.score, r.grade,
                      r.inputs_hash, r.records, r.engine, now, None) for r in results]  # fmt: skip
    with UnitOfWork(store) as uow:
        queries.insert_results(uow.connection, iter(rows))
        detail = {"why": why, "results": {r.model.code: [str(r.score), r.grade] for r in results}}
        append_event(uow.connection, actor=actor, action="evaluation.subject",
                     target=f"subject:{results[0].subject_code}", detail=detail, now=now)  # fmt: skip
        uow.commit()
    return results
