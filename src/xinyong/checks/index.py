"""The in-memory check index: subject code → the list entries that reach it.

It owns answering "which list entries apply to this code today?" in about a
microsecond, for ten million entries, in a few dozen bytes each, and swapping
in changes without ever showing half of them. It must not read the store,
know measures or memoranda (:mod:`xinyong.checks.model` does), or validate
codes beyond their shape (the service validates them before asking).

Design. An 18-character code (USCC or resident ID) read in base 36 is an exact
integer ``k < 2**94``. The immutable *base* is a static hash table with
quotienting, held in :mod:`array` columns only (no Python object per entry):

- rows are grouped by bucket ``b = k % nb`` (``nb`` ≈ the row count, made
  prime to 2 and 3 so that every character of the code moves the bucket);
  ``starts[b]:starts[b + 1]`` is the bucket's slice of the columns;
- a row stores the quotient ``q = k // nb`` (``qlo`` 64 bits + ``qhi``), which
  with the bucket gives back ``k`` exactly: no hashing loss, no collisions;
- beside it: the entry id, the list (an index into a short tuple of list
  codes), ``until`` as a date ordinal (0 = until removed), and ``via``: for a
  legal representative's row, the position of the listed legal person's row
  (whose code is rebuilt from its key), else -1;
- ``entry_ids`` holds the entries' ids, sorted, for membership and ``len``.

That is 27 bytes per row (``qhi`` takes one byte once ``nb`` ≥ 2**22), 4 per
bucket and 8 per entry id: about 42 bytes per entry when one in ten has a
representative's row. A miss (nine checks in ten) costs a length test,
``int(code, 36)``, one ``divmod`` and two array reads. Alternatives measured at
10,000,000 entries + 1,000,000 representative rows (RSS growth; misses timed
over 200,000 unlisted codes; Python 3.11, 2 CPUs):

===============================================  ==============  ==============
design                                           bytes/entry     miss
===============================================  ==============  ==============
dict ``k`` → row int, columns in arrays          146             0.50 µs inline
sorted keys in ``array("Q")`` + :func:`bisect`   11 + columns    1.2 µs, 64 bits
this: bucketed quotient columns, arrays only     46              0.75 µs a call
===============================================  ==============  ==============

The dict was rejected on memory: each of its 11 million keys is a 48-byte int
object and each value a 32-byte one, and at 11,184,811 keys its table doubles
(2**24 → 2**25 slots, +330 MB), so the 150-byte budget would break just past
ten million entries, before the via codes or the overlay. Bisection was
rejected on time: 24 probes of cold memory, for only the low 64 of the key's
94 bits (a second level would be needed). Building costs about 3 µs per row
(about 30 s for ten million entries), mostly the random-access regrouping of
the columns; the rows are taken in chunks through C-level ``map``, and no
tuples are kept (they would make the garbage collector's passes walk them).

Changes go to a small *overlay* on top of the immutable base: the entry ids
hidden from the base, and the added entries as ready :class:`Hit` objects.
:meth:`CheckIndex.refreshed` returns a new index (base shared, overlay copied:
its cost grows with the overlay, never with the base), so a reader holding the
old one sees the old state whole; :meth:`CheckIndex.compacted` folds the
overlay into a new base, to be run in the background when the overlay grows.

Rows of one entry come together: exactly one row for the listed subject
(``via`` None) and any number for its legal representatives (``via`` = the
subject's code, each code once). Rows that break this raise ``ValueError``.
"""

from __future__ import annotations

import itertools
import operator
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

IndexRow = tuple[int, str, str, date | None, str | None]
"""(entry_id, code_to_index, list_code, until, via).

``until``: last day the entry applies (None: until it is removed). ``via``:
None when the code is the listed subject itself; else the listed legal
person's code, of which the indexed code is the legal representative.
"""

CODE_LENGTH = 18
_LOW64 = (1 << 64) - 1
_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_PAIR_SPAN = 36 * 36
_PAIRS = tuple(a + b for a in _BASE36 for b in _BASE36)  # base-36 digit pairs, for _code
_ENTRY_ID = operator.attrgetter("entry_id")
_DIRECT = -1  # `via` column: the row's code is the listed subject

