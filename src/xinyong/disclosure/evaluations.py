"""A subject's evaluations as a principal may see them (the API's, later the portal's).

The rule is :func:`xinyong.disclosure.model.score_visible`; this module applies
it before anything is computed, and audits every read of a natural person's
score. An operator reading one is logged like a read of the person's file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from xinyong.disclosure.model import PUBLIC_ROLES, Access, score_visible
from xinyong.disclosure.service import audit_access
from xinyong.evaluation.errors import EvaluationHiddenError
from xinyong.evaluation.explain import Explanation, Reason
from xinyong.evaluation.rules import points_of
from xinyong.evaluation.service import Result, explain_subject, stored_results, subject_kind
from xinyong.keys.model import Principal, Role
from xinyong.policy.loader import LoadedPack
from xinyong.policy.model import ScoringModel
from xinyong.store.engine import Store
from xinyong.store.queries import evaluation as queries
from xinyong.store.queries.evaluation import ResultRow
from xinyong.store.uow import UnitOfWork


@dataclass(frozen=True)
class SubjectEvaluation:
    result: Result
    explanation: Explanation
    stored: ResultRow | None  # the latest stored result of the model, to compare


def access_evaluations(
    store: Store,
    loaded: LoadedPack,
    principal: Principal,
    code: str,
    *,
    as_of: date,
    now: datetime,
    model_code: str | None = None,
) -> tuple[str, list[SubjectEvaluation]]:
    """The subject's code and each evaluation ``principal`` may see, explained."""
    value, kind = subject_kind(store, code)
    if kind == "natural" and not score_visible(principal.role, kind, False):
        raise EvaluationHiddenError()
    explained = explain_subject(store, loaded, value, as_of=as_of, model_code=model_code)
    shown = [
        (r, why)
        for r, why in explained
        if score_visible(principal.role, kind, r.model.public_for_legal_persons)
    ]
    if kind == "natural":
        detail = {"role": principal.role.value, "natural_person": True,
                  "models": [r.model.code for r, _ in shown], "as_of": as_of.isoformat()}  # fmt: skip
        audit_access(store, principal, Access("evaluation.read", f"subject:{value}", detail), now)
    if principal.role in PUBLIC_ROLES:
        shown = [(r, _undisclosed_merged(store, why, as_of)) for r, why in shown]
    latest = {r.model_code: r for r in stored_results(store, value)}
    return value, [SubjectEvaluation(r, why, latest.get(r.model.code)) for r, why in shown]


def _undisclosed_merged(store: Store, why: Explanation, as_of: date) -> Explanation:
    """The explanation with records the public may not see folded into one line.

    A public grade is explained to the public, but not by naming records that
    are shared or authorised only (or past their public period): their points
    show as one ``undisclosed`` line, so the lines still sum to the score.
    The days on which such records leave are kept, without their ids.
    """
    ids = [r.record_id for r in why.reasons if r.record_id is not None]
    with UnitOfWork(store, read_only=True) as uow:
        public = queries.public_until(uow.connection, ids)
    shown, hidden = [], 0
    for line in why.reasons:
        until = public.get(line.record_id or "", as_of)
        if line.code == "record" and (line.record_id not in public or (until and until < as_of)):
            hidden += round(line.points * 100)
        else:
            shown.append(line)
    if hidden:
        shown.append(Reason("undisclosed", points_of(hidden)))
        shown.sort(key=lambda r: -abs(r.points))
    visible = {r.record_id for r in shown}
    changes = tuple(
        replace(c, leaving=tuple(i if i in visible else "undisclosed" for i in c.leaving))
        for c in why.changes
    )
    return replace(why, reasons=tuple(shown), changes=changes)


@dataclass(frozen=True)
class PublicGrade:
    """A legal person's grade by a model that publishes it, from the latest stored run."""

    model: ScoringModel
    grade: str
    as_of: date


def public_grades(
    store: Store, loaded: LoadedPack, code: str, subject_kind: str
) -> list[PublicGrade]:
    """The grades a subject page may show: stored results of public models; none for a person.

    Read from the latest stored run (fast, and the grade the node published),
    never computed for the page; the score itself is not shown, only the grade.
    """
    models = {
        m.code: m
        for m in loaded.pack.scoring
        if score_visible(Role.PUBLIC, subject_kind, m.public_for_legal_persons)
    }
    if not models:
        return []
    return [
        PublicGrade(models[row.model_code], row.grade, row.as_of)
        for row in stored_results(store, code)
        if row.model_code in models and row.run_id is not None
    ]
