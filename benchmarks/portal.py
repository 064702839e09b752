"""Benchmark the portal: server time of the subject page and of search on a 1,000,000-subject city.

Builds the demo city at ``--subjects`` subjects (default 1,000,000; generated
and ingested once into ``--keep DIR``, reused on later runs), then serves the
app in-process and times requests with ``time.perf_counter`` around each
call of the ASGI app (no network, no browser: the server's time, including
rendering the HTML):

1. **subject page**: ``GET /subjects/{code}`` of ``--pages`` random legal persons
   that have records (default 500), in a fixed random order;
2. **search**: ``GET /search?q=…`` of ``--searches`` fragments (default 300) cut
   from random company names: 3–4 characters (the trigram index) and, reported
   on their own row, 2 characters (a bounded scan);
3. **search by code**: whole codes;
4. **first loads** in each fresh app: the home page, which aggregates the
   store for its headline figures (cached for ten minutes), then ``/statistics``
   served from that cache.

Each of ``--runs`` runs (default 3) starts a fresh app; the table gives the
median over runs of each row's p50 and p95, and the range of the p95s.

The search rate limit is lifted for the run (it is the scraper's limit, not
the server's speed). Goals (issue 6): subject page p95 ≤ 50 ms, search p95 ≤
100 ms. The database is SQLite, the embedded default (``--database-url`` for
PostgreSQL).

    .venv/bin/python benchmarks/portal.py [--subjects N] [--keep DIR] [--runs N] [--pages N] [--searches N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from xinyong.api.app import create_app
from xinyong.config import Settings
from xinyong.demo import DEMO_NOISE, DEMO_SEED, ingest_city
from xinyong.registry.service import initialise_node
from xinyong.store.engine import open_store
from xinyong.synth.service import generate_city
from xinyong.synth.spec import CitySpec

with warnings.catch_warnings():  # Starlette's advice to use httpx2: noise in a table
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

GOAL_PAGE_P95_MS = 50.0
GOAL_SEARCH_P95_MS = 100.0
NOW = datetime(2026, 11, 30, 2, tzinfo=UTC)


def build(settings: Settings, subjects: int) -> float:
    """Generate and ingest the city unless the store already holds it; seconds spent."""
    started = time.perf_counter()
    marker = settings.data_dir / f"city-{subjects}.done"
    if marker.exists():
        return 0.0
    initialise_node(settings)
    spec = CitySpec(subjects=subjects, seed=DEMO_SEED, noise=DEMO_NOISE)
    report = generate_city(spec, settings.data_dir / "city", force=True)
    ingest_city(settings, report.out, NOW)
    marker.write_text("ok", encoding="utf-8")
    return time.perf_counter() - started


def samples(settings: Settings, pages: int, searches: int, seed: int) -> tuple[list[str], ...]:
    """Codes of legal persons with records, name fragments (3–4 and 2 characters), codes."""
    rng = random.Random(seed)
    with open_store(settings.store_url) as store, store.connect() as conn:
        with_records = [
            row[0]
            for row in conn.execute(
                text(
                    "SELECT DISTINCT r.subject_code FROM record r JOIN subject s "
                    "ON s.code = r.subject_code WHERE s.subject_kind = 'legal' "
                    "AND r.disclosure_scope = 'public' LIMIT 200000"
                )
            )
        ]
        names = [
            row[0]
            for row in conn.execute(
                text("SELECT name FROM subject WHERE subject_kind = 'legal' LIMIT 200000")
            )
        ]
    codes = rng.sample(with_records, min(pages, len(with_records)))
    long, short = [], []
    for name in rng.sample(names, min(searches, len(names))):
        width = rng.choice([3, 4])
        start = rng.randrange(max(1, len(name) - width))
        long.append(name[start : start + width])
        start = rng.randrange(max(1, len(name) - 2))
        short.append(name[start : start + 2])
    return codes, long, short, rng.sample(codes, min(len(codes), searches))


def timed(call: Callable[[], int], n: int) -> list[float]:
    """Milliseconds of each of ``n`` calls; a non-200 answer stops the benchmark."""
    out = []
    for _ in range(n):
        started = time.perf_counter()
        status = call()
        out.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"a request answered {status}")
    return out


def measure(client: TestClient, urls: Sequence[str]) -> list[float]:
    iterator = iter(urls)
    return timed(lambda: client.get(next(iterator)).status_code, len(urls))


def percentile(values: Sequence[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


ROWS = (
    ("subject page", GOAL_PAGE_P95_MS),
    ("search, 3–4 characters (index)", GOAL_SEARCH_P95_MS),
    ("search, 2 characters (scan)", GOAL_SEARCH_P95_MS),
    ("search by whole code", GOAL_SEARCH_P95_MS),
)


def one_run(
    settings: Settings, urls: Sequence[Sequence[str]]
) -> tuple[list[float], list[list[float]]]:
    """A fresh app (so a cold statistics cache): first loads, then each row's timings."""
    with TestClient(create_app(settings, clock=lambda: NOW)) as client:
        first = measure(client, ["/", "/statistics"])  # the first aggregates, the second is cached
        for url in (urls[0][0], urls[1][0]):  # warm up
            client.get(url)
        return first, [measure(client, row) for row in urls]


def print_table(settings: Settings, subjects: int, built: float,
                runs: list[tuple[list[float], list[list[float]]]]) -> None:  # fmt: skip
    """Medians over the runs of each row's p50 and p95, and the first loads."""
    med = statistics.median
    print(f"(subjects: {subjects:,}; store: {settings.store_url.split(':')[0]}; runs: {len(runs)}; "
          f"city built in {built:.0f} s{' (reused)' if not built else ''})")  # fmt: skip
    print(f"{'measure (median of runs)':<34}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'p95 range':>15}{'goal p95':>11}  met")  # fmt: skip
    for index, (name, goal) in enumerate(ROWS):
        values = [run[1][index] for run in runs]
        p95s = [percentile(v, 95) for v in values]
        p95 = med(p95s)
        print(f"{name:<34}{len(values[0]):>6}{med(med(v) for v in values):>9.1f}{p95:>9.1f}"
              f"{f'{min(p95s):.1f}–{max(p95s):.1f}':>15}"
              f"{'≤ ' + format(goal, '.0f') + ' ms':>11}  {'yes' if p95 <= goal else 'NO'}")  # fmt: skip
    for index, name in enumerate(("home, first load (aggregates)", "statistics, then (cached)")):
        firsts = [run[0][index] for run in runs]
        print(f"{name:<34}{len(firsts):>6}{med(firsts):>9.1f}{'':>9}"
              f"{f'{min(firsts):.1f}–{max(firsts):.1f}':>15}{'—':>11}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="reuse the city in DIR")
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3, help="report medians of N runs")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    data = args.keep or Path(tempfile.mkdtemp(prefix="xinyong-portal-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=data, database_url=args.database_url,
                        portal_search_per_second=1e6, portal_search_burst=10**6)  # fmt: skip
    built = build(settings, args.subjects)
    codes, long, short, whole = samples(settings, args.pages, args.searches, seed=2026)
    urls = [[f"/subjects/{c}" for c in codes]] + [
        [f"/search?q={q}" for q in row] for row in (long, short, whole)
    ]
    runs = [one_run(settings, urls) for _ in range(args.runs)]
    print_table(settings, args.subjects, built, runs)


if __name__ == "__main__":
    main()
