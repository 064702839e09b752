"""Errors of the subject registry's use cases."""

from __future__ import annotations

from xinyong.errors import NotFoundError, UserInputError
from xinyong.i18n import gettext_noop as _


class SubjectNotFoundError(NotFoundError):
    """No subject is registered under this (valid, normalised) code."""

    code = "subject-not-found"
    message = _("no subject with code {key} is registered")

    def __init__(self, code: str) -> None:
        super().__init__(what="subject", key=code)


class NaturalPersonRepresentativeError(UserInputError):
    """Only legal persons and other organisations have a legal representative."""

    code = "subject-natural-representative"
    message = _("{code} identifies a natural person, who has no legal representative")
