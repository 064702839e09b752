"""Errors of checks that a caller can cause: an unknown matter, too many subjects, bad feedback."""

from __future__ import annotations

from xinyong.errors import NotFoundError, UserInputError, XinyongError
from xinyong.i18n import gettext_noop as _


class UnknownMatterError(XinyongError):
    code = "check-unknown-matter"
    status = 422
    message = _("there is no matter {matter} in this node's policy pack; matters: {known}")


class TooManySubjectsError(XinyongError):
    code = "check-too-many-subjects"
    status = 413
    message = _("{count} subjects in one call; send at most {limit} per call")


class CheckNotFoundError(NotFoundError):
    code = "check-not-found"
    message = _("check {check} was not found")


class CheckScopeError(XinyongError):
    code = "check-scope"
    status = 403
    message = _("check {check} was made with another key; feedback comes from who checked")


class FeedbackReasonError(UserInputError):
    code = "check-feedback-reason"
    message = _("say why the measures were or were not applied (`reason`)")
