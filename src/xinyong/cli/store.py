"""``xinyong init`` and ``xinyong subject show``: the store and the subject registry.

Thin: parse the arguments, call one registry service, render with Rich. No SQL
and no rule here; errors are rendered once by the root group in ``main``.
"""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from xinyong.config import Settings
from xinyong.registry.model import InitReport, SubjectView
from xinyong.registry.service import initialise_node, show_subject

subject_app = typer.Typer(help="Look up credit subjects in the registry.", no_args_is_help=True)


def attach(app: typer.Typer) -> None:
    """Add ``init`` and the ``subject`` group to the root command."""
    app.command("init")(init)
    app.add_typer(subject_app, name="subject")


def init(ctx: typer.Context) -> None:
    """Create the store's schema, or upgrade it, and register this node's jurisdiction.

    The jurisdiction and its departments come from the node's policy pack
    (XINYONG_JURISDICTION, default national).

    Safe to run again: a store already at the latest revision is left as it is.
    """
    report = initialise_node(ctx.obj)
    render_init(Console(), report)


def render_init(console: Console, report: InitReport) -> None:
    console.print(f"store: {report.url}", highlight=False, soft_wrap=True)
    if report.created:
        schema = f"created at revision {report.revision_after}"
    elif report.upgraded:
        schema = f"upgraded from revision {report.revision_before} to {report.revision_after}"
    else:
        schema = f"already at revision {report.revision_after}"
    console.print(f"schema: {schema}", highlight=False)
    console.print(f"jurisdiction: {report.jurisdiction}", highlight=False)
    departments = ", ".join(report.departments) if report.departments else "none"
    console.print(f"departments: {departments}", highlight=False)


@subject_app.command("show")
def show(
    ctx: typer.Context,
    code: str = typer.Argument(help="USCC or resident identity number (spaces and case ignored)."),
) -> None:
    """Show a subject: its attributes, professions and current records by catalog item.

    This is an operator's command on the node itself: a natural person's
    identity number and name are printed whole, not masked. Public views mask
    them through the disclosure package.
    """
    settings: Settings = ctx.obj
    view = show_subject(settings, code)
    _render_subject(Console(), view)


def _render_subject(console: Console, view: SubjectView) -> None:
    subject = view.subject
    about = Table(show_header=False, box=None, pad_edge=False)
    about.add_column(style="bold")
    about.add_column()
    about.add_row("code", f"{subject.code} ({subject.code_kind})")
    if view.allowlisted:
        about.add_row("allowlisted", view.allowlisted)
    if subject.converted_from:
        about.add_row("converted from", subject.converted_from)
    about.add_row("name", subject.name)
    about.add_row("kind", subject.subject_kind)
    if subject.type_code:
        type_name = f" {view.type_name[0]} ({view.type_name[1]})" if view.type_name else ""
        about.add_row("type", f"{subject.type_code}{type_name}")
    about.add_row("region", f"{subject.region_code} {view.region_name or ''}".rstrip())
    about.add_row("status", subject.status)
    if subject.established_on:
        label = "born" if subject.subject_kind == "natural" else "established"
        about.add_row(label, subject.established_on.isoformat())
    if subject.legal_representative:
        rep = subject.legal_representative
        about.add_row("legal representative", f"{rep.name} {rep.code or ''}".rstrip())
    console.print(about)

    if view.professions:
        professions = Table("profession", "since", "until", "department", title="professions")
        for p in view.professions:
            professions.add_row(
                p.profession, _day(p.since), _day(p.until), f"{p.jurisdiction}/{p.department}"
            )
        console.print(professions)

    if view.record_counts:
        counts = Table("catalog item", "status", "records", title="current records")
        for c in view.record_counts:
            counts.add_row(c.catalog_item, c.status, str(c.count))
        console.print(counts)
    else:
        console.print("current records: none", highlight=False)


def _day(day: date | None) -> str:
    return day.isoformat() if day else "—"
