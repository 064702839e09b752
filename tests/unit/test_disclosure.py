"""Disclosure rules: record filters by role, masking, and which reads are audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from xinyong.disclosure.model import (
    PUBLISHED_STATUSES,
    SHARED_STATUSES,
    Masks,
    disclose_subject,
    disclose_view,
    masks_for,
    record_filter,
    records_access,
    subject_access,
    trim_payload,
)
from xinyong.keys.model import Role
from xinyong.policy.model import CatalogItem
from xinyong.registry.model import (
    LegalRepresentative,
    Profession,
    Record,
    Subject,
    SubjectRecords,
    SubjectView,
)

TODAY = date(2026, 3, 2)
PERSON = Subject(
    code="350102198506152349",
    code_kind="resident_id",
    subject_kind="natural",
    name="欧阳小明",
    region_code="350102",
    established_on=date(1985, 6, 15),
)
COMPANY = Subject(
    code="91350100M000100Y43",
    code_kind="uscc",
    subject_kind="legal",
    name="福州示例科技有限公司",
    region_code="350100",
    legal_representative=LegalRepresentative("张三", "350102198506152349"),
    established_on=date(2015, 7, 1),
)


def _record(scope: str, record_id: str = "r1") -> Record:
    return Record(
        record_id=record_id,
        version=1,
        subject_code=COMPANY.code,
        catalog_item="adm.penalty",
        department="samr",
        jurisdiction="national",
        document_number="1",
        decided_on=TODAY,
        polarity="negative",
        payload={"violation_type": "v", "secret_field": "s"},
        disclosure_scope=scope,
        status="active",
        valid_from=datetime(2026, 3, 1, tzinfo=UTC),
    )


def _page(subject: Subject, *records: Record) -> SubjectRecords:
    return SubjectRecords(subject, records, total=len(records), limit=50, offset=0)


@pytest.mark.parametrize(
    ("role", "scopes", "statuses", "published_only"),
    [
        (Role.OPERATOR, {"public", "shared", "authorised"}, None, False),
        (Role.DEPARTMENT, {"public", "shared"}, SHARED_STATUSES, False),
        (Role.CHECKER, {"public", "shared"}, SHARED_STATUSES, False),
        (Role.AGENCY, {"public"}, PUBLISHED_STATUSES, True),
        (Role.PUBLIC, {"public"}, PUBLISHED_STATUSES, True),
    ],
)
def test_record_filter_by_role(
    role: Role, scopes: set[str], statuses: frozenset[str] | None, published_only: bool
) -> None:
    rule = record_filter(role, TODAY)
    assert rule.scopes == scopes
    assert rule.statuses == statuses
    assert rule.disclosed_on == (TODAY if published_only else None)


def test_a_repaired_record_is_no_longer_shared_with_departments() -> None:
    assert "repaired" not in SHARED_STATUSES  # Order 36: repair stops sharing, not only publication
    assert "repaired" not in PUBLISHED_STATUSES
    assert {"active", "under_objection"} <= SHARED_STATUSES


@pytest.mark.parametrize(
    ("role", "natural", "legal"),
    [
        (Role.OPERATOR, Masks(False, False), Masks(False, False)),
        (Role.DEPARTMENT, Masks(False, False), Masks(False, False)),
        (Role.CHECKER, Masks(False, False), Masks(False, False)),
        (Role.AGENCY, Masks(code=False, name=True), Masks(False, False)),
        (Role.PUBLIC, Masks(code=True, name=True), Masks(False, False)),
    ],
)
def test_masks_only_natural_persons(role: Role, natural: Masks, legal: Masks) -> None:
    assert masks_for(role, "natural") == natural
    assert masks_for(role, "legal") == legal


def test_a_public_view_of_a_person_keeps_no_birth_date_and_masks_a_compound_surname() -> None:
    shown, _ = disclose_subject(PERSON, Role.PUBLIC)
    assert (shown.code, shown.name, shown.established_on) == ("350102********2349", "欧阳**", None)
    whole, _ = disclose_subject(PERSON, Role.DEPARTMENT)
    assert whole == PERSON


def test_public_roles_do_not_see_professions() -> None:
    view = SubjectView(PERSON, (Profession("lawyer", TODAY, "justice", "national"),), ())
    assert disclose_view(view, Role.AGENCY).view.professions == ()
    assert disclose_view(view, Role.CHECKER).view.professions == view.professions


def test_payload_fields_fail_closed_for_the_public(national_item: CatalogItem) -> None:
    record = _record("public")
    assert trim_payload(record, national_item, Role.PUBLIC).payload == {"violation_type": "v"}
    assert trim_payload(record, None, Role.PUBLIC).payload == {}  # an item the node lacks
    assert trim_payload(record, None, Role.OPERATOR).payload == record.payload


@pytest.fixture
def national_item() -> CatalogItem:
    from xinyong.policy.loader import load_pack

    item = load_pack("national").pack.item("adm.penalty")
    assert item is not None
    return item


def test_a_persons_page_is_audited_for_every_role_even_masked() -> None:
    for role in Role:
        access = subject_access(SubjectView(PERSON, (), ()), role)
        assert access is not None
        assert (access.action, access.target) == ("subject.read", f"subject:{PERSON.code}")
        assert access.detail["natural_person"] is True


def test_a_companys_page_is_audited_only_when_it_shows_the_representatives_id() -> None:
    view = SubjectView(COMPANY, (), ())
    assert subject_access(view, Role.PUBLIC) is None  # the ID is masked for the public
    access = subject_access(view, Role.CHECKER)
    assert access is not None
    assert access.detail["legal_representative_id"] is True
    without_id = SubjectView(replace(COMPANY, legal_representative=None), (), ())
    assert subject_access(without_id, Role.OPERATOR) is None


def test_records_are_audited_when_non_public_or_about_a_person() -> None:
    assert records_access(_page(COMPANY, _record("public")), Role.OPERATOR) is None
    mixed = records_access(
        _page(COMPANY, _record("public", "a"), _record("shared", "b")), Role.CHECKER
    )
    assert mixed is not None
    assert mixed.detail["records"] == [{"record_id": "b", "version": 1, "scope": "shared"}]
    person = records_access(_page(PERSON, _record("public", "c")), Role.PUBLIC)
    assert person is not None
    assert [r["record_id"] for r in person.detail["records"]] == ["c"]
    assert records_access(_page(PERSON), Role.PUBLIC) is not None  # even an empty page
