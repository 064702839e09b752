"""``xinyong generate``: write a deterministic synthetic city with noisy department files.

Thin: parse the options into a :class:`~xinyong.synth.spec.CitySpec`, call
:func:`xinyong.synth.service.generate_city` once under a progress bar, render
a summary. Bad arguments raise :class:`~xinyong.synth.spec.GenerateError`,
which the root command prints as one line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from xinyong.synth.noise import KIND_CLASS
from xinyong.synth.spec import DEFAULT_AS_OF, DEFAULT_REGION, CitySpec, parse_as_of

if TYPE_CHECKING:
    from xinyong.synth.service import GenerationReport


def generate(
    subjects: Annotated[
        int, typer.Option(help="Subjects to generate (persons and legal persons).")
    ],
    out: Annotated[Path, typer.Option(help="Output directory (new or empty).")],
    seed: Annotated[
        int, typer.Option(help="Random seed: the same arguments give the same bytes.")
    ] = 0,
    noise: Annotated[float, typer.Option(help="Per-row noise rate, 0 (clean) to 1.")] = 0.0,
    region: Annotated[
        str, typer.Option(help="Prefecture code; 371000 is Weihai.")
    ] = DEFAULT_REGION,
    as_of: Annotated[
        str,
        typer.Option(help="Last day of the five-year record window (a fixed default, not today)."),
    ] = DEFAULT_AS_OF.isoformat(),
    force: Annotated[bool, typer.Option(help="Overwrite a previous generation in --out.")] = False,
    workers: Annotated[
        int, typer.Option(help="Worker processes, 0 = one per CPU; the output does not change.")
    ] = 0,
) -> None:
    """Generate a synthetic city: subjects, department files in their own formats, injected noise."""
    # Imported here so that `xinyong --help` does not load Faker and the division table.
    from xinyong.synth.service import generate_city

    spec = CitySpec(
        subjects=subjects, seed=seed, noise=noise, region=region, as_of=parse_as_of(as_of)
    )
    with subject_progress(subjects) as advance:
        report = generate_city(spec, out, force=force, workers=workers or None, progress=advance)
    render_generation(report)


@contextmanager
def subject_progress(total: int) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar over generated subjects, on stderr; yields the callback."""
    columns = (TextColumn("subjects"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    task = bar.add_task("generate", total=total)

    def advance(done: int) -> None:
        # Started on the first report, so an argument error stays a single line.
        bar.start()
        bar.update(task, completed=done)

    try:
        yield advance
    finally:
        if bar.live.is_started:  # Progress.stop prints a newline even if never started
            bar.stop()


def render_generation(report: GenerationReport) -> None:
    region = report.region
    files = Table(title=f"{region.province_name}{region.prefecture_name} → {report.out}")
    for column in ("file", "department", "items", "format", "encoding", "rows"):
        files.add_column(column, justify="right" if column == "rows" else "left")
    for result in report.files:
        layout = result.layout
        files.add_row(result.path, layout.department, ", ".join(layout.items), layout.fmt,
                      layout.encoding or "-", f"{result.rows:,}")  # fmt: skip
    noise = Table(title=f"noise injected at rate {report.spec.noise:g}")
    for column in ("kind", "class", "rows"):
        noise.add_column(column, justify="right" if column == "rows" else "left")
    for kind, count in report.noise_totals.items():
        noise.add_row(kind, KIND_CLASS[kind], f"{count:,}")
    console = Console()
    console.print(files)
    console.print(noise)
    console.print(
        f"{report.persons:,} persons, {report.legal_persons:,} legal persons, "
        f"{report.rows:,} rows; truth in truth/subjects.csv, files listed in manifest.json"
    )
