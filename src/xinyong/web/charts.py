"""Bar charts as SVG geometry, drawn by the templates with attributes only (no script, no style).

Server-rendered so that the statistics need no JavaScript and pass the CSP;
each bar carries a ``<title>`` and the page a table of the same numbers, for
screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, AXIS = 640, 180, 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float
    text: str  # the value as shown


def bars(items: Sequence[tuple[str, float]], *, percent: bool = False) -> list[Bar]:
    """One bar per (label, value), scaled to the largest value (or to 100 % for shares)."""
    if not items:
        return []
    top = 1.0 if percent else max(max(v for _, v in items), 1)
    slot = WIDTH / len(items)
    out = []
    for i, (label, value) in enumerate(items):
        h = (HEIGHT - AXIS) * (value / top)
        text = f"{value:.0%}" if percent else f"{value:,.0f}"
        out.append(
            Bar(i * slot + slot * 0.15, HEIGHT - AXIS - h, slot * 0.7, h, label, value, text)
        )
    return out
