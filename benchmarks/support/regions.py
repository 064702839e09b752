"""Division codes the benchmarks' synthetic codes are drawn from: ten real county-level divisions."""

from __future__ import annotations

REGIONS: tuple[str, ...] = (
    "110101", "310104", "440305", "350102", "510107",
    "330106", "320102", "420106", "610113", "370102",
)  # fmt: skip
