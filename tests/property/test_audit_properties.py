"""Properties of the audit chain: what is appended verifies; any single change is caught where it is.

The first two properties are pure; the last appends through the service to a
real database and reads back, so JSON and timestamps make the round trip on
SQLite and on PostgreSQL (JSONB).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from xinyong.audit.model import EMPTY, AuditDraft, AuditEntry, Head, link_drafts, verify_chain
from xinyong.audit.service import append_events, verify_log
from xinyong.store.engine import Store
from xinyong.store.queries import audit as queries
from xinyong.store.uow import UnitOfWork

# Any character a database can hold: no NUL (PostgreSQL), no lone surrogates (UTF-8).
texts = st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=12)
names = texts.filter(bool)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=8,
)
details = st.dictionaries(texts, json_values, max_size=4)
drafts = st.builds(AuditDraft, names, names, names, details)
zones = st.builds(
    timezone, st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timedelta(minutes=m))
)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=zones
)
FIELDS = ("seq", "at", "actor", "action", "target", "detail", "prev_hash", "hash")
hashes = st.text("0123456789abcdef", min_size=64, max_size=64)


@st.composite
def chains(draw: st.DrawFn, min_size: int = 0) -> list[AuditEntry]:
    """A chain appended in several calls, each at its own moment."""
    entries: list[AuditEntry] = []
    for batch in draw(st.lists(st.lists(drafts, min_size=1, max_size=3), min_size=min_size)):
        head = Head(entries[-1].seq, entries[-1].hash) if entries else EMPTY
        entries += link_drafts(head, batch, draw(moments))
    return entries


@given(chains())
def test_an_appended_chain_verifies(entries: list[AuditEntry]) -> None:
    result = verify_chain(entries)
    assert result.ok
    assert result.count == len(entries)
    assert result.head == (Head(entries[-1].seq, entries[-1].hash) if entries else EMPTY)


def changed(draw: st.DrawFn, field: str, old: Any) -> Any:
    """A value of ``field`` that differs from ``old`` as the chain sees it."""
    if field == "seq":
        return draw(st.integers(min_value=-5, max_value=10**6).filter(lambda s: s != old))
    if field == "at":
        # Another instant; the same instant in another zone is no change.
        return old + draw(
            st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=9))
        )
    if field in ("prev_hash", "hash"):
        return draw(hashes.filter(lambda h: h != old))
    if field == "detail":
        key, value = draw(texts), draw(json_values)
        new = {**old, key: value}
        # JSON tells 1 from true, Python does not: compare as the chain does.
        assume(key not in old or type(old[key]) is not type(value) or old[key] != value)
        return new
    return draw(names.filter(lambda s: s != old))


@given(st.data())
def test_tampering_any_field_of_any_entry_is_caught_at_that_entry(data: st.DataObject) -> None:
    entries = data.draw(chains(min_size=1))
    i = data.draw(st.integers(min_value=0, max_value=len(entries) - 1))
    field = data.draw(st.sampled_from(FIELDS))
    tampered = replace(entries[i], **{field: changed(data.draw, field, getattr(entries[i], field))})
    result = verify_chain([*entries[:i], tampered, *entries[i + 1 :]])
    assert result.broken is not None
    expected = {"seq": "seq", "prev_hash": "prev_hash"}.get(field, "hash")
    assert (result.broken.seq, result.broken.differs) == (tampered.seq, expected)
    assert result.count == i


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(drafts, min_size=1, max_size=5), at=moments)
def test_what_is_appended_reads_back_unchanged_and_verifies(
    store: Store, store_url: str, batch: list[AuditDraft], at: datetime
) -> None:
    # The store is shared by the examples: each appends to what the last left.
    with UnitOfWork(store) as uow:
        appended = append_events(uow.connection, batch, at)
        uow.commit()
    with UnitOfWork(store, read_only=True) as uow:
        stored = [row for row in queries.iter_events(uow.connection) if row.seq >= appended[0].seq]
    assert [(r.seq, r.at, r.detail, r.hash) for r in stored] == [
        (e.seq, e.at, e.detail, e.hash) for e in appended
    ]
    assert all(r.at.tzinfo is UTC for r in stored)
    result = verify_log(store_url)
    assert (result.ok, result.head) == (True, Head(appended[-1].seq, appended[-1].hash))
