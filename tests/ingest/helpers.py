"""Helpers shared by the ingest tests: the row counts a refused file must leave as they were."""

from __future__ import annotations

from sqlalchemy import func, select

from xinyong.config import Settings
from xinyong.policy.loader import LoadedPack
from xinyong.store.engine import Store
from xinyong.store.tables import audit_event, batch, record, rejected_row, subject

Node = tuple[Settings, Store, LoadedPack]
TABLES = (record, subject, batch, rejected_row, audit_event)


def counts(store: Store) -> dict[str, int]:
    """Rows in each table an ingest writes, by table name."""
    with store.engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in TABLES
        }
