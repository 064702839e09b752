"""``xinyong audit verify``: check the audit log's hash chain (thin).

Parse, call :func:`xinyong.audit.service.verify_log`, render. A broken chain is
raised as :class:`~xinyong.audit.errors.AuditChainBrokenError`, which the root
group prints as one red line with exit code 1.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from xinyong.audit.errors import AuditChainBrokenError
from xinyong.audit.model import parse_head
from xinyong.audit.service import verify_log
from xinyong.config import Settings

app = typer.Typer(help="Verify the tamper-evident audit log.", no_args_is_help=True)


@app.command("verify")
def verify(
    ctx: typer.Context,
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head",
            metavar="SEQ:HASH",
            help="A head noted from an earlier run; detects entries cut off the end "
            "or a rewritten chain.",
        ),
    ] = None,
) -> None:
    """Walk the audit log's hash chain; print OK and its head, or the first broken link.

    Note the head it prints somewhere outside this node: only that detects the
    newest entries being removed (pass it back with --expect-head).
    """
    settings: Settings = ctx.obj
    head = parse_head(expect_head) if expect_head is not None else None
    result = verify_log(settings.store_url, expected_head=head)
    if result.broken is not None:
        broken = result.broken
        raise AuditChainBrokenError(
            seq=broken.seq,
            differs=broken.differs,
            expected=broken.expected,
            found=broken.found,
        )
    Console(soft_wrap=True).print(
        f"[green]OK[/green]: {result.count} entries, head seq {result.head.seq} "
        f"hash {result.head.hash}",
        highlight=False,
    )
