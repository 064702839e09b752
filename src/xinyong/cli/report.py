"""``xinyong report CODE --out F``: issue a credit report of public information as a PDF (thin)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from xinyong.config import Settings
from xinyong.disclosure.reports import issue_report
from xinyong.keys.model import Principal, Role
from xinyong.policy.service import node_pack
from xinyong.store.engine import open_store
from xinyong.web.report import render_report

CLI_PUBLIC = Principal(
    key_id=0, prefix="cli", name="command line (public report)", role=Role.PUBLIC
)


def report(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="USCC or resident ID.")],
    out: Annotated[Path, typer.Option(help="Where to write the PDF.")],
    lang: Annotated[str, typer.Option(help="zh-CN or en.")] = "zh-CN",
    site: Annotated[
        str, typer.Option(help="The portal's address, printed for verification.")
    ] = "http://127.0.0.1:8000",
) -> None:
    """Issue a credit report of the subject's public information; it can be verified at /verify."""
    settings: Settings = ctx.obj
    loaded = node_pack(settings)
    catalog = {item.code: item for item in loaded.pack.catalog}
    locale = "en" if lang.lower().startswith("en") else "zh-CN"
    with open_store(settings.store_url) as store:
        content, rendered = issue_report(
            store, loaded, CLI_PUBLIC, code, catalog=catalog, locale=locale, now=datetime.now(UTC),
            render=lambda c: render_report(
                c, catalog=catalog, departments=loaded.pack.departments,
                node_name=loaded.pack.meta.name,
                verify_url=f"{site.rstrip('/')}/verify/{c.verification_code}",
            ),
        )  # fmt: skip
    out.write_bytes(rendered.pdf)
    Console(highlight=False).print(
        f"credit report written to {out} ({rendered.pages} page(s)); "
        f"verification code {content.verification_code}"
    )
