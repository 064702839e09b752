"""Errors of evaluation a user can cause: an unknown model or engine, a subject not graded."""

from __future__ import annotations

from xinyong.errors import NotFoundError, UserInputError, XinyongError
from xinyong.i18n import gettext_noop as _


class UnknownModelError(NotFoundError):
    code = "evaluation-model-unknown"
    message = _("there is no scoring model {model} in this node's policy pack; models: {known}")


class EngineUnavailableError(UserInputError):
    code = "evaluation-engine-unavailable"
    message = _("the {engine} engine cannot run here: {reason}")


class NotGradedError(NotFoundError):
    """The subject is of a kind the model does not grade, or not active."""

    code = "evaluation-not-graded"
    message = _("model {model} does not grade {subject} (it grades: {kinds}; active subjects only)")


class EvaluationHiddenError(XinyongError):
    """A natural person's score, asked for by someone who may not see it."""

    code = "evaluation-hidden"
    status = 403
    message = _(
        "a natural person's score is shown only to that person and to authorised departments"
    )