# One row inside the index: (key, entry_id, list_code, until ordinal or 0, via key or None).
_Row = tuple[int, int, str, int, int | None]
# Many rows as columns, in that order: the base is built chunk by chunk with C-level map.
_Chunk = tuple[Sequence[int], Sequence[int], Sequence[str], Sequence[int], Sequence[int | None]]
_CHUNK = 1 << 16
_CODE_RUN = re.compile(r"[0-9A-Z]*")
_repeat = itertools.repeat
_COLUMN = tuple(operator.itemgetter(i) for i in range(5))


@dataclass(frozen=True, slots=True)
class Hit:
    """命中 (hit): one list entry that reaches the code looked up, on the day asked."""

    entry_id: int
    list_code: str
    until: date | None
    via: str | None


def _bad_code(code: object, entry_id: object, what: str) -> ValueError:
    return ValueError(
        f"entry {entry_id}: {what} {code!r} is not an 18-character subject code "
        "(digits and upper-case letters)"
    )


def _code(key: int) -> str:
    """The 18-character code whose base-36 value is ``key``."""
    pairs = []
    for _ in range(CODE_LENGTH // 2):
        key, pair = divmod(key, _PAIR_SPAN)
        pairs.append(_PAIRS[pair])
    return "".join(reversed(pairs))


def _rows(rows: Iterable[IndexRow]) -> Iterator[_Row]:
    """Check public rows' codes and key them."""
    for entry_id, code, list_code, until, via in rows:
        if len(code) != CODE_LENGTH or code.strip(_BASE36):
            raise _bad_code(code, entry_id, "code")
        if via is not None and (len(via) != CODE_LENGTH or via.strip(_BASE36)):
            raise _bad_code(via, entry_id, "via")
        yield (
            int(code, 36),
            entry_id,
            list_code,
            0 if until is None else until.toordinal(),
            None if via is None else int(via, 36),
        )


def _all_well_formed(codes: Sequence[str]) -> bool:
    return all(map(CODE_LENGTH.__eq__, map(len, codes))) and bool(
        _CODE_RUN.fullmatch("".join(codes))
    )


def _chunks(rows: Iterable[IndexRow]) -> Iterator[_Chunk]:
    """Public rows as keyed columns, ``_CHUNK`` rows at a time (what :func:`_rows` does, faster)."""
    source = iter(rows)
    while chunk := list(itertools.islice(source, _CHUNK)):
        # Not zip(*chunk): its 65,536 argument iterators make every young-generation
        # collection during its set-up walk them all (quadratic in the chunk).
        entry_ids, codes, list_codes, untils, vias = (
            list(map(_COLUMN[i], chunk)) for i in range(5)
        )
        if not (_all_well_formed(codes) and _all_well_formed([v for v in vias if v is not None])):
            list(_rows(chunk))  # raises, naming the entry
        yield (
            list(map(int, codes, _repeat(36))),
            entry_ids,
            list_codes,
            [0 if until is None else until.toordinal() for until in untils],
            [None if via is None else int(via, 36) for via in vias],
        )


def _check_entry(entry_id: int, rows: list[_Row]) -> None:
    """One subject row, representatives naming it, each code once (see the module doc)."""
    subjects = [row[0] for row in rows if row[4] is None]
    if len(subjects) != 1:
        raise ValueError(f"entry {entry_id} has {len(subjects)} subject rows; it needs exactly 1")
    keys = [row[0] for row in rows]
    if len(set(keys)) != len(keys):
        raise ValueError(f"entry {entry_id} indexes the same code twice")
    for row in rows:
        if row[4] is not None and row[4] != subjects[0]:
            raise ValueError(
                f"entry {entry_id}: representative row {_code(row[0])} names via "
                f"{_code(row[4])}, but the entry's subject is {_code(subjects[0])}"
            )


def _bucket_count(rows: int) -> int:
    count = max(rows, 1) | 1
    while count % 3 == 0:
        count += 2
    return count


class _Base:
    """The immutable, compact part of an index (see the module docstring for its layout)."""

    __slots__ = (
        "entry",
        "entry_ids",
        "list_codes",
        "lst",
        "nb",
        "qhi",
        "qlo",
        "starts",
        "until",
        "via",
    )

    def __init__(self, chunks: Iterable[_Chunk]) -> None:
        keys_hi, keys_lo = array("I"), array("Q")
        entry, lst, until = array("q"), array("H"), array("i")
        list_index: dict[str, int] = {}
        subject_ids = array("q")
        # Representatives' rows and via keys. Ints in arrays and lists, never tuples: tuples
        # are tracked by the garbage collector, whose full passes would then slow the build.
        rep_rows, rep_vias = array("q"), list[int | None]()
        for keys, entry_ids, list_codes, untils, vias in chunks:
            first = len(entry)
            keys_hi.extend(map(operator.rshift, keys, _repeat(64)))
            keys_lo.extend(map(operator.and_, keys, _repeat(_LOW64)))
            entry.extend(entry_ids)
            for code in dict.fromkeys(list_codes):
                list_index.setdefault(code, len(list_index))
            lst.extend(map(list_index.__getitem__, list_codes))
            until.extend(untils)
            direct = list(map(operator.is_, vias, _repeat(None)))
            subject_ids.extend(itertools.compress(entry_ids, direct))
            if not all(direct):
                represents = list(map(operator.not_, direct))
                rep_rows.extend(itertools.compress(itertools.count(first), represents))
                rep_vias.extend(itertools.compress(vias, represents))
        self.list_codes = tuple(list_index)
        self.nb = nb = _bucket_count(len(entry))
        qhi = array("B" if nb >= 1 << 22 else "H" if nb >= 1 << 14 else "I")
        qlo, buckets = array("Q"), array("i")
        for start in range(0, len(entry), _CHUNK):
            whole = map(
                operator.or_,
                map(operator.lshift, keys_hi[start : start + _CHUNK], _repeat(64)),
                keys_lo[start : start + _CHUNK],
            )
            keys = list(whole)
            quotients = list(map(operator.floordiv, keys, _repeat(nb)))
            qhi.extend(map(operator.rshift, quotients, _repeat(64)))
            qlo.extend(map(operator.and_, quotients, _repeat(_LOW64)))
            buckets.extend(map(operator.mod, keys, _repeat(nb)))
        order, position = self._group(buckets)
        self.qhi = array(qhi.typecode, map(qhi.__getitem__, order))
        self.qlo = array("Q", map(qlo.__getitem__, order))
        self.entry = array("q", map(entry.__getitem__, order))
        self.lst = array("H", map(lst.__getitem__, order))
        self.until = array("i", map(until.__getitem__, order))
        self.via = array("i", [_DIRECT]) * len(order)
        self.entry_ids = array("q", sorted(subject_ids))
        self._check_subjects()
        self._link_representatives(rep_rows, rep_vias, position, entry, keys_hi, keys_lo)

    def _group(self, buckets: array[int]) -> tuple[array[int], array[int]]:
        """Counting sort by bucket: (row of each position, position of each row)."""
        counts = array("i", bytes(4 * (self.nb + 1)))
        for bucket in buckets:
            counts[bucket + 1] += 1
        self.starts = array("i", itertools.accumulate(counts))
        cursor = array("i", self.starts)
        order = array("i", bytes(4 * len(buckets)))
        position = array("i", bytes(4 * len(buckets)))
        for row, bucket in enumerate(buckets):
            at = cursor[bucket]
            cursor[bucket] = at + 1
            order[at] = row
            position[row] = at
        return order, position

    def _link_representatives(
        self,
        rep_rows: array[int],
        rep_vias: list[int | None],
        position: array[int],
        entry: array[int],
        keys_hi: array[int],
        keys_lo: array[int],
    ) -> None:
        """Point each representative's row at its entry's subject row (checking that it is one)."""
        if not rep_rows:
            return
        wanted = set(map(entry.__getitem__, rep_rows))
        represents = set(rep_rows)
        subject_row: dict[int, int] = {}
        for row in itertools.compress(range(len(entry)), map(wanted.__contains__, entry)):
            if row not in represents:
                subject_row.setdefault(entry[row], row)
        seen: set[int] = set()  # entry_id << 94 | key: one int, not a tuple (see __init__)
        for row, via in zip(rep_rows, rep_vias, strict=True):
            entry_id = entry[row]
            key = (keys_hi[row] << 64) | keys_lo[row]
            subject = subject_row.get(entry_id)
            if subject is None:
                raise ValueError(f"entry {entry_id} has 0 subject rows; it needs exactly 1")
            subject_key = (keys_hi[subject] << 64) | keys_lo[subject]
            if (entry_id << 94 | key) in seen or key == subject_key:
                raise ValueError(f"entry {entry_id} indexes the same code twice")
            seen.add(entry_id << 94 | key)
            if via != subject_key:
                raise ValueError(
                    f"entry {entry_id}: representative row {_code(key)} names via "
                    f"{_code(via or 0)}, but the entry's subject is {_code(subject_key)}"
                )
            self.via[position[row]] = position[subject]

    def _check_subjects(self) -> None:
        ids = self.entry_ids
        if any(itertools.starmap(operator.eq, itertools.pairwise(ids))):
            twice = next(a for a, b in itertools.pairwise(ids) if a == b)
            raise ValueError(f"entry {twice} has 2 subject rows; it needs exactly 1")

    def __len__(self) -> int:
        return len(self.entry_ids)

    def holds(self, entry_id: int) -> bool:
        at = bisect_left(self.entry_ids, entry_id)
        return at < len(self.entry_ids) and self.entry_ids[at] == entry_id

    def key_at(self, position: int) -> int:
        bucket = bisect_right(self.starts, position) - 1
        quotient = (self.qhi[position] << 64) | self.qlo[position]
        return quotient * self.nb + bucket

    def hit_at(self, position: int) -> Hit:
        until, via = self.until[position], self.via[position]
        return Hit(
            self.entry[position],
            self.list_codes[self.lst[position]],
            None if until == 0 else date.fromordinal(until),
            None if via == _DIRECT else _code(self.key_at(via)),
        )

    def chunks(self, hidden: frozenset[int]) -> Iterator[_Chunk]:
        """Every row whose entry is not hidden, keyed, as columns: for compaction."""
        nb, starts = self.nb, self.starts
        sizes = map(operator.sub, itertools.islice(starts, 1, None), starts)
        bucket_of = array("i", itertools.chain.from_iterable(map(_repeat, range(nb), sizes)))

        def key(at: int) -> int:
            return ((self.qhi[at] << 64) | self.qlo[at]) * nb + bucket_of[at]

        for start in range(0, len(self.entry), _CHUNK):
            end = start + _CHUNK
            quotients = map(
                operator.or_,
                map(operator.lshift, self.qhi[start:end], _repeat(64)),
                self.qlo[start:end],
            )
            keys = list(
                map(operator.add, map(operator.mul, quotients, _repeat(nb)), bucket_of[start:end])
            )
            columns: _Chunk = (
                keys,
                self.entry[start:end],
                list(map(self.list_codes.__getitem__, self.lst[start:end])),
                self.until[start:end],
                [None if back == _DIRECT else key(back) for back in self.via[start:end]],
            )
            if hidden:
                kept = list(map(operator.not_, map(hidden.__contains__, columns[1])))
                columns = tuple(list(itertools.compress(c, kept)) for c in columns)  # type: ignore[assignment]
            yield columns


class CheckIndex:
    """核查索引 (check index): which list entries reach a subject code, answered in memory.

    Immutable: :meth:`refreshed` and :meth:`compacted` return new indexes, so a
    service swaps one reference and a check never sees half a refresh. Make one
    with :meth:`build`; the constructor is internal.
    """

    __slots__ = ("_added", "_base", "_hidden", "_overlay", "_size")

    def __init__(
        self,
        base: _Base,
        hidden: frozenset[int] = frozenset(),
        overlay: dict[int, tuple[tuple[int, Hit], ...]] | None = None,
    ) -> None:
        self._base = base
        self._hidden = hidden  # base entry ids that are removed or replaced
        self._overlay = overlay or {}  # entry id → its (key, hit) pairs
        self._added: dict[int, tuple[Hit, ...]] = {}  # key → overlay hits
        for pairs in self._overlay.values():
            for key, hit in pairs:
                self._added[key] = (*self._added.get(key, ()), hit)
        self._size = len(base) - len(hidden) + len(self._overlay)

    @classmethod
    def build(cls, rows: Iterable[IndexRow]) -> CheckIndex:
        """An index of ``rows`` (all the rows of every entry in state listed)."""
        return cls(_Base(_chunks(rows)))

    def __len__(self) -> int:
        """How many entries the index holds."""
        return self._size

    @property
    def overlay_size(self) -> int:
        """Entries added or hidden since the base was built: when large, call :meth:`compacted`."""
        return len(self._hidden) + len(self._overlay)

    def lookup(self, code: str, today: date) -> tuple[Hit, ...]:
        """The entries reaching ``code`` on ``today``, by entry id; () for an unknown or malformed code."""
        if len(code) != CODE_LENGTH:
            return ()
        try:
            key = int(code, 36)
        except ValueError:
            return ()
        base = self._base
        quotient, bucket = divmod(key, base.nb)
        start, end = base.starts[bucket], base.starts[bucket + 1]
        found: list[int] | None = None
        if start != end:
            low, qlo = quotient & _LOW64, base.qlo
            for at in range(start, end):
                if qlo[at] == low and base.qhi[at] == quotient >> 64:
                    if found is None:
                        found = [at]
                    else:
                        found.append(at)
        added = self._added.get(key)
        if found is None and added is None:
            return ()
        return self._hits(code, found, added, today)

    def _hits(
        self, code: str, found: list[int] | None, added: tuple[Hit, ...] | None, today: date
    ) -> tuple[Hit, ...]:
        if code.strip(_BASE36):  # e.g. lower case, which int() reads as upper case
            return ()
        hits = []
        if found is not None:
            day, base, hidden = today.toordinal(), self._base, self._hidden
            for at in found:
                until = base.until[at]
                if (until == 0 or day <= until) and base.entry[at] not in hidden:
                    hits.append(base.hit_at(at))
        if added is not None:
            hits += [hit for hit in added if hit.until is None or today <= hit.until]
        if len(hits) > 1:
            hits.sort(key=_ENTRY_ID)
        return tuple(hits)

    def refreshed(self, added: Iterable[IndexRow], removed: Iterable[int]) -> CheckIndex:
        """A new index with ``removed`` entries gone and ``added`` ones in.

        ``added`` carries all the rows of each entry it names; they replace what
        the index held for that entry; an entry both removed and added ends up
        added. Removing an entry the index does not hold is not an error
        (removal is idempotent). This index is left unchanged. Costs grow with
        the overlay and the change, not with the base.
        """
        groups: dict[int, list[_Row]] = {}
        for row in _rows(added):
            groups.setdefault(row[1], []).append(row)
        for entry_id, rows in groups.items():
            _check_entry(entry_id, rows)
        touched = set(removed) | groups.keys()
        hidden = self._hidden | {e for e in touched if self._base.holds(e)}
        overlay = {e: pairs for e, pairs in self._overlay.items() if e not in touched}
        for entry_id, rows in groups.items():
            overlay[entry_id] = tuple(
                (
                    key,
                    Hit(
                        entry_id,
                        list_code,
                        None if until == 0 else date.fromordinal(until),
                        None if via is None else _code(via),
                    ),
                )
                for key, _, list_code, until, via in rows
            )
        return CheckIndex(self._base, frozenset(hidden), overlay)

    def compacted(self) -> CheckIndex:
        """The same index with its overlay folded into a new base (O(entries); run it aside)."""
        if not self._hidden and not self._overlay:
            return self
        pairs = [pair for pairs in self._overlay.values() for pair in pairs]
        overlay: _Chunk = (
            [key for key, _ in pairs],
            [hit.entry_id for _, hit in pairs],
            [hit.list_code for _, hit in pairs],
            [0 if hit.until is None else hit.until.toordinal() for _, hit in pairs],
            [None if hit.via is None else int(hit.via, 36) for _, hit in pairs],
        )
        return CheckIndex(_Base(itertools.chain(self._base.chunks(self._hidden), [overlay])))
