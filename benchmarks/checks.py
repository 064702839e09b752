"""Benchmark checks: the in-memory index and the decision, at 10,000,000 listed entries.

Builds a :class:`~xinyong.checks.index.CheckIndex` of ``--entries`` active list
entries (default 10,000,000) with synthetic, realistic 18-character codes:
USCC-like for legal persons (one entry in ten), each with a second row for
its legal representative (a resident-ID-like code), and resident-ID-like codes
for natural persons, one in fifty of whom is on a second list. Lists, ``until``
days (some already past) and the national pack's measures are those a node
would hold. Then, on a fixed mixed sample of codes (90% not listed, 10% listed:
persons, legal persons and representatives in their share of the index):

1. **build**: wall time of ``CheckIndex.build`` from a row generator, and the
   time of generating the rows alone (so the index's own share is their
   difference); one build (about half a minute at 10M);
2. **memory**: resident-set growth over the build (``/proc/self/statm``, rows
   streamed, nothing else kept) ÷ entries; peak RSS of the process besides;
3. **single checks/s**: a loop of ``lookup`` + ``decide`` over the sample;
4. **batch checks/s**: ``check_many`` over the same sample;
5. **latency**: ``time.perf_counter_ns`` around each single check (lookup +
   decide) of a sample of ``--sample`` codes (default 200,000; timer overhead,
   ~60 ns, included), p50 and p99;
6. **refresh** of 10,000 added + 10,000 removed entries, and **compaction** of
   the result (the service runs it in the background).

7. **HTTP** (first, before the index is built here): ``xinyong serve`` on a
   node of ``--http-entries`` listed entries, loaded by wrk: ``POST
   /api/v1/checks`` against ``GET /api/v1/whoami``, the trivial endpoint of the
   same server behind the same key authentication (goal: ≥ 70 % of its rate),
   and ``GET /api/v1/health`` (no key) for reference; see
   ``benchmarks/support/http_checks.py``.

Items 3–5 are the median of ``--runs`` runs (default 5). ``--entries`` scales
down for a quick look (the goals are stated for 10M):

    .venv/bin/python benchmarks/checks.py [--entries N] [--runs R] [--sample N]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import statistics
import time
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from support import http_checks  # benchmarks/support: the HTTP half
from support.regions import REGIONS
from xinyong.checks.index import CheckIndex, IndexRow
from xinyong.checks.model import MeasureTable, check_many, decide
from xinyong.policy.loader import load_pack

GOAL_BYTES_PER_ENTRY = 150
GOAL_CHECKS_PER_SECOND = 500_000
GOAL_P99_MICROSECONDS = 20.0
GOAL_HTTP_RATIO = 0.70
DEFAULT_ENTRIES = 10_000_000
TODAY = date(2026, 6, 1)
MATTER = "flight_ticket"
REFRESH_ENTRIES = 10_000

# --- synthetic codes: realistic shape, unique by construction, no check digits --------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_FIRST_BIRTH = date(1950, 1, 1)
BIRTHS = tuple((_FIRST_BIRTH + timedelta(days=d)).strftime("%Y%m%d") for d in range(20_454))
PERSON_CAPACITY = len(REGIONS) * len(BIRTHS) * 1000
REPRESENTATIVES = 60_000_000  # person numbers of legal representatives start here …
NOT_LISTED = 120_000_000  # … and of persons no entry names here
LEGAL_LISTS: tuple[str, ...] = (
    "judgment_defaulters",
    "samr_serious_violation",
    "tax_arrears_defaulters",
)
LEGAL_LISTS += ("a_grade_taxpayers", "model_enterprises")
NATURAL_LISTS = ("judgment_defaulters",) * 8 + ("food_safety_serious", "long_serving_volunteers")


def person(n: int) -> str:
    """The ``n``-th resident-ID-like code: region, birth date, sequence, check."""
    rest = n // len(REGIONS)
    sequence = (rest // len(BIRTHS)) % 1000
    return f"{REGIONS[n % len(REGIONS)]}{BIRTHS[rest % len(BIRTHS)]}{sequence:03d}{'0123456789X'[n % 11]}"


def legal_person(n: int) -> str:
    """The ``n``-th USCC-like code: 91 (enterprise), region, organisation code, check."""
    body, rest = [], n
    for _ in range(8):
        rest, digit = divmod(rest, 31)
        body.append(USCC_ALPHABET[digit])
    return f"91{REGIONS[n % len(REGIONS)]}{''.join(body)}{USCC_ALPHABET[n % 31]}{USCC_ALPHABET[n * 7 % 31]}"


def entry_rows(entry_id: int) -> list[IndexRow]:
    """The rows of entry ``entry_id``: one in ten a legal person with its representative."""
    until = None if entry_id % 4 == 0 else date(2026, 5, 1) + timedelta(days=entry_id * 7919 % 1100)
    if entry_id % 10 == 0:
        code, n = legal_person(entry_id // 10), entry_id // 10
        listed = LEGAL_LISTS[n % len(LEGAL_LISTS)]
        rep = person(REPRESENTATIVES + n)
        return [(entry_id, code, listed, until, None), (entry_id, rep, listed, until, code)]
    if entry_id % 50 == 3:  # the person of the entry before, on a second list
        return [(entry_id, person(entry_id - 1), "tax_arrears_defaulters", until, None)]
    return [(entry_id, person(entry_id), NATURAL_LISTS[entry_id % 10], until, None)]


def all_rows(entries: int) -> Iterator[IndexRow]:
    for entry_id in range(entries):
        yield from entry_rows(entry_id)


def sample_codes(entries: int, size: int) -> list[str]:
    """``size`` codes, 90% of persons on no list, 10% of rows in the index, shuffled."""
    rng = random.Random(1)
    codes = [person(NOT_LISTED + rng.randrange(50_000_000)) for _ in range(size * 9 // 10)]
    while len(codes) < size:
        rows = entry_rows(rng.randrange(entries))
        codes.append(rng.choice(rows)[1])
    rng.shuffle(codes)
    return codes


# --- measuring -----------------------------------------------------------------------


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measure_build(entries: int) -> tuple[CheckIndex, dict[str, float]]:
    started = time.perf_counter()
    for _ in all_rows(entries):
        pass
    generating = time.perf_counter() - started
    gc.collect()
    before = resident_bytes()
    started = time.perf_counter()
    index = CheckIndex.build(all_rows(entries))
    building = time.perf_counter() - started
    gc.collect()
    grown = resident_bytes() - before
    return index, {
        "generate_s": generating,
        "build_s": building,
        "index_s": building - generating,
        "bytes_per_entry": grown / entries,
        "index_mb": grown / 2**20,
    }


def measure_checks(
    index: CheckIndex, table: MeasureTable, codes: Sequence[str]
) -> dict[str, float]:
    lookup, clock = index.lookup, time.perf_counter_ns
    started = time.perf_counter()
    for code in codes:
        decide(table, lookup(code, TODAY), MATTER, TODAY)
    single = len(codes) / (time.perf_counter() - started)
    started = time.perf_counter()
    check_many(index, table, codes, MATTER, TODAY)
    batch = len(codes) / (time.perf_counter() - started)
    latencies = []
    for code in codes:
        before = clock()
        decide(table, lookup(code, TODAY), MATTER, TODAY)
        latencies.append(clock() - before)
    latencies.sort()
    return {
        "single": single,
        "batch": batch,
        "p50_us": latencies[len(latencies) // 2] / 1000,
        "p99_us": latencies[len(latencies) * 99 // 100] / 1000,
        "max_us": latencies[-1] / 1000,
    }


def measure_refresh(index: CheckIndex, entries: int) -> dict[str, float]:
    added = [row for e in range(entries, entries + REFRESH_ENTRIES) for row in entry_rows(e)]
    removed = range(0, min(entries, 10 * REFRESH_ENTRIES), 10)  # legal persons: 2 rows each
    started = time.perf_counter()
    refreshed = index.refreshed(added, removed)
    refresh = time.perf_counter() - started
    started = time.perf_counter()
    compact = refreshed.compacted()
    compaction = time.perf_counter() - started
    probe = [legal_person(0), person(REPRESENTATIVES), person(entries + 1), person(NOT_LISTED)]
    if any(refreshed.lookup(c, TODAY) != compact.lookup(c, TODAY) for c in probe):
        raise SystemExit("the compacted index answers differently from the refreshed one")
    return {"refresh_ms": refresh * 1000, "compact_s": compaction, "entries": len(compact)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=DEFAULT_ENTRIES, help="default 10,000,000")
    parser.add_argument("--runs", type=int, default=5, help="checks: median of this many")
    parser.add_argument("--sample", type=int, default=200_000, help="codes checked per run")
    parser.add_argument(
        "--http-entries",
        type=int,
        default=100_000,
        help="listed entries of the served node (default 100,000)",
    )
    parser.add_argument("--http-seconds", type=float, default=10.0, help="each wrk run")
    parser.add_argument("--http-runs", type=int, default=3, help="HTTP: median of this many")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP half")
    args = parser.parse_args()
    if not 0 < args.entries < REPRESENTATIVES or args.sample < 10:
        parser.error(f"--entries must be in 1..{REPRESENTATIVES - 1:,}, --sample at least 10")
    started = time.perf_counter()
    # The HTTP half first: the server gets the machine before this process holds 10M entries.
    http = (
        None
        if args.no_http
        else http_checks.measure(args.http_entries, seconds=args.http_seconds, runs=args.http_runs)
    )
    table = MeasureTable.compile(load_pack("national").pack)
    index, build = measure_build(args.entries)
    codes = sample_codes(args.entries, args.sample)
    runs = [measure_checks(index, table, codes) for _ in range(args.runs)]
    checks = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    refresh = measure_refresh(index, args.entries)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print_table(args, build, checks, refresh, peak_mb, time.perf_counter() - started, http)


def http_rows(http: http_checks.HttpFigures) -> list[tuple[str, str, str, str]]:
    """The HTTP half's rows: the check endpoint against the trivial one of the same server."""
    runs = f"wrk -t1 -c32, median of {http.runs}"
    ok = "yes" if http.ratio >= GOAL_HTTP_RATIO else "NO"
    return [
        ("HTTP: served node's listed entries", f"{http.entries:,}", "", ""),
        (f"HTTP: POST /api/v1/checks req/s ({runs})", f"{http.check_rps:,.0f}", "", ""),
        (f"HTTP: GET /api/v1/whoami req/s (same key auth) ({runs})", f"{http.whoami_rps:,.0f}", "", ""),
        ("HTTP: ratio checks ÷ whoami", f"{http.ratio:.0%}", f"≥ {GOAL_HTTP_RATIO:.0%}", ok),
        (f"HTTP: GET /api/v1/health req/s (no key; reference) ({runs})", f"{http.health_rps:,.0f}", "", ""),
        ("HTTP: ratio checks ÷ health (reference)", f"{http.check_rps / http.health_rps:.0%}", "", ""),
        ("HTTP: check latency p50 / p99", f"{http.check_p50_ms:.1f} / {http.check_p99_ms:.1f} ms", "", ""),
        ("HTTP: check answers other than 2xx", f"{http.errors:,}", "= 0", "yes" if http.errors == 0 else "NO"),
    ]  # fmt: skip


