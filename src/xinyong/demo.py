"""The demo as one use case: initialise a store, generate a small city, check the packs.

``xinyong demo`` (and ``make demo``) call :func:`run_demo`. Later capabilities
add their steps here (ingest, lists, serving), so the demo always shows how far
the platform reaches. It writes only under the data directory.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from xinyong.checks.service import CheckResult, check_once
from xinyong.clock import china_date
from xinyong.config import Settings
from xinyong.demo_walk import repairable_record, signed_in_walk
from xinyong.evaluation.service import RunSummary as EvaluationRun
from xinyong.evaluation.service import evaluate_all
from xinyong.ingest.model import BatchReport
from xinyong.ingest.service import Upload, ingest_file
from xinyong.keys.model import Principal, Role
from xinyong.keys.service import create_key, list_keys, revoke_key
from xinyong.lists.service import RunSummary, run_lists
from xinyong.lists.views import list_entries
from xinyong.policy.service import PackCheck, check_packs, node_pack
from xinyong.registry.model import InitReport
from xinyong.registry.service import initialise_node
from xinyong.rights.account_service import identity_of, invite_account, reset_password
from xinyong.rights.objections import Objection
from xinyong.rights.repairs import Repair
from xinyong.store.engine import open_store
from xinyong.supervision.errors import NoInspectionPolicyError, PlanExistsError, PlanNotDrawnError
from xinyong.supervision.service import StoredPlan, load_roster, plan_round
from xinyong.synth.roster import roster
from xinyong.synth.service import GenerationReport, generate_city, ingest_order
from xinyong.synth.spec import CitySpec

DEMO_SUBJECTS = 2_000
DEMO_SEED = 2026
DEMO_NOISE = 0.02
DEMO_KEYS = (
    ("demo operator", "operator", None),
    ("demo market regulation", "department", "samr"),
    ("demo checker", "checker", None),
    ("demo public", "public", None),
)
"""(name, role, department) of the keys the demo hands out, new on every run."""
DEMO_PRINCIPAL = Principal(key_id=0, prefix="demo", name="demo", role=Role.CHECKER)


@dataclass(frozen=True)
class DemoKey:
    name: str
    role: str
    department: str | None
    key: str  # the plaintext, shown once


@dataclass(frozen=True)
class DemoAccount:
    login: str
    password: str  # shown once; the next run sets a new one
    subject_code: str
    agent: str | None


@dataclass(frozen=True)
class DemoWalk:
    objection: Objection | None
    repair: Repair | None


@dataclass(frozen=True)
class DemoReport:
    init: InitReport
    generation: GenerationReport
    packs: list[PackCheck]
    batches: list[BatchReport]
    keys: list[DemoKey]
    lists: list[RunSummary]  # a run three weeks ago (notices), then today's
    checks: list[CheckResult]  # example checks of listed subjects
    evaluations: list[EvaluationRun]  # one run per scoring model in force
    inspection: StoredPlan | None  # this quarter's round for enterprises
    accounts: list[DemoAccount]  # invited subjects' portal accounts
    walk: DemoWalk  # the invited company's objection and repair, each decided


def run_demo(
    settings: Settings,
    now: datetime,
    *,
    subjects: int = DEMO_SUBJECTS,
    progress: Callable[[int], None] | None = None,
) -> DemoReport:
    """Run every step the platform has so far, over a city of ``subjects`` subjects.

    The city goes to ``<data_dir>/demo-city`` and is regenerated on every run
    (same seed, same bytes), so the demo can be repeated without clean-up: the
    second run's files are the same files, which the ingest recognises and skips.
    """
    init = initialise_node(settings)
    spec = CitySpec(subjects=subjects, seed=DEMO_SEED, noise=DEMO_NOISE)
    generation = generate_city(spec, settings.data_dir / "demo-city", force=True, progress=progress)
    packs = check_packs(settings)
    batches = ingest_city(settings, generation.out, now)
    keys = issue_demo_keys(settings, now)
    runs, checks = run_lists_and_checks(settings, now)
    evaluations, plan = evaluate_and_plan(settings, generation, now)
    accounts = invite_demo_accounts(settings, runs, now)
    walk = rights_walk(settings, accounts[0], now) if accounts else DemoWalk(None, None)
    return DemoReport(init, generation, packs, batches, keys, runs, checks, evaluations, plan,
                      accounts, walk)  # fmt: skip


def rights_walk(settings: Settings, account: DemoAccount, now: datetime) -> DemoWalk:
    """Signed in as the invited company: an objection upheld and a repair approved, via the pages.

    See :mod:`xinyong.demo_walk`: the agent and the department go through the
    portal's sign-in, ``/me`` and ``/desk`` as a browser would.
    """
    objection, repair = signed_in_walk(settings, account.subject_code, account.login,
                                       account.password, now)  # fmt: skip
    return DemoWalk(objection, repair)


def invite_demo_accounts(
    settings: Settings, runs: list[RunSummary], now: datetime
) -> list[DemoAccount]:
    """A portal account for the agent of the first listed company, with a fresh password."""
    pack = node_pack(settings)
    with open_store(settings.store_url) as store:
        password = secrets.token_urlsafe(12)
        existing = identity_of(store, "demo-company")
        if existing is not None:  # invited by an earlier run: the same company, a new password
            reset_password(store, "demo-company", password, actor="demo", now=now)
            return [DemoAccount("demo-company", password, existing.subject_code, existing.agent)]
        listed = [view.entry.subject_code for credit_list in pack.pack.lists
                  for view in list_entries(store, pack, credit_list.code, limit=50).entries
                  if view.subject_kind == "legal"]  # fmt: skip
        if not listed:
            return []
        # Prefer a company with a record it may repair today, so the walk can show one.
        code = next((c for c in dict.fromkeys(listed) if repairable_record(store, pack, c, now) is not None),
                    listed[0])  # fmt: skip
        invite_account(store, subject_code=code, login="demo-company", password=password,
                       agent="演示经办人", actor="demo", now=now)  # fmt: skip
    return [DemoAccount("demo-company", password, code, "演示经办人")]


def evaluate_and_plan(
    settings: Settings, generation: GenerationReport, now: datetime
) -> tuple[list[EvaluationRun], StoredPlan | None]:
    """Grade everyone (DuckDB), then draw this quarter's inspection round of enterprises.

    The roster is synthetic (a few inspectors per county). A second demo run
    in the same quarter finds the round drawn already and shows none.
    """
    pack = node_pack(settings)
    with open_store(settings.store_url) as store:
        runs = evaluate_all(store, pack, settings.data_dir / "evaluation", now=now, actor="demo")
        load_roster(store, roster(generation.region, seed=DEMO_SEED))
        day = china_date(now)
        period = f"{day.year}Q{(day.month - 1) // 3 + 1}"
        try:
            plan = plan_round(store, pack, period=period, sector="enterprises", now=now,
                              actor="demo", seed=DEMO_SEED)  # fmt: skip
        except (PlanExistsError, PlanNotDrawnError, NoInspectionPolicyError):
            plan = None
    return runs, plan


DEMO_LIST_LAG = timedelta(days=21)
"""The demo's first lists run is this long ago, so its notices' windows have passed today."""
DEMO_MATTERS = ("flight_ticket", "procurement_bid", "permit_application")


def run_lists_and_checks(
    settings: Settings, now: datetime
) -> tuple[list[RunSummary], list[CheckResult]]:
    """The lists as of three weeks ago (notices) and today (listings), then a few checks.

    Checked: the first listed subject of each list, and a listed company's
    legal representative, for the demo matters.
    """
    pack = node_pack(settings)
    checks: list[CheckResult] = []
    with open_store(settings.store_url) as store:
        runs = [run_lists(store, pack, now - DEMO_LIST_LAG, actor="demo"),
                run_lists(store, pack, now, actor="demo")]  # fmt: skip
        codes: list[str] = []
        for credit_list in pack.pack.lists:
            page = list_entries(store, pack, credit_list.code, limit=1)
            codes += [view.entry.subject_code for view in page.entries]
        for code in dict.fromkeys(codes):
            for matter in DEMO_MATTERS:
                checks.append(check_once(store, pack, DEMO_PRINCIPAL, code, matter, now))
    return runs, checks


def issue_demo_keys(settings: Settings, now: datetime) -> list[DemoKey]:
    """Fresh demo keys; the previous run's demo keys are revoked (their secrets were printed)."""
    issued = []
    with open_store(settings.store_url) as store:
        for old in list_keys(store):
            if old.principal.name in {name for name, _, _ in DEMO_KEYS} and not old.revoked:
                revoke_key(store, old.principal.prefix, actor="demo", now=now)
        for name, role, department in DEMO_KEYS:
            jurisdiction = settings.jurisdiction if department else None
            _, plaintext = create_key(
                store,
                name=name,
                role=role,
                department=department,
                jurisdiction=jurisdiction,
                actor="demo",
                now=now,
            )
            issued.append(DemoKey(name, role, department, plaintext))
    return issued


def ingest_city(settings: Settings, city: Path, now: datetime) -> list[BatchReport]:
    """Every department file of a generated city, registration files first (subjects first)."""
    manifest = json.loads((city / "manifest.json").read_text(encoding="utf-8"))
    # A small city leaves some department files empty; a department sends nothing then.
    files = ingest_order([e for e in manifest["files"] if e["rows"]])
    pack = node_pack(settings)
    reports = []
    with open_store(settings.store_url) as store:
        for entry in files:
            upload = Upload(entry["path"], (city / entry["path"]).read_bytes(), entry["department"])
            reports.append(
                ingest_file(
                    store,
                    pack,
                    upload,
                    now,
                    quarantine_dir=settings.data_dir / "quarantine",
                    actor="demo",
                )
            )
    return reports
