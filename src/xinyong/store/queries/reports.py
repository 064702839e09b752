"""Queries of credit reports: store one issued, find one by its verification code."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from xinyong.store.tables import credit_report


@dataclass(frozen=True)
class ReportRow:
    verification_code: str
    subject_code: str
    shown_code: str
    shown_name: str
    issued_at: datetime
    locale: str
    policy_version: str
    pdf_sha256: str
    pages: int


def insert_report(conn: Connection, row: ReportRow) -> None:
    conn.execute(insert(credit_report).values(**asdict(row)))


def get_report(conn: Connection, verification_code: str) -> ReportRow | None:
    found = conn.execute(
        select(credit_report).where(credit_report.c.verification_code == verification_code)
    )
    row = found.mappings().first()
    return ReportRow(**row) if row is not None else None
