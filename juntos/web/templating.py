"""The Jinja2 environment: autoescaping, the i18n extension, and the globals templates share."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from babel import Locale
from babel.dates import format_date, format_datetime
from markupsafe import Markup
from starlette.requests import Request
from starlette.templating import Jinja2Templates

from juntos.accounts import policy
from juntos.calendar import titles
from juntos.calendar.models import Event
from juntos.kept import Kept
from juntos.organisations import territory_names
from juntos.organisations.models import KINDS, country_codes
from juntos.organisations.names import fold
from juntos.web import i18n
from juntos.web.i18n import N_
from juntos.web.vocabulary import subclass_label, theme_label, tie_kind_label, workstream_label

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


@cache
def _static_hash(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]


def static_url(path: str) -> str:
    """A cache-busting URL: the content hash lets browsers keep the file for a year."""
    return f"/static/{path}?v={_static_hash(path)}"


@cache
def _locale(language: str) -> Locale:
    """Babel's locale for one of our languages, parsed once: long lists name a country a row."""
    return Locale.parse(language)


def country_name(code: str) -> str:
    if not code:
        return ""
    return territory_names.country_name(code, i18n.current_language())


@cache
def _country_options(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((code, territory_names.country_name(code, language))
                         for code in country_codes()), key=lambda pair: fold(pair[1])))


def country_options() -> tuple[tuple[str, str], ...]:
    """Every ISO 3166 country as (code, name in the reader's language), by name: what a
    person chooses from instead of typing a code."""
    return _country_options(i18n.current_language())


def territory_label(org: Mapping[str, Any]) -> str:
    """Where an organisation is, as it names it: its own name for its country or territory
    (Somaliland), else the country's name in the reader's language. The ISO code stays in the
    data (exports, feeds) for exchange."""
    return str(org.get("territory") or "") or country_name(str(org.get("country") or ""))


def event_title(event: Event) -> str:
    """A calendar event's title in the reader's language (generated words, international
    days' names); what people typed stays as typed."""
    return titles.title(event, i18n.current_language())


def language_name(code: str) -> str:
    return _locale(i18n.current_language()).languages.get(code, code)


def kind_label(kind: str) -> str:
    return i18n.gettext(KIND_LABELS.get(kind, kind))


KIND_LABELS = {
    "cso": N_("Civil-society organisation"),
    "network": N_("Network"),
    "university": N_("University"),
    "foundation": N_("Foundation"),
    "funder": N_("Funder"),
    "government": N_("Government body"),
    "international": N_("International institution"),
    "media": N_("Media"),
    "business": N_("Business"),
    "public_role": N_("Public role"),
    "other": N_("Other"),
}


def role_label(role: str) -> str:
    return i18n.gettext(i18n.ROLE_LABELS.get(role, role))


def format_day(value: date | str | None, form: str = "medium") -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return _format_day(value, form, i18n.current_language())


@lru_cache(maxsize=8192)
def _format_day(value: date, form: str, language: str) -> str:
    # Babel's formatting costs ~0.1 ms; a month grid names each of its days several times.
    return format_date(value, format=form, locale=language)


def format_moment(value: datetime | str | None, tz: str = "UTC", form: str = "medium") -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return format_datetime(value, format=form, tzinfo=ZoneInfo(tz or "UTC"),
                           locale=i18n.current_language())


