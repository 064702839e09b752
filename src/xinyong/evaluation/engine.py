"""Where the expressions of :mod:`.expr` run: DuckDB in-process, or Spark.

DuckDB is the default: one process, every core, and it reads Parquet and
Arrow without copying. A national node with more records than one machine
holds runs the same expressions on Spark (:class:`SparkEngine`; local mode
here and in tests, a cluster's master URL in production). Both give the same
integers: scores are centipoints, and the inputs hash is over sorted keys.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from xinyong.evaluation.errors import EngineUnavailableError
from xinyong.evaluation.snapshot import Snapshot

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend as DuckDBBackend
    from ibis.backends.pyspark import Backend as SparkBackend

ENGINES = ("duckdb", "spark")


class Engine(Protocol):
    name: str

    def read(self, snapshot: Snapshot) -> tuple[ir.Table, ir.Table]:
        """The snapshot's (subjects, records) tables."""

    def to_arrow(self, expr: ir.Table) -> pa.Table: ...

    def close(self) -> None: ...


@dataclass
class DuckDBEngine:
    """An in-memory DuckDB database; ``threads`` None lets DuckDB use every core."""

    threads: int | None = None
    name: str = "duckdb"
    _con: DuckDBBackend | None = field(default=None, repr=False)

    @property
    def con(self) -> DuckDBBackend:
        if self._con is None:
            options: dict[str, Any] = {} if self.threads is None else {"threads": self.threads}
            self._con = ibis.duckdb.connect(**options)
        return self._con

    def read(self, snapshot: Snapshot) -> tuple[ir.Table, ir.Table]:
        return (
            self.con.read_parquet(snapshot.subjects_file),
            self.con.read_parquet(snapshot.records_file),
        )

    def to_arrow(self, expr: ir.Table) -> pa.Table:
        return self.con.to_pyarrow(expr)

    def close(self) -> None:
        if self._con is not None:
            self._con.disconnect()
            self._con = None


@dataclass
class SparkEngine:
    """PySpark through Ibis; ``master`` ``local[N]`` runs in this process's JVM."""

    master: str = "local[2]"
    name: str = "spark"
    _con: SparkBackend | None = field(default=None, repr=False)
    _session: Any = field(default=None, repr=False)

    @property
    def con(self) -> SparkBackend:
        if self._con is None:
            self._session = _spark_session(self.master)
            self._con = ibis.pyspark.connect(self._session)
        return self._con

    def read(self, snapshot: Snapshot) -> tuple[ir.Table, ir.Table]:
        return (
            self.con.read_parquet(str(snapshot.subjects_file)),
            self.con.read_parquet(str(snapshot.records_file)),
        )

    def to_arrow(self, expr: ir.Table) -> pa.Table:
        return self.con.to_pyarrow(expr)

    def close(self) -> None:
        """Stop the session and the JVM's gateway: their sockets close now, not at exit."""
        if self._session is not None:
            from pyspark import SparkContext

            self._session.stop()
            gateway = SparkContext._gateway
            if gateway is not None:
                gateway.shutdown()
                proc = getattr(gateway, "proc", None)
                if proc is not None:
                    proc.stdin.close()  # the JVM exits when its parent's pipe closes
                    proc.wait(timeout=30)
            SparkContext._gateway = SparkContext._jvm = None
        self._con = self._session = None


def _spark_session(master: str) -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - pyspark is a locked dependency
        raise EngineUnavailableError(engine="spark", reason=str(exc)) from exc
    from shutil import which

    if which("java") is None and "JAVA_HOME" not in os.environ:
        raise EngineUnavailableError(engine="spark", reason="no Java runtime (install Java 17)")
    cores = os.cpu_count() or 2
    return (
        SparkSession.builder.master(master)
        .appName("xinyong-evaluate")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(2 * cores))
        .config("spark.sql.warehouse.dir", os.path.join(tempfile.gettempdir(), "spark-warehouse"))
        .getOrCreate()
    )


def engine_named(name: str, **options: Any) -> Engine:
    """The engine called ``name`` (``duckdb`` or ``spark``)."""
    if name == "duckdb":
        return DuckDBEngine(**options)
    if name == "spark":
        return SparkEngine(**options)
    raise EngineUnavailableError(engine=name, reason=f"engines: {', '.join(ENGINES)}")
