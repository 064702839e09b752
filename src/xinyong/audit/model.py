"""审计日志 (audit log): entries, their hash chain and its verifier, in plain Python.

Owns the one definition of how an entry is hashed (:func:`link_hash`) and what a
valid chain is (:func:`verify_chain`). It must not touch a database, a file or
a clock: entries come in as values and time is an argument.

What the chain proves: every entry from seq 1 to the head is exactly as it was
appended — same time, actor, action, target and detail, in the same order, none
removed or inserted between. A change to a past entry, or the removal of one,
breaks the link at that entry and every one after it.

What it does not prove:

- that nothing was cut off the end. Removing the newest entries leaves a valid,
  shorter chain; only a head (seq, hash) kept outside the database — noted by an
  operator from ``xinyong audit verify``, or sent to a peer — shows it, by passing
  it as ``expected_head``;
- that nobody rewrote the chain. The hash is keyless SHA-256: whoever can write
  to the table can alter an entry and recompute every later hash. That too is
  caught only against an externally kept head;
- that every event was logged. The chain covers what was appended; that each
  write and each read of non-public data appends is the callers' duty.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from xinyong.audit.errors import AuditHeadFormatError

# The prev_hash of the first entry: no entry comes before it.
GENESIS = "0" * 64

# Column sizes of ``audit_event`` (xinyong.store.tables): PostgreSQL refuses
# longer values while SQLite would keep them, so both are held to them here.
ACTOR_MAX = 200
ACTION_MAX = 64
TARGET_MAX = 300


@dataclass(frozen=True)
class AuditDraft:
    """An event to be logged, before it has a place in the chain.

    ``actor`` is who acted (an API key prefix, ``cli:<user>``, a service name),
    ``action`` what was done (``record.read``, ``batch.apply`` …), ``target`` what
    it was done to (``subject:<code>``, ``batch:<id>``), ``detail`` the rest as JSON.
    """

    actor: str
    action: str
    target: str
    detail: Mapping[str, Any]


@dataclass(frozen=True)
class AuditEntry:
    """审计事件 (audit event): one link of the chain, as stored."""

    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Head:
    """The newest link: its seq and hash; ``(0, GENESIS)`` for an empty log."""

    seq: int
    hash: str


EMPTY = Head(0, GENESIS)

Differs = Literal["seq", "prev_hash", "hash", "head"]


@dataclass(frozen=True)
class Break:
    """The first broken link: the entry at ``seq`` and what about it differs.

    - ``seq``: a gap or reordering (an entry was removed, or rows were renumbered);
    - ``prev_hash``: not the previous entry's hash (an entry before it was
      removed or replaced);
    - ``hash``: stored and recomputed hash differ (the entry itself was altered);
    - ``head``: the chain does not reach, or does not match, the expected head
      (entries were cut off the end, or the chain was rewritten).
    """

    seq: int
    differs: Differs
    expected: str
    found: str


@dataclass(frozen=True)
class Verification:
    """The result of walking the chain.

    ``count`` entries verified before the break (all of them when OK); ``head``
    is the last verified link, which an operator notes to detect truncation later.
    """

    count: int
    head: Head
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def canonical_at(at: datetime) -> str:
    """``at`` in UTC, ISO 8601 with microseconds: as both databases give it back."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"naive datetime {at.isoformat()} given; pass an aware one")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def link_hash(
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    detail: Mapping[str, Any],
) -> str:
    """SHA-256 (hex) of one entry and the hash of the one before it.

    The input is the UTF-8 of a JSON array ``[prev_hash, seq, at, actor, action,
    target, detail]`` with sorted keys, no ASCII escaping and no spaces, ``at`` as
    :func:`canonical_at`. Sorted keys make it independent of JSONB's key order;
    an array leaves no doubt where one field ends. Changing this invalidates every
    stored chain: ``tests/audit`` pins it with a fixed vector.
    """
    fields = [prev_hash, seq, canonical_at(at), actor, action, target, detail]
    text = json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_detail(detail: Mapping[str, Any]) -> dict[str, Any]:
    """A plain copy of ``detail`` that reads back from either database unchanged.

    Allowed: ``str`` keys; ``str``, ``int``, ``bool``, ``None``, lists (tuples
    become lists) and nested mappings as values. Refused with ``ValueError``:
    floats (JSONB gives ``1e16`` back as ``10000000000000000``, an int, so the
    hash would change; pass a string or an int of the smallest unit), non-string
    keys (JSON would turn ``1`` into ``"1"``), and the NUL character (PostgreSQL
    text cannot hold it). Refusing is a caller's bug surfacing, not a user error.
    """
    if not isinstance(detail, Mapping):
        raise ValueError(f"detail: {type(detail).__name__} given; an audit detail is a mapping")
    plain: dict[str, Any] = _plain(detail, "detail")
    return plain


