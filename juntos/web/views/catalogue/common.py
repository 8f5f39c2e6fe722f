"""What the catalogue's pages share: vocabularies as readers see them, rendering, and the
idea a reader may see (drafts and review copies the viewer may not see answer 404)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from juntos.accounts import policy
from juntos.catalogue import store
from juntos.catalogue.models import CLASSES, COMPLETENESS, COSTS, MODES, PEOPLE, RISKS
from juntos.errors import NotFound
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _
from juntos.web.templating import language_name
from juntos.web.vocabulary import subclass_label, theme_label

FACET_TITLES = {
    "class": N_("Class"), "subclass": N_("Subclass"), "risk": N_("Risk"), "cost": N_("Cost"),
    "people": N_("People needed"), "mode": N_("Online or offline"), "theme": N_("Theme"),
    "language": N_("Language"), "stories": N_("Case stories"),
    "completeness": N_("Completeness"),
}
_VOCABULARIES: dict[str, dict[str, str]] = {
    "class": CLASSES, "risk": RISKS, "cost": COSTS, "people": PEOPLE, "mode": MODES,
    "completeness": COMPLETENESS, "stories": {"yes": N_("With case stories"),
                                              "no": N_("No case story yet")},
}
FIELD_LABELS = {"title": N_("Title"), "summary": N_("Summary"), "body": N_("Description"),
                "safety_notes": N_("Safety notes"), "suits": N_("Suits"),
                "not_suits": N_("Does not suit")}


def label(facet: str, value: str) -> str:
    """A facet value as users read it, in their language."""
    if facet == "language":
        return language_name(value)
    if facet == "theme":
        return theme_label(value)
    if facet == "subclass":
        return subclass_label(value)
    vocabulary = _VOCABULARIES.get(facet)
    return _(vocabulary[value]) if vocabulary and value in vocabulary else value


def translated(vocabulary: Mapping[str, str]) -> dict[str, str]:
    """A vocabulary's labels in the reader's language."""
    return {k: _(v) for k, v in vocabulary.items()}


def options(vocabulary: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(k, _(v)) for k, v in vocabulary.items()]


def href(base: str, pairs: list[tuple[str, str]]) -> str:
    return base + ("?" + urlencode(pairs) if pairs else "")


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    context.setdefault("label", label)
    context.setdefault("facet_titles", translated(FACET_TITLES))
    return request.app.state.templates.TemplateResponse(request, f"catalogue/{name}", context,
                                                         status_code=status)


def visible_idea(request: Request, slug: str) -> dict[str, Any]:
    idea = store.get(request.state.db, slug)
    if not policy.can(request.state.user, "idea.view", idea):
        raise NotFound("No such idea.")
    return idea


def safe_next(value: str, default: str) -> str:
    """A local path to go back to (never another site's)."""
    return value if value.startswith("/") and not value.startswith("//") else default
