"""``xinyong policy``: list, show, check and compare policy packs (thin)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from xinyong.config import Settings
from xinyong.policy import service
from xinyong.policy.loader import LoadedPack
from xinyong.policy.reference import SECTIONS, section_rows

app = typer.Typer(help="List, show, check and compare policy packs.", no_args_is_help=True)
console = Console(soft_wrap=True)


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """List the packs this node can load."""
    for code in service.list_packs(ctx.ensure_object(Settings)):
        console.print(code)


@app.command()
def show(
    ctx: typer.Context,
    pack: Annotated[
        str | None, typer.Argument(help="Pack code; default: the node's jurisdiction.")
    ] = None,
    section: Annotated[
        str | None, typer.Option(help=f"Only one section: {', '.join(SECTIONS)}.")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the resolved pack as JSON.")] = False,
) -> None:
    """Print a resolved pack (after inheritance)."""
    loaded = service.show_pack(ctx.ensure_object(Settings), pack)
    if json:
        print(loaded.pack.model_dump_json(indent=2))
        return
    _header(loaded)
    for name in [section] if section else SECTIONS:
        headers, rows = section_rows(loaded.pack, name)
        table = Table(title=name, title_justify="left", show_lines=False)
        for i, header in enumerate(headers):
            # the first column is the entry's code: keep it whole so it can be copied
            table.add_column(header, overflow="fold", no_wrap=i == 0)
        for row in rows:
            table.add_row(*row)
        console.print(table)


@app.command()
def check(
    ctx: typer.Context,
    packs: Annotated[
        list[str] | None, typer.Argument(help="Pack codes; default: every pack.")
    ] = None,
) -> None:
    """Validate packs; print every problem with its file and key path."""
    results = service.check_packs(ctx.ensure_object(Settings), packs or [])
    for result in results:
        if result.loaded is not None:
            console.print(
                f"[green]ok[/green]   {result.loaded.version}  ({' → '.join(result.loaded.chain)})"
            )
        else:
            console.print(f"[red]fail[/red] {result.code}: {len(result.problems)} problem(s)")
            for problem in result.problems:
                console.print(f"     {problem}", markup=False)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


@app.command()
def diff(
    ctx: typer.Context,
    left: Annotated[str, typer.Argument(help="First pack code.")],
    right: Annotated[str, typer.Argument(help="Second pack code.")],
) -> None:
    """Compare two jurisdictions side by side, entry by entry."""
    rows = service.compare_packs(ctx.ensure_object(Settings), left, right)
    if not rows:
        console.print(f"{left} and {right} have the same rules")
        return
    table = Table("section", "entry / key", left, right, title=f"{left} vs {right}")
    for row in rows:
        table.add_row(row.section, row.key, row.left, row.right)
    console.print(table)


def _header(loaded: LoadedPack) -> None:
    meta = loaded.pack.meta
    console.print(f"[bold]{meta.name.zh} {meta.name.en}[/bold]  {loaded.version}")
    console.print(f"inherits: {' → '.join(loaded.chain)}")
    if meta.description:
        console.print(meta.description, markup=False)
