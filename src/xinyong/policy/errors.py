"""Errors of policy packs. Each problem names the file, the key path and what is wrong."""

from __future__ import annotations

from xinyong.errors import ProblemsError, XinyongError
from xinyong.i18n import gettext_noop as _


class PackError(ProblemsError):
    """A pack that does not validate; carries every problem found, not just the first."""

    code = "pack-invalid"
    status = 422
    message = _("{count} problem(s) in policy pack {source}")


class PackNotFoundError(XinyongError):
    code = "pack-not-found"
    status = 404
    message = _("policy pack {pack!r} not found; available packs: {available}")


# Problem codes inside a PackError (documented in docs/errors.md).
PROBLEM_CODES: dict[str, str] = {
    "pack-syntax": "The file is not valid TOML (line and column given).",
    "pack-unknown-key": "A key the pack format does not define (often a typo).",
    "pack-missing-key": "A required key is absent.",
    "pack-type": "A value has the wrong type or form.",
    "pack-invalid-value": "A value breaks a rule of its section (dates, bands, periods …).",
    "pack-prohibited-category": "A catalog item uses a category Xinyong refuses to record.",
    "pack-prohibited-field": "A payload field would record a prohibited category.",
    "pack-unknown-reference": "A code refers to a department, item, list or measure that does not exist.",
    "pack-duplicate-code": "Two entries of one section share a code, or a section is defined twice.",
    "pack-overlap": "Two dated regimes of the same kind are in force on the same day.",
    "pack-extends": "The parent pack is unknown, the chain has a cycle, or levels are out of order.",
    "pack-remove": "A `remove` entry names something the parent does not have.",
}
