"""A subject's own file as a PDF (WeasyPrint), the same :class:`SubjectFile` the page shows.

Private like ``/me``: it carries records of every scope and the subject's own
scores, and is only ever sent to the signed-in subject, never cached.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from weasyprint import HTML

from xinyong.disclosure.my_file import SubjectFile
from xinyong.policy.model import CreditList
from xinyong.web import labels
from xinyong.web.render import environment, sayer, translators


def render_my_file(
    found: SubjectFile, *, locale: str, lists: Mapping[str, CreditList], node_name: Any
) -> bytes:
    """The PDF of the whole file, in ``locale``."""
    _, name_of = translators(locale)
    html = environment().get_template("my_file.html").render(
        _=_, name_of=name_of, say=sayer(locale), locale=locale, labels=labels, file=found,
        subject=found.view.subject, lists=lists, node_name=name_of(node_name),
    )  # fmt: skip
    return bytes(HTML(string=html).write_pdf())
