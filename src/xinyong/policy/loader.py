"""Reading packs: discovery, TOML files, inheritance, and located error messages.

A pack is a directory holding ``pack.toml`` (with ``[meta]``) and any number of
other ``*.toml`` files, each contributing whole sections. A child pack names
its parent in ``meta.extends``; coded entries (``[[catalog]]``, ``[[lists]]`` …)
merge by ``code`` — a child entry deep-merges over the parent's entry of the
same code — and ``[remove]`` drops parent entries by code. This module reads
files; it must not decide policy (that is the models' and rules' job).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from xinyong.errors import Problem
from xinyong.policy.errors import PackError, PackNotFoundError
from xinyong.policy.model import KEYED_SECTIONS, Level, Meta, Pack
from xinyong.policy.rules import reference_problems

SHIPPED_DIR = Path(__file__).parent / "packs"
_LEVEL_ORDER = {Level.NATIONAL.value: 0, Level.PROVINCE.value: 1, Level.CITY.value: 2}

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedPack:
    """A resolved pack with what it was made from."""

    pack: Pack
    digest: str
    chain: tuple[str, ...]
    files: tuple[Path, ...]
    ancestors: tuple[Meta, ...] = ()  # parent first, up to the root; each validated

    @property
    def version(self) -> str:
        """Human version plus content digest: what derived results store."""
        return f"{self.pack.meta.code}@{self.pack.meta.version}+{self.digest[:12]}"


@dataclass
class _Raw:
    """Merged raw TOML with where each part came from."""

    data: dict[str, Any]
    origin: dict[tuple[str, str], Path]  # (section, code or "") → file that last set it
    files: list[Path]


def available_packs(search_dirs: Sequence[Path] = ()) -> dict[str, Path]:
    """Pack code → directory. Extra directories win over shipped packs of the same code."""
    found: dict[str, Path] = {}
    for base in [*search_dirs, SHIPPED_DIR]:
        if not base.is_dir():
            continue
        for pack_toml in sorted(base.glob("*/pack.toml")):
            found.setdefault(pack_toml.parent.name, pack_toml.parent)
    return found


def load_pack(code: str, search_dirs: Sequence[Path] = ()) -> LoadedPack:
    """Load, inherit and validate one pack; raise PackError listing every problem."""
    packs = available_packs(search_dirs)
    chain = _chain(code, packs)
    raw: _Raw | None = None
    for name in reversed(chain):
        own = _read_dir(packs[name])
        raw = own if raw is None else _inherit(raw, own, name)
    assert raw is not None  # chain is never empty
    pack = _validate(raw, code)
    payload = json.dumps(pack.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(payload.encode()).hexdigest()
    ancestors = tuple(_ancestor_meta(packs[name], code) for name in chain[1:])
    return LoadedPack(pack, digest, tuple(chain), tuple(raw.files), ancestors)


def _ancestor_meta(directory: Path, source: str) -> Meta:
    """A parent's ``[meta]``, validated; the parent's sections were merged already."""
    try:
        return Meta.model_validate(_read_meta(directory, source))
    except ValidationError as err:
        path = directory / "pack.toml"
        problems = [
            Problem(_where(path, ("meta", *e["loc"])), _pydantic_code(e), _pydantic_message(e))
            for e in err.errors(include_url=False)
        ]
        raise PackError(source, problems) from None


def _chain(code: str, packs: Mapping[str, Path]) -> list[str]:
    """[code, parent, grandparent …], checking existence, cycles, then level order."""
    if code not in packs:
        raise PackNotFoundError(pack=code, available=", ".join(sorted(packs)) or "none")
    chain: list[str] = []
    metas: dict[str, dict[str, Any]] = {}
    current: str | None = code
    while current is not None:
        if current in chain:
            _fail(
                code,
                packs[chain[-1]] / "pack.toml",
                ("meta", "extends"),
                "pack-extends",
                f"inheritance cycle: {' → '.join([*chain, current])}",
            )
        if current not in packs:
            _fail(
                code,
                packs[chain[-1]] / "pack.toml",
                ("meta", "extends"),
                "pack-extends",
                f"parent pack {current!r} not found; available: {', '.join(sorted(packs))}",
            )
        chain.append(current)
        metas[current] = _read_meta(packs[current], code)
        parent = metas[current].get("extends")
        current = parent if isinstance(parent, str) else None
    for child, parent in itertools.pairwise(chain):
        child_level, parent_level = metas[child].get("level"), metas[parent].get("level")
        if _LEVEL_ORDER.get(str(child_level), -1) <= _LEVEL_ORDER.get(str(parent_level), -1):
            _fail(
                code,
                packs[child] / "pack.toml",
                ("meta", "level"),
                "pack-extends",
                f"a {child_level} pack cannot extend the {parent_level} pack {parent!r}",
            )
    return chain


def _fail(source: str, path: Path, loc: Loc, code: str, message: str) -> None:
    raise PackError(source, [Problem(_where(path, loc), code, message)])


def _load_toml(path: Path, source: str) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise PackError(source, [Problem(str(path), "pack-syntax", str(err))]) from None


def _read_meta(directory: Path, source: str) -> dict[str, Any]:
    meta = _load_toml(directory / "pack.toml", source).get("meta", {})
    return meta if isinstance(meta, dict) else {}


def _read_dir(directory: Path) -> _Raw:
    """Merge the files of one pack directory; a section may be defined in one file only."""
    source = directory.name
    raw = _Raw({}, {}, [])
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.toml")):
        raw.files.append(path)
        for key, value in _load_toml(path, source).items():
            if key in raw.data:
                first = raw.origin[(key, "")]
                problems.append(
                    Problem(
                        _where(path, (key,)),
                        "pack-duplicate-code",
                        f"section {key!r} is already defined in {first.name}",
                    )
                )
                continue
            raw.data[key] = value
            raw.origin[(key, "")] = path
            if key in KEYED_SECTIONS and isinstance(value, list):
                problems.extend(_index_entries(raw, key, value, path))
    problems.extend(_read_mappings(raw, directory, source))
    if "meta" not in raw.data:
        problems.append(
            Problem(str(directory / "pack.toml"), "pack-missing-key", "[meta] is required")
        )
    if problems:
        raise PackError(source, problems)
    return raw


def _read_mappings(raw: _Raw, directory: Path, source: str) -> list[Problem]:
    """``mappings/*.toml``: one department mapping per file, gathered into ``mappings``."""
    files = sorted((directory / "mappings").glob("*.toml"))
    if not files:
        return []
    if "mappings" in raw.data:
        first = raw.origin[("mappings", "")]
        return [
            Problem(
                _where(first, ("mappings",)),
                "pack-duplicate-code",
                "mappings live in mappings/*.toml, one per file, not in a [[mappings]] section",
            )
        ]
    entries = []
    problems: list[Problem] = []
    for path in files:
        raw.files.append(path)
        entries.append(_load_toml(path, source))
        problems.extend(
            _index_entries(raw, "mappings", entries[-1:], path, offset=len(entries) - 1)
        )
    raw.data["mappings"] = entries
    raw.origin[("mappings", "")] = files[0]
    return problems


def _index_entries(
    raw: _Raw, section: str, entries: list[Any], path: Path, *, offset: int = 0
) -> list[Problem]:
    problems: list[Problem] = []
    for i, entry in enumerate(entries, start=offset):
        code = entry.get("code") if isinstance(entry, dict) else None
        if not isinstance(code, str):
            problems.append(
                Problem(
                    _where(path, (section, i)), "pack-missing-key", "every entry needs a `code`"
                )
            )
        elif (section, code) in raw.origin:
            problems.append(
                Problem(
                    _where(path, (section, code)),
                    "pack-duplicate-code",
                    f"code {code!r} appears twice in [[{section}]]",
                )
            )
        else:
            raw.origin[(section, code)] = path
    return problems


def _inherit(parent: _Raw, child: _Raw, name: str) -> _Raw:
    """Child over parent: meta replaced, coded entries merged by code, `remove` applied."""
    data = {k: v for k, v in parent.data.items() if k != "meta"}
    origin = dict(parent.origin)
    problems: list[Problem] = []
    removals = child.data.get("remove", {})
    for section, codes in removals.items() if isinstance(removals, dict) else []:
        for code in codes if isinstance(codes, list) else []:
            before = data.get(section, [])
            kept = [e for e in before if not (isinstance(e, dict) and e.get("code") == code)]
            if len(kept) == len(before):
                problems.append(
                    Problem(
                        _where(child.origin[("remove", "")], ("remove", section)),
                        "pack-remove",
                        f"cannot remove {code!r}: the parent has no such {section} entry",
                    )
                )
            data[section] = kept
            origin.pop((section, code), None)
    for key, value in child.data.items():
        if key == "remove":
            continue
        if key in KEYED_SECTIONS and isinstance(value, list):
            data[key] = _merge_entries(data.get(key, []), value)
        elif isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = _deep_merge(data[key], value)
        else:
            data[key] = value
    origin.update(child.origin)
    if problems:
        raise PackError(name, problems)
    return _Raw(data, origin, [*parent.files, *child.files])


def _merge_entries(parent: list[Any], child: list[Any]) -> list[Any]:
    merged = list(parent)
    position = {e.get("code"): i for i, e in enumerate(merged) if isinstance(e, dict)}
    for entry in child:
        code = entry.get("code") if isinstance(entry, dict) else None
        if code in position:
            merged[position[code]] = _deep_merge(merged[position[code]], entry)
        else:
            merged.append(entry)
    return merged


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _validate(raw: _Raw, source: str) -> Pack:
    try:
        pack = Pack.model_validate(raw.data)
    except ValidationError as err:
        problems = [
            _problem(raw, tuple(e["loc"]), _pydantic_code(e), _pydantic_message(e))
            for e in err.errors(include_url=False)
        ]
        raise PackError(source, problems) from None
    problems = [_problem(raw, loc, code, msg) for loc, code, msg in reference_problems(pack)]
    if problems:
        raise PackError(source, problems)
    return pack


def _pydantic_code(error: Any) -> str:
    kind = str(error["type"])
    if kind.startswith("pack-"):
        return kind
    return {
        "extra_forbidden": "pack-unknown-key",
        "missing": "pack-missing-key",
        "value_error": "pack-invalid-value",
    }.get(kind, "pack-type")


def _pydantic_message(error: Any) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] in ("extra_forbidden", "missing") or str(error["type"]).startswith("pack-"):
        return message
    return f"{message} (got {error.get('input')!r})"


def _problem(raw: _Raw, loc: Loc, code: str, message: str) -> Problem:
    """Locate a problem: the file that set the entry, and a key path using entry codes."""
    readable: list[str | int] = []
    path = raw.origin.get((str(loc[0]), ""), raw.files[-1]) if loc else raw.files[-1]
    for i, part in enumerate(loc):
        previous = loc[i - 1] if i else None
        if isinstance(part, int) and previous in KEYED_SECTIONS and i == 1:
            entries = raw.data.get(str(previous), [])
            entry_code = entries[part].get("code") if part < len(entries) else None
            if isinstance(entry_code, str):
                path = raw.origin.get((str(previous), entry_code), path)
                readable.append(entry_code)
                continue
        readable.append(part)
    return Problem(_where(path, tuple(readable)), code, message)


def _where(path: Path, loc: Loc) -> str:
    key = ""
    for i, part in enumerate(loc):
        if i == 0:
            key = str(part)
        elif isinstance(part, int) or (i == 1 and str(loc[0]) in KEYED_SECTIONS):
            key += f"[{part}]"
        else:
            key += f".{part}"
    pack_dir = path.parent.name
    if pack_dir == "mappings":
        pack_dir = f"{path.parent.parent.name}/mappings"
    return f"{pack_dir}/{path.name}: {key}" if key else f"{pack_dir}/{path.name}"