def _plain(value: Any, path: str) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        _check_text(value, path)
        return value
    if isinstance(value, Mapping):
        copy: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: key {key!r} is not a string")
            _check_text(key, path)
            copy[key] = _plain(item, f"{path}.{key}")
        return copy
    if isinstance(value, list | tuple):
        return [_plain(item, f"{path}[{i}]") for i, item in enumerate(value)]
    raise ValueError(
        f"{path}: {type(value).__name__} {value!r} cannot be stored in an audit detail "
        "(use str, int, bool, None, lists and mappings)"
    )


def _check_text(text: str, path: str) -> None:
    if "\x00" in text:
        raise ValueError(f"{path}: the NUL character cannot be stored")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ValueError(f"{path}: {err.reason} at position {err.start}") from None


def _check_draft(draft: AuditDraft) -> None:
    for name, value, limit in (
        ("actor", draft.actor, ACTOR_MAX),
        ("action", draft.action, ACTION_MAX),
        ("target", draft.target, TARGET_MAX),
    ):
        if not value or len(value) > limit:
            raise ValueError(f"audit {name} must have 1 to {limit} characters, got {len(value)}")
        _check_text(value, name)


def link_drafts(after: Head, drafts: Sequence[AuditDraft], at: datetime) -> list[AuditEntry]:
    """The entries that append ``drafts`` after the link ``after``, all at ``at``.

    Raises ``ValueError`` for a draft that could not be stored and read back as
    it was hashed (see :func:`normalise_detail`).
    """
    entries: list[AuditEntry] = []
    prev = after
    canonical_at(at)  # a naive time fails here, before anything is hashed
    for draft in drafts:
        _check_draft(draft)
        detail = normalise_detail(draft.detail)
        seq = prev.seq + 1
        digest = link_hash(prev.hash, seq, at, draft.actor, draft.action, draft.target, detail)
        entries.append(
            AuditEntry(seq, at, draft.actor, draft.action, draft.target, detail, prev.hash, digest)
        )
        prev = Head(seq, digest)
    return entries


def verify_chain(
    entries: Iterable[AuditEntry], *, expected_head: Head | None = None
) -> Verification:
    """Walk ``entries`` (in seq order, as stored) and report the first broken link.

    Streams: holds one entry at a time, so a log of any length verifies in
    constant memory. Each entry is checked in this order — its seq follows the
    previous one's (1 for the first), its prev_hash is the previous entry's hash
    (:data:`GENESIS` for the first), its stored hash equals :func:`link_hash` of
    its fields — and the walk stops at the first failure.

    With ``expected_head`` (a head noted earlier), the chain must also contain
    that seq with that hash: this is what detects a cut-off tail or a rewritten
    chain. The log may have grown since.
    """
    prev = EMPTY
    count = 0
    for entry in entries:
        broken = _check_link(prev, entry) or _check_head(entry, expected_head)
        if broken is not None:
            return Verification(count, prev, broken)
        prev = Head(entry.seq, entry.hash)
        count += 1
    if expected_head is not None and prev.seq < expected_head.seq:
        missing = Break(expected_head.seq, "head", expected_head.hash, "none")
        return Verification(count, prev, missing)
    return Verification(count, prev)


def _check_link(prev: Head, entry: AuditEntry) -> Break | None:
    if entry.seq != prev.seq + 1:
        return Break(entry.seq, "seq", str(prev.seq + 1), str(entry.seq))
    if entry.prev_hash != prev.hash:
        return Break(entry.seq, "prev_hash", prev.hash, entry.prev_hash)
    recomputed = link_hash(
        entry.prev_hash,
        entry.seq,
        entry.at,
        entry.actor,
        entry.action,
        entry.target,
        entry.detail,
    )
    if entry.hash != recomputed:
        return Break(entry.seq, "hash", recomputed, entry.hash)
    return None


def _check_head(entry: AuditEntry, expected: Head | None) -> Break | None:
    if expected is None or entry.seq != expected.seq or entry.hash == expected.hash:
        return None
    return Break(entry.seq, "head", expected.hash, entry.hash)


def parse_head(text: str) -> Head:
    """A head written ``SEQ:HASH``, as an operator noted it from ``xinyong audit verify``."""
    seq, sep, digest = text.strip().partition(":")
    digest = digest.strip().lower()
    well_formed = (
        sep == ":"
        and seq.strip().isdigit()
        and len(digest) == 64
        and all(c in "0123456789abcdef" for c in digest)
    )
    if not well_formed:
        raise AuditHeadFormatError(value=text)
    return Head(int(seq), digest)
