"""Translations: the request's language in a context variable, Babel catalogues behind it.

The Jinja2 i18n extension and Python code both call ``gettext``, which reads the context
variable, so one environment serves every language safely across concurrent requests.
"""

from __future__ import annotations

import contextvars
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations

from juntos.errors import Message

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "pt")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "pt": "Português"}

_current: contextvars.ContextVar[str] = contextvars.ContextVar(
    "juntos_language", default=DEFAULT_LANGUAGE
)


@cache
def translations(language: str) -> NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], domain="messages")


def set_language(language: str) -> contextvars.Token[str]:
    return _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def current_language() -> str:
    return _current.get()


def gettext(message: str, **variables: object) -> str:
    text = translations(_current.get()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = translations(_current.get()).ungettext(singular, plural, n)
    variables.setdefault("num", n)
    return text % variables


def translate_message(value: object) -> object:
    """A domain ``Message`` in the current language; anything else as it is."""
    if isinstance(value, Message):
        text = translations(_current.get()).ugettext(value.template)
        try:
            return text % value.params if value.params else text
        except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
            return str(value)
    return value


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated when shown)."""
    return message


ROLE_LABELS = {
    "coordinator": N_("coordinator"),
    "member": N_("member"),
    "viewer": N_("viewer"),
}


def negotiate(user_language: str, accept_language: str) -> str:
    """The user's own setting, else the best match in Accept-Language, else English."""
    if user_language in LANGUAGES:
        return user_language
    preferred: list[tuple[float, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        preferred.append((-quality + index * 1e-6, tag.strip().replace("_", "-")))
    for _, tag in sorted(preferred):
        try:
            language = Locale.parse(tag, sep="-").language
        except (ValueError, UnknownLocaleError):
            continue
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE
