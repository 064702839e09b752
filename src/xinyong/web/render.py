"""Templates: one Jinja2 environment, autoescaping everything, strings through the catalog.

Templates call ``_("English text", **fields)``; the text is looked up in the
zh-CN catalog (``locale/zh_CN/LC_MESSAGES/messages.po``) for Chinese pages.
A test holds every such string to a translation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from xinyong.i18n import Phrase, translate
from xinyong.web import labels
from xinyong.web.locale import in_locale, page_locale


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("xinyong.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def translators(locale: str) -> tuple[Callable[..., str], Callable[[Any], str]]:
    """``_`` (a catalog message, its fields filled in) and ``name_of`` (a pack's bilingual name)."""

    def _(message: str, **fields: Any) -> str:
        text = translate(message, locale)
        return text.format(**fields) if fields else text

    def name_of(names: Any) -> str:
        return in_locale(names, locale)

    return _, name_of


def sayer(locale: str) -> Callable[[object], object]:
    """``say``: a domain rule's :class:`~xinyong.i18n.Phrase` in ``locale``; anything else as it is."""

    def say(text: object) -> object:
        return text.say(locale) if isinstance(text, Phrase) else text

    return say


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page in the visitor's language, with the response's CSP nonce at hand."""
    locale = page_locale(request)
    _, name_of = translators(locale)

    html = (
        environment()
        .get_template(template)
        .render(
            _=_,
            name_of=name_of,
            locale=locale,
            labels=labels,
            say=sayer(locale),
            other_locale="en" if locale == "zh-CN" else "zh-CN",
            nonce=request.scope.get("state", {}).get("csp_nonce", ""),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status, headers={"Content-Language": locale})
