"""A small Rongcheng city to evaluate: a company with penalties, a court order and commendations; a volunteer."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.lists.helpers import (
    COMPANY,
    PERSON,
    Node,
    at,
    court_defaulter,
    penalty,
    person_registration,
    registration,
    send,
)

AS_OF = date(2026, 10, 15)


def volunteering(code: str, number: str, decided: str) -> dict[str, Any]:
    return {"subject_code": code, "subject_name": "李四", "catalog_item": "volunteer.service",
            "document_number": number, "decided_on": decided,
            "payload": {"hours": "4", "activity": "社区服务"}}  # fmt: skip


def commendation(code: str, number: str, decided: str) -> dict[str, Any]:
    return {"subject_code": code, "subject_name": "荣成示例海洋食品有限公司",
            "catalog_item": "honour.commendation", "document_number": number,
            "decided_on": decided, "payload": {"title": "守合同重信用企业", "level": "city"}}  # fmt: skip


def build_city(node: Node) -> Node:
    """A company with two penalties, a court order and three commendations; a volunteer."""
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [person_registration()], "psb", at(2026, 9, 1))
    send(node, [penalty("荣市监罚〔2026〕1号", "serious", decided="2026-03-10"),
                penalty("荣市监罚〔2025〕9号", "general", decided="2025-11-20")]
         + [commendation(COMPANY, f"荣政表〔2026〕{n}号", f"2026-0{n}-01") for n in (1, 2, 3)],
         "samr", at(2026, 9, 2))  # fmt: skip
    send(node, [court_defaulter(decided="2026-09-25")], "court", at(2026, 9, 29))
    send(node, [volunteering(PERSON, f"VS-{n}", f"2026-0{n}-15") for n in range(1, 8)],
         "volunteer", at(2026, 9, 30))  # fmt: skip
    return node
