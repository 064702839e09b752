"""The chain's rules in plain Python: hashing, linking, verifying, refusing what cannot round-trip."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from xinyong.audit.errors import AuditHeadFormatError
from xinyong.audit.model import (
    EMPTY,
    GENESIS,
    AuditDraft,
    AuditEntry,
    Break,
    Head,
    link_drafts,
    link_hash,
    normalise_detail,
    parse_head,
    verify_chain,
)

AT = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def chain(n: int) -> list[AuditEntry]:
    drafts = [AuditDraft("cli:op", "record.read", f"record:{i}", {"i": i}) for i in range(n)]
    return link_drafts(EMPTY, drafts, AT)


def test_the_encoding_is_pinned() -> None:
    # Changing the encoding would invalidate every chain already stored.
    expected_text = (
        '["' + GENESIS + '",1,"2026-03-02T01:30:00.000000+00:00","cli:op","subject.read",'
        '"subject:91350100M000100Y43",{"a":[1,"乙"],"z":{"b":null,"中":true}}]'
    )
    digest = link_hash(
        GENESIS,
        1,
        AT,
        "cli:op",
        "subject.read",
        "subject:91350100M000100Y43",
        {"z": {"中": True, "b": None}, "a": [1, "乙"]},
    )
    assert digest == hashlib.sha256(expected_text.encode()).hexdigest()
    assert digest == "1199f0eb55b294dd14e8db0268fc4ded388ac02ddcd1d8e37eb1002e834968fd"


def test_the_same_instant_in_another_zone_hashes_the_same() -> None:
    beijing = AT.astimezone(timezone(timedelta(hours=8)))
    assert link_hash(GENESIS, 1, beijing, "a", "b", "c", {}) == link_hash(
        GENESIS, 1, AT, "a", "b", "c", {}
    )


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        link_drafts(EMPTY, [AuditDraft("a", "b", "c", {})], datetime(2026, 3, 2))


def test_linking_starts_at_genesis_and_chains() -> None:
    entries = chain(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    assert len({e.hash for e in entries}) == 3


def test_linking_continues_after_a_given_head() -> None:
    first = chain(2)
    more = link_drafts(Head(2, first[-1].hash), [AuditDraft("a", "b", "c", {})], AT)
    assert (more[0].seq, more[0].prev_hash) == (3, first[-1].hash)
    assert verify_chain([*first, *more]).ok


def test_an_empty_log_verifies_with_the_genesis_head() -> None:
    result = verify_chain([])
    assert (result.ok, result.count, result.head) == (True, 0, EMPTY)


def test_an_intact_chain_verifies_and_reports_its_head() -> None:
    entries = chain(5)
    result = verify_chain(iter(entries))
    assert result.ok
    assert result.count == 5
    assert result.head == Head(5, entries[-1].hash)


def test_an_altered_entry_is_a_hash_break_at_its_seq() -> None:
    entries = chain(5)
    original = entries[2]
    altered = replace(original, actor="someone else")
    entries[2] = altered
    recomputed = link_hash(
        altered.prev_hash, 3, altered.at, altered.actor, altered.action, altered.target, {"i": 2}
    )
    result = verify_chain(entries)
    assert result.broken == Break(3, "hash", recomputed, original.hash)
    assert result.count == 2
    assert result.head == Head(2, entries[1].hash)


def test_a_removed_entry_is_a_seq_break_at_the_next_one() -> None:
    entries = chain(5)
    del entries[2]
    assert verify_chain(entries).broken == Break(4, "seq", "3", "4")


def test_a_removed_first_entry_is_caught() -> None:
    assert verify_chain(chain(3)[1:]).broken == Break(2, "seq", "1", "2")


def test_a_removed_entry_with_the_rest_renumbered_is_a_prev_hash_break() -> None:
    entries = chain(5)
    renumbered = [*entries[:2], *(replace(e, seq=e.seq - 1) for e in entries[3:])]
    assert verify_chain(renumbered).broken == Break(
        3, "prev_hash", entries[1].hash, entries[2].hash
    )


def test_a_self_consistent_replacement_is_caught_at_the_entry_after_it() -> None:
    entries = chain(4)
    (forged,) = link_drafts(
        Head(2, entries[1].hash), [AuditDraft("cli:op", "record.read", "record:x", {})], AT
    )
    entries[2] = forged
    assert verify_chain(entries).broken == Break(4, "prev_hash", forged.hash, entries[3].prev_hash)


def test_a_hash_changed_together_with_the_next_prev_hash_is_still_caught() -> None:
    entries = chain(4)
    original = entries[1].hash
    entries[1] = replace(entries[1], hash="f" * 64)
    entries[2] = replace(entries[2], prev_hash="f" * 64)
    assert verify_chain(entries).broken == Break(2, "hash", original, "f" * 64)


def test_the_expected_head_matches_a_chain_that_grew_since() -> None:
    entries = chain(5)
    assert verify_chain(entries, expected_head=Head(3, entries[2].hash)).ok


def test_a_cut_off_tail_is_caught_only_against_the_expected_head() -> None:
    entries = chain(5)
    head = Head(5, entries[-1].hash)
    assert verify_chain(entries[:3]).ok
    result = verify_chain(entries[:3], expected_head=head)
    assert result.broken == Break(5, "head", head.hash, "none")
    assert (result.count, result.head) == (3, Head(3, entries[2].hash))


def test_a_rewritten_chain_is_caught_only_against_the_expected_head() -> None:
    entries = chain(3)
    rewritten = link_drafts(EMPTY, [AuditDraft("x", "y", "z", {}) for _ in range(3)], AT)
    assert verify_chain(rewritten).ok
    result = verify_chain(rewritten, expected_head=Head(2, entries[1].hash))
    assert result.broken == Break(2, "head", entries[1].hash, rewritten[1].hash)


def test_verify_stops_at_the_first_break() -> None:
    entries = chain(5)
    entries[1] = replace(entries[1], target="changed")
    entries[3] = replace(entries[3], target="changed too")
    broken = verify_chain(entries).broken
    assert broken is not None
    assert broken.seq == 2


def test_normalise_detail_copies_and_turns_tuples_into_lists() -> None:
    given = {"ids": (1, 2), "nested": {"名称": ["甲", None, True]}}
    normalised = normalise_detail(given)
    assert normalised == {"ids": [1, 2], "nested": {"名称": ["甲", None, True]}}
    assert normalised["nested"] is not given["nested"]


@pytest.mark.parametrize(
    ("detail", "message"),
    [
        ({"score": 1.5}, r"detail\.score: float"),
        ({1: "one"}, "key 1 is not a string"),
        ({"a": ["ok", "nul\x00"]}, r"detail\.a\[1\]: the NUL character"),
        ({"a": {"b": b"bytes"}}, r"detail\.a\.b: bytes"),
        ({"lone": "\udc80"}, r"detail\.lone: surrogates not allowed"),
    ],
)
def test_details_that_would_not_read_back_unchanged_are_refused(
    detail: dict[object, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        link_drafts(EMPTY, [AuditDraft("a", "b", "c", detail)], AT)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (AuditDraft("", "b", "c", {}), "actor must have 1 to 200"),
        (AuditDraft("a", "b" * 65, "c", {}), "action must have 1 to 64 characters, got 65"),
        (AuditDraft("a", "b", "c" * 301, {}), "target must have 1 to 300"),
    ],
)
def test_names_must_fit_their_columns(draft: AuditDraft, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        link_drafts(EMPTY, [draft], AT)


def test_parse_head_reads_what_verify_prints() -> None:
    digest = "AB" * 32
    assert parse_head(f" 42:{digest} ") == Head(42, digest.lower())


@pytest.mark.parametrize("text", ["42", "x:" + "a" * 64, "42:" + "a" * 63, "42:" + "g" * 64, ""])
def test_parse_head_refuses_anything_else(text: str) -> None:
    with pytest.raises(AuditHeadFormatError):
        parse_head(text)
