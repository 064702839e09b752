"""Words the pages show for the store's codes (categories, statuses, severities), in English.

Each is a catalog msgid (translated on Chinese pages); a test holds every
category of the closed list, every subject and record status and every
severity to a label here, and every label to a translation.
"""

from __future__ import annotations

from xinyong.i18n import gettext_noop as _

CATEGORIES = {
    "registration": _("Registration"),
    "judicial": _("Judicial"),
    "licensing": _("Administrative licensing"),
    "penalty": _("Administrative penalties"),
    "administrative": _("Other administrative decisions"),
    "qualification": _("Qualifications"),
    "abnormal_operations": _("Abnormal operations"),
    "serious_untrustworthy": _("Seriously untrustworthy"),
    "contract": _("Contract performance"),
    "commitment": _("Credit commitments"),
    "evaluation": _("Credit evaluations"),
    "compliance": _("Tax and social insurance"),
    "honour": _("Honours and commendations"),
    "volunteer": _("Volunteer service"),
    "donation": _("Charitable donations"),
}
STATUSES = {
    "active": _("In business"),
    "cancelled": _("Deregistered"),
    "revoked": _("Licence revoked"),
    "deceased": _("Deceased"),
}
SEVERITIES = {"minor": _("Minor"), "general": _("General"), "serious": _("Serious")}
