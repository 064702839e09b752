"""A Rongcheng node (national models plus the city's personal points), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lists.helpers import Node
from xinyong.config import Settings
from xinyong.policy.service import node_pack
from xinyong.registry.service import initialise_node
from xinyong.store.engine import open_store


@pytest.fixture
def node(tmp_path: Path, store_url: str) -> Iterator[Node]:
    settings = Settings(data_dir=tmp_path, database_url=store_url, jurisdiction="rongcheng")
    initialise_node(settings)
    store = open_store(store_url)
    yield settings, store, node_pack(settings)
    store.dispose()
