"""Each message in its reader's language, from the same catalogues as the pages.

Mail sits below the web layer, so it loads the catalogues itself (Babel, cached per language);
a caller writing a message asks ``gettext_for(language)`` and writes the text it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "pt")


def language_of(language: str) -> str:
    return language if language in LANGUAGES else "en"


@cache
def _translations(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], domain="messages")


def gettext_for(language: str) -> Callable[..., str]:
    """``_(msgid, **values)`` in ``language`` (English when unknown)."""
    translations = _translations(language_of(language))

    def _(message: str, **values: object) -> str:
        text = translations.ugettext(message)
        return text % values if values else text

    return _