class Fragments:
    """Rendered pieces of pages remembered by everything they show, one set per app's
    environment (the ``fragment`` global):
    ``{% call fragment("name", version, choice) %}...{% endcall %}``.

    The key must name every value the piece reads (data versions, the reader's choices, and
    who the reader is when that changes what the piece shows); the language is added here.
    A piece is shared by every reader with the same key, so the reader's own form token
    (``csrf_token``) is kept as a placeholder and put back for each reader: a piece with
    forms in it is safe to share. For pieces that cost more to render than to look up.
    """

    #: stands for the reader's CSRF token inside a kept piece (tokens are URL-safe base64)
    TOKEN = "\x00csrf\x00"

    def __init__(self, maxsize: int = 512) -> None:
        self._pieces: Kept[str] = Kept(maxsize)

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, *key: Hashable,
                 caller: Callable[[], str], keep: bool = True) -> str:
        """``keep=False`` renders the piece afresh, unkept (a form shown again with the
        values and errors of a failed submission)."""
        if not keep:
            return caller()
        token = str(context.get("csrf_token") or "")

        def render() -> str:
            rendered = caller()  # Markup: stays safe when printed again
            return rendered.replace(token, self.TOKEN) if token else rendered

        return self._for_reader(self._pieces.get((*key, i18n.current_language()), render),
                                token)

    def kept(self, token: str, *key: Hashable) -> str | None:
        """The kept piece for ``key`` (as ``fragment`` names it), with the reader's form
        ``token``; None when none is kept. For a view that can skip reading what only the
        piece shows: it passes the piece to the template, which prints it instead."""
        found = self._pieces.peek((*key, i18n.current_language()))
        return None if found is None else self._for_reader(found, token)

    def _for_reader(self, found: str, token: str) -> str:
        if self.TOKEN in found:
            return Markup(found.replace(self.TOKEN, token))
        return found


def kept_piece(request: Request, *key: Hashable) -> str | None:
    """``Fragments.kept`` of the app's templates, for this request's reader."""
    fragments: Fragments = request.app.state.templates.env.globals["fragment"]
    return fragments.kept(request.state.csrf_token, *key)


def _template_gettext() -> Callable[..., str]:
    """``_()`` and ``gettext()`` in templates, as Jinja's newstyle gettext does them (the
    translation marked safe, then ``%`` its variables, escaped), with the texts that take no
    variables remembered per language: a long page asks for the same few hundred times."""
    plain: dict[tuple[str, str], str] = {}  # one entry per text a template names, per language

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, string: str, **variables: object) -> str:
        if variables or not context.eval_ctx.autoescape:
            text = i18n.gettext(string)
            return (Markup(text) if context.eval_ctx.autoescape else text) % variables
        key = (i18n.current_language(), string)
        found = plain.get(key)
        if found is None:
            found = Markup(i18n.gettext(string)) % {}
            if len(plain) < 20_000:  # texts named by templates (and labels): a bounded set
                plain[key] = found
        return found

    return gettext


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja's environment, reading ``row.name`` from a plain dict (a database row, most of
    what pages print) by key first. Jinja tries the attribute first, which on a dict fails
    with an exception for every lookup; the result is the same, since a plain dict's only
    attributes are its methods (looked up as before)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def build_environment() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship with the code: compiled once per app, not checked on disk (a stat
        # per template, include and import) on every render. A restart picks up edits.
        auto_reload=False,
        # Domain messages (``juntos.errors.Message``) are shown in the reader's language,
        # wherever a template prints one.
        finalize=i18n.translate_message,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["gettext"] = env.globals["_"] = _template_gettext()
    env.globals.update(
        static_url=static_url,
        can=policy.can,
        country_name=country_name,
        territory_label=territory_label,
        country_options=country_options,
        language_name=language_name,
        kind_label=kind_label,
        kinds=KINDS,
        languages=i18n.LANGUAGES,
        language_names=i18n.LANGUAGE_NAMES,
        current_language=i18n.current_language,
        role_label=role_label,
        fragment=Fragments(),
        event_title=event_title,
        theme_label=theme_label,
        subclass_label=subclass_label,
        workstream_label=workstream_label,
        tie_kind_label=tie_kind_label,
    )
    env.filters.update(day=format_day, moment=format_moment, theme_label=theme_label,
                       tie_kind_label=tie_kind_label)
    return env


def build_templates() -> Jinja2Templates:
    return Jinja2Templates(env=build_environment(), context_processors=[_request_context])


def _request_context(request: Request) -> dict[str, object]:
    state = request.state
    # Flash messages live in the session until a page shows them (after the redirect).
    flashes = request.session.pop("flash", []) if "session" in request.scope else []
    return {
        "user": getattr(state, "user", None),
        "csrf_token": getattr(state, "csrf_token", ""),
        "flashes": flashes,
        "settings": getattr(state, "settings", None),
    }