def print_table(
    args: argparse.Namespace,
    build: dict[str, float],
    checks: dict[str, float],
    refresh: dict[str, float],
    peak_mb: float,
    seconds: float,
    http: http_checks.HttpFigures | None,
) -> None:
    def met(ok: bool) -> str:
        return "yes" if ok else "NO"

    runs = f"median of {args.runs}"
    table: list[tuple[str, str, str, str]] = [
        ("entries in the index (10% legal persons + representative row)", f"{args.entries:,}", "", ""),
        ("generating the rows alone", f"{build['generate_s']:,.1f} s", "", ""),
        ("CheckIndex.build from streamed rows (1 run)", f"{build['build_s']:,.1f} s", "", ""),
        ("  of which the index (build − generating)", f"{build['index_s']:,.1f} s", "", ""),
        ("memory: RSS growth over the build", f"{build['index_mb']:,.0f} MB", "", ""),
        ("memory per entry", f"{build['bytes_per_entry']:,.1f} B", f"≤ {GOAL_BYTES_PER_ENTRY} B", met(build["bytes_per_entry"] <= GOAL_BYTES_PER_ENTRY)),
        (f"single checks/s, lookup + decide loop ({runs})", f"{checks['single']:,.0f}", f"≥ {GOAL_CHECKS_PER_SECOND:,}", met(checks["single"] >= GOAL_CHECKS_PER_SECOND)),
        (f"batch checks/s, check_many ({runs})", f"{checks['batch']:,.0f}", f"≥ {GOAL_CHECKS_PER_SECOND:,}", met(checks["batch"] >= GOAL_CHECKS_PER_SECOND)),
        (f"single-check latency p50 ({runs})", f"{checks['p50_us']:,.2f} µs", "", ""),
        (f"single-check latency p99 ({runs})", f"{checks['p99_us']:,.2f} µs", f"≤ {GOAL_P99_MICROSECONDS:g} µs", met(checks["p99_us"] <= GOAL_P99_MICROSECONDS)),
        (f"single-check latency max ({runs})", f"{checks['max_us']:,.1f} µs", "", ""),
        (f"refreshed(): +{REFRESH_ENTRIES:,} / −{REFRESH_ENTRIES:,} entries", f"{refresh['refresh_ms']:,.0f} ms", "", ""),
        ("compacted() of that refresh (background)", f"{refresh['compact_s']:,.1f} s", "", ""),
        ("peak RSS of the process (ru_maxrss)", f"{peak_mb:,.0f} MB", "", ""),
    ]  # fmt: skip
    if http is not None:
        table += http_rows(http)
    width = max(len(row[0]) for row in table)
    value = max(len(row[1]) for row in table)
    print(
        f"(cpus: {os.cpu_count()}; sample: {args.sample:,} codes, 90% not listed; "
        f"matter {MATTER}; whole run {seconds:,.0f} s)"
    )
    print(f"{'measure':<{width}}  {'value':>{value}}  {'goal':<12}  met")
    for name, figure, goal, ok in table:
        print(f"{name:<{width}}  {figure:>{value}}  {goal:<12}  {ok}".rstrip())


if __name__ == "__main__":
    main()
