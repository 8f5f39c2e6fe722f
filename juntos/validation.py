"""Validated input, by pydantic, with our ``{field: message}`` errors in every language.

Areas describe their inputs as pydantic models (``Input`` below) and call ``validate``; a
failure becomes one ``ValidationError`` whose messages are ``Message`` strings: English as
they stand, and translated by the web layer (``Message.template`` is the catalogue's msgid,
``Message.params`` fill its ``%(name)s`` places). Pydantic's own error texts never reach a
user: each error type it raises is mapped here to one of our sentences.

The building blocks every area shares live here too, so no area keeps its own regex:
``Line`` (one line of text, no control characters), ``Text`` (several lines), ``slugify``
(python-slugify: readable slugs from any script), ``email`` (email-validator) and ``web_url``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Self, TypeVar

import pydantic
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError
from slugify import slugify as _slugify

from juntos.errors import Message, ValidationError

__all__ = [
    "FormInput", "Input", "Line", "Message", "Text", "email", "fail", "has_control", "one_line",
    "slugify", "split_list", "validate", "web_url",
]

M = TypeVar("M", bound=BaseModel)

#: Every control character, newline and tab included: a single line carries none of them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def N_(message: str) -> str:
    """Marks a message for extraction; the web layer translates it when shown."""
    return message


def fail(template: str, **params: Any) -> PydanticCustomError:
    """An error for a validator to raise: ``raise fail(N_("At most %(n)s."), n=3)``."""
    return PydanticCustomError("juntos", template, {"juntos_params": params})


# --- shared field types ---------------------------------------------------------------------

def _line(value: Any) -> str:
    """One line: stripped, inner spaces kept, control characters (newline and tab too) refused."""
    text = "" if value is None else str(value)
    if _CONTROL.search(text.strip()):
        raise fail(N_("Use a single line without control characters."))
    return text.strip()


def has_control(text: str) -> bool:
    """Whether ``text`` holds a control character (newline and tab included)."""
    return bool(_CONTROL.search(text))


def one_line(text: str) -> str:
    """``text`` with every run of control characters and spaces made one space: for values
    read from files, where refusing a whole import over a folded title would be unkind."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _text(value: Any) -> str:
    """Several lines: newlines normalised, other control characters dropped."""
    text = "" if value is None else str(value)
    return _CONTROL_MULTILINE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


#: One line of text (names, titles, places): what a header or a feed line can carry safely.
Line = Annotated[str, BeforeValidator(_line)]
#: Free text over several lines (descriptions, bodies).
Text = Annotated[str, BeforeValidator(_text)]


def split_list(value: Any) -> list[str]:
    """A list from a list, or from text separated by commas or semicolons; lowercased, unique."""
    items = value if isinstance(value, list | tuple) else re.split(r"[;,]", _text(value))
    out: list[str] = []
    for item in items:
        word = " ".join(_text(item).split()).lower()
        if word and word not in out:
            out.append(word)
    return out


def slugify(text: str, *, max_length: int = 80, fallback: str = "item") -> str:
    """A URL-safe slug readable in any script: "Æbeltoft" → "aebeltoft", "Straße" → "strasse",
    Greek and Arabic names transliterated rather than dropped."""
    return _slugify(text or "", max_length=max_length, word_boundary=True) or fallback


def email(value: str) -> str:
    """The address normalised by email-validator (no DNS lookup: forms stay fast offline)."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as e:
        raise fail(N_("Not a valid e-mail address.")) from e


def web_url(value: str, *, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """An absolute address in one of ``schemes`` (http(s) by default; ``mailto`` if listed),
    without spaces or control characters, or empty."""
    value = value.strip()
    if not value:
        return ""
    scheme, sep, rest = value.partition(":")
    if (not sep or scheme.lower() not in schemes or (not rest.startswith("//") and
            scheme.lower() != "mailto") or re.search(r"[\s\x00-\x1f\x7f-\x9f<>\"]", value)
            or len(rest) < 4):
        if "mailto" in schemes:
            raise fail(N_("An address starts with http://, https:// or mailto:."))
        raise fail(N_("A web address starts with http:// or https://."))
    return value


def _email_field(value: Any) -> str:
    return email(str(value or ""))


def _url_field(value: Any) -> str:
    return web_url(str(value or ""))


Email = Annotated[str, BeforeValidator(_email_field)]
WebUrl = Annotated[str, BeforeValidator(_url_field)]


def _slug_field(value: str) -> str:
    if value and not SLUG_RE.match(value):
        raise fail(N_("Use lowercase letters, digits and single hyphens (e.g. 'forum-mz')."))
    return value


Slug = Annotated[str, BeforeValidator(lambda v: str(v or "").strip().lower()),
                 AfterValidator(_slug_field)]


class Input(BaseModel):
    """Base of every validated input: frozen, unknown fields refused, whitespace stripped."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True,
                              populate_by_name=True)


