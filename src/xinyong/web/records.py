"""Records as the subject page and the credit report show them: by category, fields labelled."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from xinyong.policy.model import CatalogItem
from xinyong.registry.model import Record
from xinyong.web.locale import in_locale


@dataclass(frozen=True)
class RecordLine:
    record: Record
    item: str  # the catalog item's name in the page's language
    fields: list[tuple[str, Any]]  # (label, value) of the payload the disclosure left


def record_groups(
    records: Iterable[Record], catalog: Mapping[str, CatalogItem], locale: str
) -> list[tuple[str, list[RecordLine]]]:
    """(category, lines) in category order; an item this node lacks goes under ``other``."""
    groups: dict[str, list[RecordLine]] = {}
    for record in records:
        item = catalog.get(record.catalog_item)
        labels = {f.name: in_locale(f.label, locale) for f in item.payload} if item else {}
        line = RecordLine(record, in_locale(item.name, locale) if item else record.catalog_item,
                          [(labels.get(k, k), v) for k, v in record.payload.items()])  # fmt: skip
        groups.setdefault(item.category if item else "other", []).append(line)
    return sorted(groups.items())
