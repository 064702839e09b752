"""Benchmark ``xinyong generate``: 1,000,000 subjects in minutes, in bounded memory.

Runs the generator in a subprocess (so its memory is measured apart from this
script) into a temporary directory, ``--runs`` times (default 1: a run of 1M
takes about a minute; the median is reported), and prints subjects/s,
records/s and peak memory with the goals beside them. Peak memory is given
twice: ``ru_maxrss`` of the children (the largest single process, as
``getrusage(RUSAGE_CHILDREN)`` reports it) and the sampled sum over the whole
process tree (the assembler plus its worker processes). The baseline is what
the naive approach costs: Faker zh_CN ``name()`` + ``ssn()`` per person, timed
on 20,000 persons and extrapolated.

    .venv/bin/python benchmarks/generate.py [--subjects N] [--runs R] [--workers W]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

GOAL_SECONDS_PER_MILLION = 600.0  # 1,000,000 subjects in at most 10 minutes
GOAL_PEAK_MB = 1024.0
BASELINE_PERSONS = 20_000

_CHILD = """
import json, sys
from pathlib import Path
from xinyong.synth.service import generate_city
from xinyong.synth.spec import CitySpec

report = generate_city(
    CitySpec(subjects=int(sys.argv[1]), seed=1, noise=0.02), Path(sys.argv[2]),
    workers=int(sys.argv[3]) or None,
)
print(json.dumps({"rows": report.rows, "files": len(report.files)}))
"""


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(stat[1])
        rss[int(entry)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(p, 0) for p in tree) / 2**20


def run_once(subjects: int, workers: int) -> tuple[float, int, float]:
    """(wall seconds, rows written, sampled peak MB of the process tree) of one generation."""
    with tempfile.TemporaryDirectory(prefix="xinyong-bench-") as tmp:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(subjects), f"{tmp}/city", str(workers)],
            stdout=subprocess.PIPE,
            text=True,
        )
        peak = [0.0]

        def sample() -> None:
            while child.poll() is None:
                peak[0] = max(peak[0], _tree_rss_mb(child.pid))
                time.sleep(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out, _ = child.communicate()
        elapsed = time.perf_counter() - started
        sampler.join()
        if child.returncode != 0:
            raise SystemExit(f"generator failed with exit code {child.returncode}")
        return elapsed, int(json.loads(out)["rows"]), peak[0]


def faker_baseline(persons: int) -> float:
    """Persons per second with Faker zh_CN ``name()`` and ``ssn()`` for each."""
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(1)
    started = time.perf_counter()
    for _ in range(persons):
        fake.name()
        fake.ssn()
    return persons / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1, help="median of this many (default 1)")
    parser.add_argument("--workers", type=int, default=0, help="0 = one per CPU")
    args = parser.parse_args()
    runs = [run_once(args.subjects, args.workers) for _ in range(args.runs)]
    seconds = statistics.median(r[0] for r in runs)
    rows = int(statistics.median(r[1] for r in runs))
    tree_mb = max(r[2] for r in runs)
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    baseline = faker_baseline(BASELINE_PERSONS)
    ours = args.subjects / seconds
    goal_rate = 1_000_000 / GOAL_SECONDS_PER_MILLION
    table = [
        ("subjects", f"{args.subjects:,}", "", ""),
        (f"wall time (median of {args.runs})", f"{seconds:,.1f} s",
         f"≤ {GOAL_SECONDS_PER_MILLION * args.subjects / 1e6:,.0f} s", seconds <= GOAL_SECONDS_PER_MILLION * args.subjects / 1e6),
        ("subjects/s", f"{ours:,.0f}", f"≥ {goal_rate:,.0f}", ours >= goal_rate),
        ("records/s (rows written)", f"{rows / seconds:,.0f}", "", ""),
        ("rows written", f"{rows:,}", "", ""),
        ("peak RSS, largest process (ru_maxrss)", f"{child_mb:,.0f} MB", f"≤ {GOAL_PEAK_MB:,.0f} MB", child_mb <= GOAL_PEAK_MB),
        ("peak RSS, whole process tree (sampled)", f"{tree_mb:,.0f} MB", f"≤ {GOAL_PEAK_MB:,.0f} MB", tree_mb <= GOAL_PEAK_MB),
        (f"baseline: Faker name()+ssn(), {BASELINE_PERSONS:,} persons", f"{baseline:,.0f} persons/s", "", ""),
        ("baseline extrapolated to these subjects", f"{args.subjects / baseline:,.1f} s", "", ""),
        ("ratio ours/baseline (subjects/s ÷ persons/s)", f"{ours / baseline:,.1f}×", "", ""),
    ]  # fmt: skip
    width = max(len(r[0]) for r in table)
    print(f"{'measure':<{width}}  {'value':>18}  {'goal':>10}  met  (cpus: {os.cpu_count()})")
    for name, value, goal, met in table:
        mark = "" if met == "" else ("yes" if met else "NO")
        print(f"{name:<{width}}  {value:>18}  {goal:>10}  {mark}")


if __name__ == "__main__":
    main()
