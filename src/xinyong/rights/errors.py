"""Errors of the rights workflows a user can cause (subject, department, operator)."""

from __future__ import annotations

from xinyong.errors import NotFoundError, UserInputError, XinyongError
from xinyong.i18n import gettext_noop as _


class ObjectionNotFoundError(NotFoundError):
    code = "objection-not-found"
    message = _("objection {objection} was not found")


class ObjectionTargetError(NotFoundError):
    """The item is not on the subject's file, or no longer current."""

    code = "objection-target-not-found"
    message = _("{item} is not a current item of the file of {subject}")


class ObjectionAlreadyOpenError(XinyongError):
    code = "objection-already-open"
    status = 409
    message = _("{item} is already under objection (objection {objection}, decided by {due_on})")


class ObjectionStepError(XinyongError):
    """A step the rules forbid: deciding twice, extending past the longest, no reason …"""

    code = "objection-step-refused"
    status = 409
    message = _("objection {objection}: {reason}")


class ObjectionInputError(UserInputError):
    code = "objection-invalid"
    message = _("{reason}")


class ObjectionForbiddenError(XinyongError):
    """A department may decide only the objections to its own records."""

    code = "objection-forbidden"
    status = 403
    message = _("objection {objection} is decided by department {department}, not by {caller}")


class AttachmentRefusedError(XinyongError):
    code = "attachment-refused"
    status = 415
    message = _("attachment {filename} refused: {reason}")


class AttachmentTooLargeError(XinyongError):
    code = "attachment-too-large"
    status = 413
    message = _("attachment {filename} refused: larger than {limit} bytes")


class TooManyAttachmentsError(UserInputError):
    code = "attachments-too-many"
    message = _("at most {limit} attachments to one objection")


class RepairNotFoundError(NotFoundError):
    code = "repair-not-found"
    message = _("repair {repair} was not found")


class RepairNotYetError(XinyongError):
    """Applied before the minimum public period has passed: the day it becomes possible."""

    code = "repair-not-yet"
    status = 409
    message = _("{reason}; apply from {possible_on}")


class RepairRefusedError(UserInputError):
    """The record cannot be repaired (not negative, excluded, not standing) or a material is missing."""

    code = "repair-refused"
    message = _("credit repair refused: {reason}")


class RepairAlreadyOpenError(XinyongError):
    code = "repair-already-open"
    status = 409
    message = _(
        "record {record} already has an open repair application ({repair}, decided by {due_on})"
    )


class RepairStepError(XinyongError):
    code = "repair-step-refused"
    status = 409
    message = _("repair {repair}: {reason}")


class RepairForbiddenError(XinyongError):
    code = "repair-forbidden"
    status = 403
    message = _("repair {repair} is decided by department {department}, not by {caller}")


class NotificationNotFoundError(NotFoundError):
    code = "notification-not-found"
    message = _("notification {notification} was not found")


class UnknownPurposeError(NotFoundError):
    code = "purpose-unknown"
    message = _("there is no purpose {purpose} in this node's policy pack; purposes: {known}")


class ConsentNotFoundError(NotFoundError):
    code = "consent-not-found"
    message = _("consent {consent} was not found")


class ConsentInputError(UserInputError):
    code = "consent-invalid"
    message = _("consent refused: {reason}")


class ConsentMissingError(XinyongError):
    """An authorised query without a consent in force: refused, and logged for the subject."""

    code = "consent-missing"
    status = 403
    message = _(
        "no consent of {subject} is in force for this agency and purpose {purpose}; "
        "the attempt is logged and shown to the subject"
    )


class QueueForbiddenError(XinyongError):
    code = "rights-queue-forbidden"
    status = 403
    message = _("only the operator and the reporting departments read these queues, not {caller}")


class AccountInputError(UserInputError):
    code = "account-invalid"
    message = _("account refused: {reason}")


class SignInRefusedError(XinyongError):
    """Wrong login, wrong password or a locked account: one answer for all three."""

    code = "sign-in-refused"
    status = 401
    message = _("wrong login or password, or the account is locked for a while; try again later")


class ProviderSignInError(XinyongError):
    """The identity provider's answer did not verify, or names no account here.

    What went wrong (state, signature, nonce, an unlinked ``sub``) is in the
    audit log, not in the answer.
    """

    code = "provider-sign-in-refused"
    status = 401
    message = _(
        "the sign-in through the identity provider could not be completed; please try again"
    )


class ProviderUnavailableError(XinyongError):
    code = "provider-unavailable"
    status = 502
    message = _("the identity provider did not answer; sign in again later or with a password")
