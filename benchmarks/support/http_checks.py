"""The HTTP half of ``benchmarks/checks.py``: ``POST /api/v1/checks`` under wrk.

A node is prepared in a temporary directory (SQLite): subjects with valid
codes, a share of them listed as judgment defaulters (written straight into
``list_entry`` in state listed, as a finished procedure leaves them: the
procedure is not what is measured), and one checker key. ``xinyong serve``
runs it in a subprocess (one uvicorn worker, access log off, the rate limit
raised out of the way) and wrk, from Debian, loads it with one thread:

- ``POST /api/v1/checks``, subject codes rotating over listed (10 %) and
  unlisted ones, through a Lua script;
- ``GET /api/v1/whoami``: the trivial endpoint of the same server, behind the
  same key authentication — the baseline of the ratio;
- ``GET /api/v1/health``: no key at all, for reference.

Runs alternate between the endpoints so that machine noise falls on both;
medians are reported. The index here holds ``entries`` entries, not ten
million: a lookup costs the same at any size (a hash probe), and the
in-process half measures the index at full size.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

LISTED_SHARE = 0.10
_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_ERRORS = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_LATENCY = re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)", re.M)
_LATENCY99 = re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)", re.M)


@dataclass(frozen=True)
class HttpFigures:
    check_rps: float
    whoami_rps: float
    health_rps: float
    check_p50_ms: float
    check_p99_ms: float
    errors: int  # non-2xx answers to checks over all runs (must be 0)
    entries: int
    runs: int

    @property
    def ratio(self) -> float:
        return self.check_rps / self.whoami_rps


def _codes(count: int) -> list[str]:
    """``count`` distinct valid USCCs (market entities of 荣成市)."""
    from xinyong.synth.ids import make_uscc

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    codes = []
    for n in range(count):
        body, rest = "", n
        for _ in range(8):
            rest, digit = divmod(rest, len(alphabet))
            body = alphabet[digit] + body
        codes.append(make_uscc("91", "371082", body))
    return codes


def _prepare(data: Path, listed: list[str], unlisted: list[str]) -> str:
    """Initialise the node, write subjects and listed entries, return a checker key."""
    from sqlalchemy import insert

    from xinyong.config import Settings
    from xinyong.keys.service import create_key
    from xinyong.registry.service import initialise_node
    from xinyong.store.engine import open_store
    from xinyong.store.tables import list_entry, subject
    from xinyong.store.uow import UnitOfWork

    settings = Settings(data_dir=data)
    initialise_node(settings)
    now = datetime(2026, 12, 1, 2, tzinfo=UTC)
    with open_store(settings.store_url) as store, UnitOfWork(store) as uow:
        people = [
            {"code": c, "code_kind": "uscc", "subject_kind": "legal", "type_code": "91",
             "name": f"荣成示例{i}有限公司", "region_code": "371082", "created_at": now,
             "updated_at": now}
            for i, c in enumerate(listed + unlisted)
        ]  # fmt: skip
        uow.connection.execute(insert(subject), people)
        basis = {"list": "judgment_defaulters", "records": [], "documents": ["（2026）鲁1082执1号"],
                 "first_decided": "2026-09-01", "last_decided": "2026-09-01"}  # fmt: skip
        entries = [
            {"jurisdiction": "national", "list_code": "judgment_defaulters", "subject_code": c,
             "state": "listed", "basis": basis, "policy_version": "bench", "proposed_at": now,
             "notified_at": now, "objection_until": date(2026, 12, 4), "listed_on": date(2026, 12, 7),
             "expires_on": date(2028, 12, 7), "changed_at": now}
            for c in listed
        ]  # fmt: skip
        uow.connection.execute(insert(list_entry), entries)
        uow.commit()
    with open_store(settings.store_url) as store:
        _, key = create_key(store, name="bench checker", role="checker", actor="bench", now=now)
    return key


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lua(path: Path, key: str, codes: list[str]) -> None:
    listed = ",".join(json.dumps(c) for c in codes)
    path.write_text(
        f"""local codes = {{{listed}}}
local i = 0
local headers = {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer {key}"}}
request = function()
  i = i + 1
  local body = '{{"subject_code":"' .. codes[(i % #codes) + 1] .. '","matter":"flight_ticket"}}'
  return wrk.format("POST", "/api/v1/checks", headers, body)
end
""",
        encoding="utf-8",
    )


def _wrk(args: list[str], seconds: float, connections: int) -> str:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _ms(match: re.Match[str] | None) -> float:
    if match is None:
        return float("nan")
    value, unit = float(match[1]), match[2]
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def measure(entries: int, *, seconds: float, runs: int, connections: int = 32) -> HttpFigures:
    """Serve a node with ``entries`` listed entries and load it; medians of ``runs`` runs."""
    if shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is not installed: run `make bench` (it installs it) or apt-get install wrk"
        )
    work = Path(tempfile.mkdtemp(prefix="xinyong-http-"))
    try:
        codes = _codes(entries + int(entries * (1 - LISTED_SHARE) / LISTED_SHARE))
        listed, unlisted = codes[:entries], codes[entries:]
        key = _prepare(work / "data", listed, unlisted)
        sample = listed[:100] + unlisted[:900]
        _lua(work / "check.lua", key, sample)
        port = _free_port()
        env = os.environ | {"XINYONG_DATA_DIR": str(work / "data"),
                            "XINYONG_API_RATE_PER_SECOND": "1e9", "XINYONG_API_RATE_BURST": "1000000000"}  # fmt: skip
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "xinyong"), "serve", "--port", str(port), "--no-access-log"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base + "/api/v1/health", server)
            check_args = ["-s", str(work / "check.lua"), base + "/api/v1/checks"]
            whoami_args = ["-H", f"Authorization: Bearer {key}", base + "/api/v1/whoami"]
            _wrk(check_args, 2, connections)  # warm up
            figures: dict[str, list[float]] = {
                "check": [],
                "whoami": [],
                "health": [],
                "p50": [],
                "p99": [],
            }
            errors = 0
            for _ in range(runs):
                out = _wrk(check_args, seconds, connections)
                figures["check"].append(float(_RATE.search(out)[1]))  # type: ignore[index]
                figures["p50"].append(_ms(_LATENCY.search(out)))
                figures["p99"].append(_ms(_LATENCY99.search(out)))
                errors += int(m[1]) if (m := _ERRORS.search(out)) else 0
                out = _wrk(whoami_args, seconds, connections)
                figures["whoami"].append(float(_RATE.search(out)[1]))  # type: ignore[index]
                out = _wrk([base + "/api/v1/health"], seconds, connections)
                figures["health"].append(float(_RATE.search(out)[1]))  # type: ignore[index]
        finally:
            server.terminate()
            server.wait(timeout=30)
        med = {name: statistics.median(values) for name, values in figures.items()}
        return HttpFigures(med["check"], med["whoami"], med["health"], med["p50"], med["p99"],
                           errors, entries, runs)  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _wait(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"the server stopped: {server.stderr.read().decode() if server.stderr else ''}"
            )
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer within 60 s")


if __name__ == "__main__":  # a quick look: python benchmarks/support/http_checks.py
    print(measure(10_000, seconds=5, runs=1))
