"""The Jinja2 environment: autoescaping, the i18n extension, and the globals templates share."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
from babel import Locale
from babel.dates import format_date, format_datetime
from starlette.requests import Request
from starlette.templating import Jinja2Templates

from juntos.accounts import policy
from juntos.calendar import titles
from juntos.calendar.models import Event
from juntos.organisations import territory_names
from juntos.organisations.models import KINDS
from juntos.web import i18n
from juntos.web.i18n import N_
from juntos.web.vocabulary import theme_label, tie_kind_label, workstream_label

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


@cache
def _static_hash(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]


def static_url(path: str) -> str:
    """A cache-busting URL: the content hash lets browsers keep the file for a year."""
    return f"/static/{path}?v={_static_hash(path)}"


def country_name(code: str) -> str:
    if not code:
        return ""
    return territory_names.country_name(code, i18n.current_language())


def event_title(event: Event) -> str:
    """A calendar event's title in the reader's language (generated words, international
    days' names); what people typed stays as typed."""
    return titles.title(event, i18n.current_language())


def language_name(code: str) -> str:
    return Locale.parse(i18n.current_language()).languages.get(code, code)


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
    return format_date(value, format=form, locale=i18n.current_language())


def format_moment(value: datetime | str | None, tz: str = "UTC", form: str = "medium") -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return format_datetime(value, format=form, tzinfo=ZoneInfo(tz or "UTC"),
                           locale=i18n.current_language())


def build_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Domain messages (``juntos.errors.Message``) are shown in the reader's language,
        # wherever a template prints one.
        finalize=i18n.translate_message,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        static_url=static_url,
        can=policy.can,
        country_name=country_name,
        language_name=language_name,
        kind_label=kind_label,
        kinds=KINDS,
        languages=i18n.LANGUAGES,
        language_names=i18n.LANGUAGE_NAMES,
        current_language=i18n.current_language,
        role_label=role_label,
        event_title=event_title,
        theme_label=theme_label,
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