class FormInput(Input):
    """An input as a form, the CLI, a file or the demo submits it: keys it does not know (a
    form's CSRF token, its buttons, a row's extra columns) are left out, and every problem is
    named by its field at once. ``error_names`` renames fields in the errors (``klass``)."""

    error_names: ClassVar[Mapping[str, str]] = {}

    @classmethod
    def validated(cls, **raw: Any) -> Self:
        known = {*cls.model_fields, *(f.alias for f in cls.model_fields.values() if f.alias)}
        return validate(cls, {k: v for k, v in raw.items() if k in known},
                        aliases=cls.error_names)


# --- pydantic's errors as our messages ------------------------------------------------------

#: Pydantic error types → our sentences (msgids). ``ctx`` values fill the placeholders.
_MESSAGES: Mapping[str, str] = {
    "missing": N_("This field is required."),
    "string_too_short": N_("This field is required."),
    "string_too_long": N_("At most %(max_length)s characters."),
    "too_long": N_("At most %(max_length)s items."),
    "int_parsing": N_("A whole number."),
    "int_type": N_("A whole number."),
    "int_from_float": N_("A whole number."),
    "float_parsing": N_("A number."),
    "greater_than_equal": N_("At least %(ge)s."),
    "less_than_equal": N_("At most %(le)s."),
    "greater_than": N_("More than %(gt)s."),
    "less_than": N_("Less than %(lt)s."),
    "literal_error": N_("Choose one of: %(expected)s."),
    "enum": N_("Choose one of: %(expected)s."),
    "bool_parsing": N_("Yes or no."),
    "date_from_datetime_parsing": N_("A date like 2026-03-08."),
    "date_parsing": N_("A date like 2026-03-08."),
    "datetime_parsing": N_("A date and time like 2026-03-08 09:00."),
    "datetime_from_date_parsing": N_("A date and time like 2026-03-08 09:00."),
    "extra_forbidden": N_("Unknown field."),
    "list_type": N_("A list."),
    "string_type": N_("Text."),
}
_FALLBACK = N_("Not a valid value.")


#: A length limit on an annotated string (``Annotated[Line, Field(max_length=...)]``) is
#: reported as a collection's; it is still text, and said so.
_STRING_LENGTH = {"too_short": "string_too_short", "too_long": "string_too_long"}


def _message(error: Any) -> Message:
    ctx = dict(error.get("ctx") or {})
    if error["type"] == "juntos":  # raised by ``fail``: pydantic left the %-template as is
        return Message(error["msg"], **ctx.get("juntos_params", {}))
    kind = error["type"]
    if isinstance(error.get("input"), str):
        kind = _STRING_LENGTH.get(kind, kind)
    template = _MESSAGES.get(kind, _FALLBACK)
    params = {k: (", ".join(map(str, v)) if isinstance(v, list | tuple) else v)
              for k, v in ctx.items() if f"%({k})s" in template}
    return Message(template, **params)


def _field_name(loc: tuple[Any, ...], aliases: Mapping[str, str]) -> str:
    if not loc:
        return "form"
    name = str(loc[0])
    return aliases.get(name, name)


def validate(model: type[M], data: Mapping[str, Any], *,
             aliases: Mapping[str, str] | None = None) -> M:
    """``model`` from ``data``, or a ``ValidationError`` naming every bad field (first message
    per field). ``aliases`` renames fields in the errors (``klass`` → ``class``)."""
    try:
        return model.model_validate(dict(data))
    except pydantic.ValidationError as e:
        errors: dict[str, str] = {}
        for error in e.errors(include_url=False):
            errors.setdefault(_field_name(tuple(error["loc"]), aliases or {}), _message(error))
        raise ValidationError(errors) from None
