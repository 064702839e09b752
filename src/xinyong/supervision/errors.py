"""Errors of supervision a user can cause."""

from __future__ import annotations

from xinyong.errors import NotFoundError, UserInputError, XinyongError
from xinyong.i18n import gettext_noop as _


class UnknownSectorError(UserInputError):
    code = "inspection-sector-unknown"
    message = _("policy {policy} has no sector {sector}; sectors: {known}")


class NoInspectionPolicyError(NotFoundError):
    code = "inspection-policy-unknown"
    message = _("there is no inspection policy {policy} in this node's pack; policies: {known}")


class PeriodFormatError(UserInputError):
    code = "inspection-period-format"
    message = _("a period is a year, a quarter or a month: 2026, 2026Q1 or 2026-03, not {period}")


class PlanExistsError(XinyongError):
    code = "inspection-plan-exists"
    status = 409
    message = _("a plan for {period} and {sector} under {policy} was already drawn (plan {plan})")


class PlanNotDrawnError(UserInputError):
    """Not enough inspectors, or no graded entity: the reason is in the message."""

    code = "inspection-plan-impossible"
    message = _("the plan cannot be drawn: {reason}")


class PlanNotFoundError(NotFoundError):
    code = "inspection-plan-not-found"
    message = _("inspection plan {plan} was not found")


class PlanDocumentError(UserInputError):
    code = "inspection-plan-document"
    message = _("{path}: {reason}")


class RosterError(UserInputError):
    code = "inspection-roster"
    message = _("roster row {row}: {reason}")
