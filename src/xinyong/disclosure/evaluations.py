"""A subject's evaluations as a principal may see them (the API's, later the portal's).

The rule is :func:`xinyong.disclosure.model.score_visible`; this module applies
it before anything is computed, and audits every read of a natural person's
score. An operator reading one is logged like a read of the person's file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from xinyong.disclosure.model import Access, score_visible
from xinyong.disclosure.service import audit_access
from xinyong.evaluation.errors import EvaluationHiddenError
from xinyong.evaluation.explain import Explanation
from xinyong.evaluation.service import Result, explain_subject, stored_results, subject_kind
from xinyong.keys.model import Principal
from xinyong.policy.loader import LoadedPack
from xinyong.store.engine import Store
from xinyong.store.queries.evaluation import ResultRow


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
    latest = {r.model_code: r for r in stored_results(store, value)}
    return value, [SubjectEvaluation(r, why, latest.get(r.model.code)) for r, why in shown]
