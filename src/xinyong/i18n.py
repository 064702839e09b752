"""Translations of labels and messages (zh-CN, en).

Source strings are English and marked with ``gettext_noop`` (imported as
``_``) where they are defined; translations live in gettext ``.po`` files
under ``locale/`` and are read with Babel at first use, so there is no compile
step to forget. An untranslated string falls back to English rather than
failing: a missing translation must never hide an error message.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = ("zh-CN", "en")
_LOCALE_DIR = Path(__file__).parent / "locale"


def gettext_noop(message: str) -> str:
    """Mark a string for translation without translating it yet."""
    return message


class Phrase(str):
    """A sentence in English that keeps its catalog message and fields, to be said in another language.

    Domain rules explain a refusal with a Phrase (``Phrase(_("… {day}"), day=…)``):
    to everything else it is the plain English ``str``, and an error's
    ``render(locale)`` says it in the reader's language (:meth:`say`).
    """

    msgid: str
    fields: dict[str, object]

    def __new__(cls, msgid: str, **fields: object) -> Phrase:
        made = super().__new__(cls, msgid.format(**fields))
        made.msgid = msgid
        made.fields = fields
        return made

    def say(self, locale: str) -> str:
        return translate(self.msgid, locale).format(**said(self.fields, locale))


def said(fields: dict[str, object], locale: str) -> dict[str, object]:
    """The fields with each :class:`Phrase` among them said in ``locale``."""
    return {k: v.say(locale) if isinstance(v, Phrase) else v for k, v in fields.items()}


def normalise_locale(locale: str) -> str:
    """Map ``zh``, ``zh_CN``, ``zh-Hans-CN`` … to ``zh-CN``; anything else to ``en``."""
    return "zh-CN" if locale.lower().replace("_", "-").startswith("zh") else "en"


@cache
def catalog(locale: str) -> dict[str, str]:
    """msgid → translation for one locale (empty for English, the source language)."""
    locale = normalise_locale(locale)
    if locale == "en":
        return {}
    path = _LOCALE_DIR / locale.replace("-", "_") / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        po = read_po(fh, locale=locale.replace("-", "_"))
    return {str(m.id): str(m.string) for m in po if m.id and m.string}


def translate(message: str, locale: str = "en") -> str:
    return catalog(locale).get(message, message)


def preferred_locale(accept_language: str, default: str) -> str:
    """The locale an ``Accept-Language`` header prefers among zh-CN and en, else ``default``."""
    best, best_q = default, 0.0
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        try:
            q = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            continue
        base = tag.strip().lower()
        if (base.startswith("zh") or base.startswith("en")) and q > best_q:
            best, best_q = normalise_locale(base), q
    return best
