"""A broken chain reads as one sentence in each locale."""

from __future__ import annotations

import pytest

from xinyong.audit.errors import MEANINGS, AuditChainBrokenError
from xinyong.i18n import catalog


@pytest.mark.parametrize("differs", sorted(MEANINGS))
def test_every_meaning_is_translated(differs: str) -> None:
    assert MEANINGS[differs] in catalog("zh-CN")


def test_the_meaning_is_rendered_in_the_locale_asked_for() -> None:
    err = AuditChainBrokenError(seq=7, differs="prev_hash", expected="aa", found="bb")
    assert err.render() == (
        "audit log broken at seq 7: prev_hash differs, expected aa, found bb "
        "(the entry before it was removed or replaced)"
    )
    assert err.render("zh-CN").endswith("（其前一条目已被删除或替换）")
    assert err.problem("zh-CN").message == err.render("zh-CN")
    assert err.problem().code == "audit-chain-broken"
