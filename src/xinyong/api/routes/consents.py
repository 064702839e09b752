"""Consent (授权), authorised queries by agencies, and a subject's query history (thin).

The operator grants and revokes at the counter on a subject's behalf;
subjects do it from their own portal page. Agencies query with consent.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from xinyong.api.auth import require
from xinyong.api.deps import NodeDep
from xinyong.api.problems import answered_as, problem_responses
from xinyong.api.schemas_consents import AuthorisedOut, ConsentIn, ConsentOut, QueryOut
from xinyong.codes import CodeError
from xinyong.keys.model import Principal, Role
from xinyong.rights.consent_service import (
    authorised_query,
    consents,
    grant_consent,
    query_history,
    revoke_consent,
)

router = APIRouter(prefix="/api/v1", tags=["consents"])
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
Agency = Annotated[Principal, Depends(require(Role.AGENCY))]
Code = Annotated[str, Path(max_length=32, description="USCC or resident ID.")]


@router.post(
    "/subjects/{code}/consents",
    summary="Grant an agency consent for a purpose (at the counter)",
    status_code=201,
    responses=problem_responses(400, 401, 403, 404, 422, 429),
)
def post_consent(code: Code, body: ConsentIn, node: NodeDep, principal: Operator) -> ConsentOut:
    with answered_as(400, CodeError):
        granted = grant_consent(node.store, node.pack, subject_code=code,
                                agency_prefix=body.agency, purpose=body.purpose,
                                until=body.until, granted_by=principal.actor,
                                now=node.clock())  # fmt: skip
    return ConsentOut.of(granted)


@router.get(
    "/subjects/{code}/consents",
    summary="A subject's consents",
    responses=problem_responses(400, 401, 403, 404, 429),
)
def get_consents(code: Code, node: NodeDep, principal: Operator) -> list[ConsentOut]:
    with answered_as(400, CodeError):
        return [ConsentOut.of(c) for c in consents(node.store, code)]


@router.post(
    "/consents/{consent_id}/revoke",
    summary="Revoke a consent, with immediate effect",
    responses=problem_responses(400, 401, 403, 404, 429),
)
def post_revoke(
    consent_id: Annotated[int, Path(ge=1, le=2**62)], node: NodeDep, principal: Operator
) -> ConsentOut:
    return ConsentOut.of(revoke_consent(node.store, consent_id, by=principal.actor,
                                        now=node.clock()))  # fmt: skip


@router.get(
    "/subjects/{code}/authorised",
    summary="An agency's authorised query of a subject's file, under consent",
    responses=problem_responses(400, 401, 403, 404, 422, 429),
)
def get_authorised(
    code: Code,
    node: NodeDep,
    principal: Agency,
    purpose: Annotated[str, Query(max_length=64, description="The consented purpose.")],
) -> AuthorisedOut:
    """The fields the purpose allows; 403 ``consent-missing`` (logged) without a consent in force."""
    with answered_as(400, CodeError):
        found = authorised_query(node.store, node.pack, principal, code, purpose,
                                 now=node.clock())  # fmt: skip
    return AuthorisedOut.of(found)


@router.get(
    "/subjects/{code}/history",
    summary="Every check and audited read of a subject's file",
    responses=problem_responses(400, 401, 403, 404, 429),
)
def get_history(code: Code, node: NodeDep, principal: Operator) -> list[QueryOut]:
    node.checker.flush()  # checks still in the buffer are part of the history
    with answered_as(400, CodeError):
        return [QueryOut.of(q) for q in query_history(node.store, code)]
