"""Words the pages show for the store's codes (categories, statuses, scopes, states), in English.

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
RECORD_STATUSES = {
    "active": _("Standing"),
    "under_objection": _("Under objection"),
    "corrected": _("Corrected"),
    "repaired": _("Repaired"),
    "revoked": _("Revoked"),
    "expired": _("Past its public period"),
}
SCOPES = {"public": _("Public"), "shared": _("Shared with government"),
          "authorised": _("With your consent only")}  # fmt: skip
CASE_STATES = {  # objections and repair applications
    "open": _("Open"),
    "upheld": _("Upheld"),
    "corrected": _("Corrected"),
    "revoked": _("Revoked"),
    "approved": _("Approved"),
    "refused": _("Refused"),
}
LOOKS = {  # the query history's kinds
    "check": _("Checked for a matter"),
    "subject.read": _("Read the subject page"),
    "records.read": _("Read the records"),
    "evaluation.read": _("Read the evaluation"),
    "authorised.read": _("Queried with consent"),
    "authorised.refused": _("Query refused: no consent"),
    "report.issue": _("Issued a credit report"),
    "file.read": _("Read the whole file"),
}
WORKFLOWS = {"objections": _("Objections"), "repairs": _("Credit repair")}
REASONS = {  # the lines of a score's explanation
    "record": _("A record"),
    "rule_cap": _("A rule's cap"),
    "category_cap": _("A category's cap"),
    "floor": _("The scale's floor"),
    "ceiling": _("The scale's ceiling"),
    "undisclosed": _("Records not disclosed to you"),
}
ENTRY_STATES = {  # a list entry's procedure
    "proposed": _("Proposed"),
    "notified": _("Notified: the objection window runs"),
    "listed": _("Listed"),
    "removed": _("Removed"),
}
