"""Use cases over policy packs: load the node's pack, check packs, compare two.

The CLI, API and portal call these; they take :class:`Settings` so that extra
pack directories configured for a node are honoured everywhere alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xinyong.config import Settings
from xinyong.errors import Problem
from xinyong.policy.diff import DiffRow, diff_packs
from xinyong.policy.errors import PackError
from xinyong.policy.loader import LoadedPack, available_packs, load_pack


@dataclass(frozen=True)
class PackCheck:
    """The outcome of checking one pack: its version when sound, its problems when not."""

    code: str
    loaded: LoadedPack | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.loaded is not None


def list_packs(settings: Settings) -> list[str]:
    return sorted(available_packs(settings.pack_dirs))


def node_pack(settings: Settings) -> LoadedPack:
    """The pack of the jurisdiction this node runs (``XINYONG_JURISDICTION``)."""
    return load_pack(settings.jurisdiction, settings.pack_dirs)


def show_pack(settings: Settings, code: str | None) -> LoadedPack:
    return load_pack(code or settings.jurisdiction, settings.pack_dirs)


def check_packs(settings: Settings, codes: Sequence[str] = ()) -> list[PackCheck]:
    """Validate the named packs, or every available pack when none are named."""
    results: list[PackCheck] = []
    for code in codes or list_packs(settings):
        try:
            results.append(PackCheck(code, load_pack(code, settings.pack_dirs), ()))
        except PackError as err:
            results.append(PackCheck(code, None, tuple(err.problems)))
    return results


def compare_packs(settings: Settings, left: str, right: str) -> list[DiffRow]:
    return diff_packs(
        load_pack(left, settings.pack_dirs).pack, load_pack(right, settings.pack_dirs).pack
    )
