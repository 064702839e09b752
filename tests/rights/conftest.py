"""A Rongcheng node (both databases) with a company whose court record makes it a defaulter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lists.helpers import COMPANY, Node, at, court_defaulter, registration, send
from xinyong.config import Settings
from xinyong.keys.model import Principal, Role
from xinyong.policy.service import node_pack
from xinyong.registry.service import initialise_node
from xinyong.store.engine import open_store

COURT = Principal(key_id=2, prefix="court0001", name="court clerk", role=Role.DEPARTMENT,
                  department="court", jurisdiction="rongcheng")  # fmt: skip
SAMR = Principal(key_id=3, prefix="samr00001", name="samr clerk", role=Role.DEPARTMENT,
                 department="samr", jurisdiction="rongcheng")  # fmt: skip
OPERATOR = Principal(key_id=1, prefix="op0000001", name="operator", role=Role.OPERATOR)
CHECKER = Principal(key_id=4, prefix="chk000001", name="checker", role=Role.CHECKER)
SUBJECT = "subject:" + COMPANY  # the filer, as the audit log names them


@pytest.fixture
def node(tmp_path: Path, store_url: str) -> Iterator[Node]:
    settings = Settings(data_dir=tmp_path, database_url=store_url, jurisdiction="rongcheng")
    initialise_node(settings)
    store = open_store(store_url)
    yield settings, store, node_pack(settings)
    store.dispose()


@pytest.fixture
def reported(node: Node) -> Node:
    """The company registered, and the court's defaulter record reported on 28 September 2026."""
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [court_defaulter()], "court", at(2026, 9, 28))
    return node
