"""``xinyong demo``: everything the platform does so far, in one command (thin)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console

from xinyong.checks.service import CheckResult
from xinyong.cli.evaluate import render_runs
from xinyong.cli.generate import render_generation, subject_progress
from xinyong.cli.ingest import render_reports
from xinyong.cli.inspect import plan_lines, render_plan
from xinyong.cli.lists import render_summary
from xinyong.cli.serve import run_server
from xinyong.cli.store import render_init
from xinyong.demo import DEMO_SUBJECTS, DemoKey, run_demo


def demo(
    ctx: typer.Context,
    subjects: Annotated[int, typer.Option(help="Size of the generated city.")] = DEMO_SUBJECTS,
    serve: Annotated[
        bool, typer.Option(help="Serve the API on 127.0.0.1:8000 afterwards (Ctrl-C stops).")
    ] = True,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8000,
) -> None:
    """Initialise the store, generate and ingest a small noisy city, run lists, evaluate, plan."""
    console = Console()
    with subject_progress(subjects) as advance:
        report = run_demo(ctx.obj, datetime.now(UTC), subjects=subjects, progress=advance)
    render_init(console, report.init)
    render_generation(report.generation)
    for check in report.packs:
        if check.loaded is not None:
            console.print(f"policy pack ok: {check.loaded.version}", highlight=False)
        else:
            console.print(
                f"policy pack {check.code}: {len(check.problems)} problem(s)", style="red"
            )
    if not all(check.ok for check in report.packs):
        raise typer.Exit(1)
    render_reports(report.batches)
    for run in report.lists:
        console.print(render_summary(run), highlight=False)
    render_checks(console, report.checks)
    if report.evaluations:
        console.print(render_runs(report.evaluations), highlight=False)
    if report.inspection is not None:
        console.print(render_plan(report.inspection), highlight=False)
        console.print(plan_lines(report.inspection), highlight=False)
        console.print(f"verify it: xinyong inspect verify {report.inspection.id}", highlight=False)
    department = next(k.department for k in report.keys if k.department)
    own = next((b.batch_id for b in report.batches if b.department == department), 1)
    render_keys(console, report.keys, own, port)
    walk = report.walk
    if walk.objection is not None:
        o = walk.objection
        console.print(f"\nthe company objected to {o.item}; {o.department} decided: {o.state} "
                      f"({o.decision_reason})", highlight=False, soft_wrap=True)  # fmt: skip
    if walk.repair is not None:
        r = walk.repair
        console.print(f"the company applied to repair record:{r.record_id}; {r.department} "
                      f"decided: {r.state}", highlight=False, soft_wrap=True)  # fmt: skip
    else:
        console.print("no record of the company is repairable yet (its minimum period runs)",
                      highlight=False)  # fmt: skip
    for account in report.accounts:
        console.print(f"\nportal account of {account.subject_code} (agent {account.agent}): "
                      f"login {account.login}, password {account.password} "
                      f"(sign in at http://127.0.0.1:{port}/signin; shown once)",
                      highlight=False, soft_wrap=True)  # fmt: skip
    if serve:
        console.print(f"\nServing the portal on http://127.0.0.1:{port}/ and the API on "
                      f"http://127.0.0.1:{port}/api/docs (Ctrl-C stops)")  # fmt: skip
        # Plain HTTP on 127.0.0.1: Secure cookies would never come back, so sign-in would not hold.
        run_server(ctx.obj.model_copy(update={"portal_secure_cookies": False}), "127.0.0.1", port)
    console.print(
        f"\nAlso: xinyong policy diff rongcheng fuzhou; "
        f"the department files are in {report.generation.out}",
        highlight=False,
    )


def render_checks(console: Console, checks: list[CheckResult]) -> None:
    """One line per example check: subject, matter, outcome and the measures that apply."""
    if not checks:
        console.print("no subject is listed yet, so there is nothing to check")
        return
    console.print("\nexample checks (xinyong check CODE --matter M):")
    for result in checks:
        measures = ", ".join(
            m.measure + (f" via {m.via}" if m.via else "") for m in result.decision.measures
        )
        console.print(f"  {result.subject_code} {result.matter:<20} {result.decision.outcome:<8} {measures}",
                      highlight=False, soft_wrap=True)  # fmt: skip


def render_keys(console: Console, keys: list[DemoKey], batch: int, port: int) -> None:
    """The demo keys, one per line so they copy whole (shown once; the next run revokes them)."""
    console.print("\ndemo API keys (shown once; the next demo run revokes them):")
    for key in keys:
        scope = f" ({key.department})" if key.department else ""
        console.print(f"  {key.role + scope:<22} {key.key}", highlight=False, soft_wrap=True)
    department = next(k for k in keys if k.role == "department")
    console.print(
        f"Try: curl -H 'Authorization: Bearer {department.key}' "
        f"http://127.0.0.1:{port}/api/v1/batches/{batch}",
        highlight=False,
        soft_wrap=True,
    )
