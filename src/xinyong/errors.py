"""One tree of errors for the whole platform.

Every error a user can cause has a stable ``code`` (documented in
docs/errors.md), an HTTP ``status`` for the API, and a message template that a
clerk can act on, translated through :mod:`xinyong.i18n`. Domain code raises
these; only the outermost handler (CLI, API, portal) renders them, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from xinyong.i18n import gettext_noop as _
from xinyong.i18n import said, translate


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located precisely.

    ``where`` names the place a person would look: a file and key path in a
    policy pack, or a row and column in a department file.
    """

    where: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.code}]" if self.where else self.message


class XinyongError(Exception):
    """Base of every error Xinyong raises on purpose."""

    code: ClassVar[str] = "xinyong-error"
    status: ClassVar[int] = 500
    message: ClassVar[str] = _("internal error")

    def __init__(self, *, where: str = "", **fields: Any) -> None:
        self.where = where
        self.fields = fields
        super().__init__(self.render())

    def render(self, locale: str = "en") -> str:
        """The message for a person, in ``locale``, with its fields filled in."""
        text = translate(self.message, locale).format(**said(self.fields, locale))
        return f"{self.where}: {text}" if self.where else text

    def problem(self, locale: str = "en") -> Problem:
        detail = translate(self.message, locale).format(**said(self.fields, locale))
        return Problem(self.where, self.code, detail)


class UserInputError(XinyongError):
    """The input given to a command or endpoint is wrong; the user can fix it."""

    code = "invalid-input"
    status = 400
    message = _("{detail}")


class NotFoundError(XinyongError):
    code = "not-found"
    status = 404
    message = _("{what} {key} was not found")


class ProblemsError(XinyongError):
    """Several problems found in one input, reported together.

    Validation collects everything wrong before deciding, so a pack author or
    a department clerk fixes all of it in one pass instead of one per run.
    """

    code = "problems"
    status = 422
    message = _("{count} problem(s) in {source}")

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(count=len(self.problems), source=source)

    def render(self, locale: str = "en") -> str:
        head = translate(self.message, locale).format(**said(self.fields, locale))
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def error_classes() -> Iterator[type[XinyongError]]:
    """Every concrete error class, for the documentation test and reference."""
    seen: set[type[XinyongError]] = set()
    stack: list[type[XinyongError]] = [XinyongError]
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        yield cls
        stack.extend(cls.__subclasses__())


def codes_of(classes: Iterable[type[XinyongError]]) -> set[str]:
    return {c.code for c in classes}
