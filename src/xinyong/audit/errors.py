"""Errors of the audit log: a broken chain, and a head given in the wrong form.

Plain values only (no import of the model), so that the model can raise them.
"""

from __future__ import annotations

from xinyong.errors import Problem, UserInputError, XinyongError
from xinyong.i18n import gettext_noop as _
from xinyong.i18n import translate

# What each kind of break means for the person reading the report.
MEANINGS = {
    "seq": _("an entry is missing or out of order"),
    "prev_hash": _("the entry before it was removed or replaced"),
    "hash": _("the entry was changed after it was written"),
    "head": _("the log does not reach the head noted earlier: entries were cut off or rewritten"),
}


class AuditChainBrokenError(XinyongError):
    """The audit log's hash chain is broken; the message names the first broken link.

    Entries before ``seq`` verify; nothing from ``seq`` on can be trusted.
    """

    code = "audit-chain-broken"
    status = 500
    message = _(
        "audit log broken at seq {seq}: {differs} differs, expected {expected}, "
        "found {found} ({meaning})"
    )

    def __init__(self, *, seq: int, differs: str, expected: str, found: str) -> None:
        super().__init__(
            seq=seq, differs=differs, expected=expected, found=found, meaning=MEANINGS[differs]
        )

    def render(self, locale: str = "en") -> str:
        return self._text(locale)

    def problem(self, locale: str = "en") -> Problem:
        return Problem(self.where, self.code, self._text(locale))

    def _text(self, locale: str) -> str:
        # The meaning is a message of its own, translated with the rest.
        fields = {**self.fields, "meaning": translate(self.fields["meaning"], locale)}
        return translate(self.message, locale).format(**fields)


class AuditHeadFormatError(UserInputError):
    """A head to verify against is not written ``SEQ:HASH``."""

    code = "audit-head-format"
    message = _(
        "a head is written SEQ:HASH, as `xinyong audit verify` prints it (a whole number, "
        "a colon and 64 hexadecimal digits), got {value!r}"
    )
