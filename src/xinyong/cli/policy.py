"""``xinyong policy``: show, check and compare policy packs."""

import typer

app = typer.Typer(help="Show, check and compare policy packs.", no_args_is_help=True)
