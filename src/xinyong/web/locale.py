"""Which language a page is in: the visitor's switch, else their browser, else Chinese."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from xinyong.i18n import normalise_locale, preferred_locale

COOKIE = "xinyong_lang"


def page_locale(request: Request) -> str:
    """``?lang=`` first, then the cookie the switch sets, then Accept-Language (default zh-CN).

    A portal of a Chinese node speaks Chinese unless asked otherwise, so a
    browser that states no preference gets zh-CN (the API defaults to English).
    """
    for chosen in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if chosen and chosen.lower()[:2] in ("zh", "en"):
            return normalise_locale(chosen)
    return preferred_locale(request.headers.get("accept-language", ""), "zh-CN")


def in_locale(names: Any, locale: str) -> str:
    """A pack's bilingual name (``.zh``, ``.en``) in ``locale``."""
    return str(names.zh if locale == "zh-CN" else names.en)
