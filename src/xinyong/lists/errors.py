"""Errors of the listing procedure that a user (operator, department, API caller) can cause."""

from __future__ import annotations

from xinyong.errors import NotFoundError, UserInputError, XinyongError
from xinyong.i18n import gettext_noop as _


class UnknownListError(NotFoundError):
    code = "list-unknown"
    message = _("there is no list {list} in this node's policy pack; lists: {known}")


class EntryNotFoundError(NotFoundError):
    code = "list-entry-not-found"
    message = _("list entry {entry} was not found")


class EntryStepRefusedError(XinyongError):
    """A step the procedure forbids (listing before the window has passed, removing twice …)."""

    code = "list-step-refused"
    status = 409
    message = _("list entry {entry}: {reason}")


class RemovalReasonError(UserInputError):
    code = "list-removal-reason"
    message = _("say why the entry is removed (a decision needs its reason and document)")
