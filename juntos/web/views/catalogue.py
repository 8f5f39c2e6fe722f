"""Pages of the catalogue area: browse and search, idea pages, contribution and review.

Thin: parse the request, call ``juntos.catalogue``, render. Drafts and review copies that the
viewer may not see answer 404 through ``_visible``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from juntos.accounts import policy
from juntos.campaigns import store as campaign_store
from juntos.catalogue import moderation, store, stories, tactics
from juntos.catalogue import permissions as _permissions  # noqa: F401  (registers the rules)
from juntos.catalogue import search as searching
from juntos.catalogue.localise import fell_back, localise
from juntos.catalogue.models import (
    CLASSES,
    COMPLETENESS,
    COSTS,
    LANGUAGES,
    MODES,
    OUTCOMES,
    PEOPLE,
    PHASES,
    RISKS,
    SOURCES,
    STATUSES,
    TRANSLATABLE,
    IdeaInput,
    StoryInput,
)
from juntos.catalogue.rendering import markdown_to_html
from juntos.errors import Conflict, NotFound, ValidationError
from juntos.web.i18n import N_, current_language
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict, page
from juntos.web.templating import language_name
from juntos.web.webarea import WebArea

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
SORT_LABELS = {"relevance": N_("Relevance"), "newest": N_("Newest"),
               "used": N_("Most used in campaigns")}
FIELD_LABELS = {"title": N_("Title"), "summary": N_("Summary"), "body": N_("Description"),
                "safety_notes": N_("Safety notes"), "suits": N_("Suits"),
                "not_suits": N_("Does not suit")}
HISTORY_ACTIONS = {
    "seeded": N_("added to the starter catalogue"), "proposed": N_("proposed"),
    "published": N_("published"), "edited": N_("edited"), "rejected": N_("sent back"),
    "resubmitted": N_("edited and resubmitted"),
    "revision proposed": N_("proposed a revision"),
    "revision accepted": N_("accepted a revision"), "revised": N_("revised"),
    "revision rejected": N_("sent back a revision"), "translated": N_("translated"),
    "imported": N_("imported"),
}


def label(facet: str, value: str) -> str:
    """A facet value as users read it, in their language."""
    if facet == "language":
        return language_name(value)
    vocabulary = _VOCABULARIES.get(facet)
    return _(vocabulary[value]) if vocabulary and value in vocabulary else value


def _options(vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    return [(k, _(v)) for k, v in vocabulary.items()]


def _href(base: str, pairs: list[tuple[str, str]]) -> str:
    return base + ("?" + urlencode(pairs) if pairs else "")


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    context.setdefault("label", label)
    context.setdefault("facet_titles", {k: _(v) for k, v in FACET_TITLES.items()})
    return request.app.state.templates.TemplateResponse(request, f"catalogue/{name}", context,
                                                         status_code=status)


def _visible_idea(request: Request, slug: str) -> dict[str, Any]:
    idea = store.get(request.state.db, slug)
    if not policy.can(request.state.user, "idea.view", idea):
        raise NotFound("No such idea.")
    return idea


def _safe_next(value: str, default: str) -> str:
    return value if value.startswith("/") and not value.startswith("//") else default


# -- browse and search -----------------------------------------------------------------------

def _query(request: Request) -> searching.Query:
    return searching.Query.from_params(request.query_params, per_page=20)


def _localised_titles(request: Request, hits: list[dict[str, Any]]) -> None:
    language = current_language()
    found = store.translations(request.state.db, [h["id"] for h in hits])
    for hit in hits:
        fields = localise(hit, found[hit["id"]], language)
        hit["display_title"] = fields["title"].text
        hit["display_summary"] = fields["summary"].text


async def idea_list(request: Request) -> Response:
    query = _query(request)
    results = searching.search(request.state.db, query)
    _localised_titles(request, results.hits)
    return _render(request, "list.html", {
        "results": results, "query": query, "href": _href,
        "sorts": [(k, _(v)) for k, v in SORT_LABELS.items()],
        "json_url": _href("/ideas.json", query.params()),
        "cards_url": _href("/ideas/cards", query.params(page=None)),
        "clear_url": _href("/ideas", query.params(page=None, **dict.fromkeys(query.filters))),
    })


async def idea_list_json(request: Request) -> Response:
    query = _query(request)
    results = searching.search(request.state.db, query)
    base = str(request.base_url).rstrip("/")
    return JSONResponse({
        "query": {"q": query.q, "filters": {k: list(v) for k, v in query.filters.items()},
                  "sort": query.sort, "page": query.page, "per_page": query.per_page},
        "total": results.total, "pages": results.pages,
        "ideas": [{
            "slug": h["slug"], "title": h["title"], "summary": h["summary"] or "",
            "class": h["class"], "subclass": h["subclass"] or "", "risk": h["risk"] or "",
            "cost": h["cost"] or "", "people": h["people"] or "", "mode": h["mode"] or "",
            "themes": h["themes"], "tags": h["tags"], "completeness": h["completeness"],
            "used_in_campaigns": h["used"], "case_stories": h["stories"],
            "snippet_html": h["snippet"], "url": f"{base}/ideas/{h['slug']}",
        } for h in results.hits],
        "facets": {f: [{"value": v.value, "count": v.count, "selected": v.selected}
                       for v in values] for f, values in results.facets.items()},
    })


async def idea_cards(request: Request) -> Response:
    """Printable cards for a workshop: the current search, up to 60 ideas."""
    query = searching.Query.from_params(request.query_params, per_page=60)
    results = searching.search(request.state.db, query, facets=False)
    db = request.state.db
    cards = []
    for hit in results.hits:
        idea = store.get_by_id(db, hit["id"])
        fields = localise(idea, store.translations(db, [idea["id"]])[idea["id"]],
                          current_language())
        cards.append({"idea": idea, "fields": fields,
                      "safety_html": Markup(markdown_to_html(fields["safety_notes"].text))})
    return _render(request, "cards.html", {"cards": cards, "query": query,
                                           "back": _href("/ideas", query.params(page=None))})


# -- one idea --------------------------------------------------------------------------------

async def idea_view(request: Request) -> Response:
    db = request.state.db
    idea = _visible_idea(request, request.path_params["slug"])
    language = current_language()
    translated = store.translations(db, [idea["id"]])[idea["id"]]
    fields = localise(idea, translated, language)
    original = store.get_by_id(db, idea["revision_of"]) if idea["revision_of"] else None
    published = idea["status"] == "published" and not idea["revision_of"]
    return _render(request, "idea.html", {
        "idea": idea, "fields": fields, "fell_back": fell_back(fields, language),
        "body_html": Markup(markdown_to_html(fields["body"].text)),
        "safety_html": Markup(markdown_to_html(fields["safety_notes"].text)),
        "suits_html": Markup(markdown_to_html(fields["suits"].text)),
        "not_suits_html": Markup(markdown_to_html(fields["not_suits"].text)),
        "translations": sorted(translated), "sources": {k: _(v) for k, v in SOURCES.items()},
        "stories": stories.for_idea(db, idea["id"]) if published else [],
        "campaigns": tactics.for_idea(db, idea["id"], request.state.user) if published else [],
        "plannable": tactics.plannable(db, request.state.user) if published else [],
        "related": searching.related(db, idea) if published else [],
        "history": store.history(db, idea["id"]),
        "actions": {k: _(v) for k, v in HISTORY_ACTIONS.items()},
        "field_labels": {k: _(v) for k, v in FIELD_LABELS.items()},
        "statuses": {k: _(v) for k, v in STATUSES.items()},
        "original": original, "published": published,
    })


# -- propose and edit ------------------------------------------------------------------------

def _form_context(form: dict[str, Any], errors: dict[str, str], idea: dict[str, Any] | None
                  ) -> dict[str, Any]:
    return {
        "form": form, "errors": errors, "idea": idea,
        "classes": _options(CLASSES), "risks": _options(RISKS), "costs": _options(COSTS),
        "people": _options(PEOPLE), "modes": _options(MODES),
        "languages_all": [(code, language_name(code)) for code in LANGUAGES],
    }


def _idea_form_values(idea: dict[str, Any]) -> dict[str, str]:
    values = {k: ("" if v is None else v) for k, v in idea.items()}
    values["tags"] = ", ".join(idea["tags"])
    values["themes"] = ", ".join(idea["themes"])
    return values


async def idea_new(request: Request) -> Response:
    return _render(request, "form.html", _form_context({"language": "en"}, {}, None))


async def idea_create(request: Request) -> Response:
    db = request.state.db
    form = await form_dict(request)
    try:
        data = IdeaInput.validated(**form)
        idea = moderation.propose(db, data, user=request.state.user, now=request.state.clock())
    except ValidationError as e:
        return _render(request, "form.html", _form_context(form, e.errors, None), 400)
    except Conflict:
        errors = {"slug": _("An idea with this address already exists; choose another.")}
        return _render(request, "form.html", _form_context(form, errors, None), 400)
    if idea["status"] == "published":
        flash(request, _("Published %(title)s.", title=idea["title"]))
    else:
        flash(request, _("Thank you. A coordinator will review %(title)s before it is "
                         "published.", title=idea["title"]))
    return RedirectResponse(f"/ideas/{idea['slug']}", status_code=303)


async def idea_edit(request: Request) -> Response:
    idea = _visible_idea(request, request.path_params["slug"])
    policy.require(request.state.user, "idea.edit", idea)
    return _render(request, "form.html", _form_context(_idea_form_values(idea), {}, idea))


async def idea_update(request: Request) -> Response:
    db = request.state.db
    idea = _visible_idea(request, request.path_params["slug"])
    policy.require(request.state.user, "idea.edit", idea)
    form = await form_dict(request)
    try:
        data = IdeaInput.validated(**{**form, "slug": idea["slug"]})
        saved, outcome = moderation.edit(db, idea, data, user=request.state.user,
                                         now=request.state.clock())
    except ValidationError as e:
        return _render(request, "form.html", _form_context(form, e.errors, idea), 400)
    if outcome == "review":
        flash(request, _("Your changes were saved as a review copy. The published text stays "
                         "until a coordinator accepts them."))
    else:
        flash(request, _("Saved %(title)s.", title=saved["title"]))
    return RedirectResponse(f"/ideas/{saved['slug']}", status_code=303)


# -- translations ----------------------------------------------------------------------------

def _translate_context(idea: dict[str, Any], language: str, values: dict[str, str],
                       source: str, errors: dict[str, str]) -> dict[str, Any]:
    return {"idea": idea, "language": language, "values": values, "source": source,
            "errors": errors, "fields": [(f, _(FIELD_LABELS[f])) for f in TRANSLATABLE],
            "languages_all": [(c, language_name(c)) for c in LANGUAGES if c != idea["language"]],
            "sources": _options(SOURCES)}


async def idea_translate(request: Request) -> Response:
    db = request.state.db
    idea = _visible_idea(request, request.path_params["slug"])
    fallback = "pt" if idea["language"] != "pt" else "en"
    language = request.query_params.get("language", fallback)
    if language not in LANGUAGES or language == idea["language"]:
        language = fallback
    existing = store.translations(db, [idea["id"]])[idea["id"]].get(language, {})
    values = {f: existing.get(f, {}).get("text", "") for f in TRANSLATABLE}
    source = next((v["source"] for v in existing.values()), "human")
    return _render(request, "translate.html",
                   _translate_context(idea, language, values, source, {}))


async def idea_translate_save(request: Request) -> Response:
    db = request.state.db
    idea = _visible_idea(request, request.path_params["slug"])
    if idea["status"] != "published" or idea["revision_of"]:
        raise NotFound("No such idea.")
    form = await form_dict(request)
    language = form.get("language", "")
    source = form.get("source", "human")
    values = {f: form.get(f, "").strip() for f in TRANSLATABLE}
    errors = {}
    if language not in LANGUAGES or language == idea["language"]:
        errors["language"] = _("Choose a language other than the original.")
    if source not in SOURCES:
        errors["source"] = _("Say whether a person or a machine translated it.")
    if errors:
        return _render(request, "translate.html",
                       _translate_context(idea, language, values, source, errors), 400)
    now = request.state.clock()
    user = request.state.user
    with db.atomic():
        saved = store.set_translation(db, idea["id"], language, values, source=source,
                                      now=now, by=user.id)
        store.record(db, idea["id"], "translated", by=user.id, now=now,
                     note=language_name(language), fields=saved)
    flash(request, _("Translation saved."))
    return RedirectResponse(f"/ideas/{idea['slug']}", status_code=303)


# -- review ----------------------------------------------------------------------------------

async def review_queue(request: Request) -> Response:
    db = request.state.db
    return _render(request, "review.html", {"ideas": moderation.review_queue(db),
                                            "stories": stories.pending(db)})


async def idea_publish(request: Request) -> Response:
    db = request.state.db
    idea = store.get(db, request.path_params["slug"])
    form = await form_dict(request)
    published = moderation.publish(db, idea, user=request.state.user,
                                   now=request.state.clock(), note=form.get("note", ""))
    flash(request, _("Published %(title)s.", title=published["title"]))
    return RedirectResponse(f"/ideas/{published['slug']}", status_code=303)


async def idea_reject(request: Request) -> Response:
    db = request.state.db
    idea = store.get(db, request.path_params["slug"])
    form = await form_dict(request)
    try:
        moderation.reject(db, idea, user=request.state.user, now=request.state.clock(),
                          note=form.get("note", ""))
    except ValidationError:
        flash(request, _("Write a note saying why, so the contributor can improve it."),
              "error")
        return RedirectResponse(f"/ideas/{idea['slug']}", status_code=303)
    flash(request, _("Sent back to the contributor with your note."))
    return RedirectResponse("/ideas/review", status_code=303)


async def my_contributions(request: Request) -> Response:
    db = request.state.db
    user = request.state.user
    return _render(request, "mine.html", {
        "ideas": moderation.contributions(db, user.id),
        "stories": stories.by_author(db, user.id),
        "statuses": {k: _(v) for k, v in STATUSES.items()},
        "established": moderation.is_established(db, user),
    })


# -- case stories ----------------------------------------------------------------------------

#: Idea rows a story form carries: the first is named ``idea``, then ``idea_1``, ``idea_2``...
MAX_IDEA_ROWS = 10
STORY_ACTIONS = {
    "proposed": N_("added the story"), "published": N_("published"),
    "rejected": N_("sent back"), "edited": N_("edited"),
    "edited, back to review": N_("edited; back to review"),
    "resubmitted": N_("edited and resubmitted"),
}
STORY_FIELDS = {
    "title": N_("Title"), "happened_on": N_("Date"), "place": N_("Place"),
    "region": N_("Region"), "country": N_("Country code"),
    "pseudonymous": N_("Protection"), "organisation_id": N_("Organisation"),
    "what_happened": N_("What happened"), "outcome": N_("Outcome"),
    "outcome_why": N_("What made it work or fail"), "lessons": N_("Lessons learnt"),
    "links": N_("Links"), "campaign_id": N_("Campaign"), "language": N_("Language"),
    "ideas": N_("Ideas used"),
}


def _suffix(n: int) -> str:
    return "" if n == 0 else f"_{n}"


def _story_ideas(form: dict[str, str]) -> list[tuple[str, str, str]]:
    """The idea links as submitted; rows whose address is empty are dropped (removed)."""
    out = []
    for n in range(MAX_IDEA_ROWS):
        slug = form.get("idea" + _suffix(n), "").strip()
        if slug:
            out.append((slug, form.get("reason" + _suffix(n), ""),
                        form.get("phase" + _suffix(n), "")))
    return out


def _idea_rows(links: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    """Rows for the form: the links, then one empty row to add another idea."""
    rows = [*links, ("", "", "")] if len(links) < MAX_IDEA_ROWS else links
    return [{"suffix": _suffix(n), "idea": i, "reason": r, "phase": p}
            for n, (i, r, p) in enumerate(rows)]


def _story_form_values(story: dict[str, Any]) -> dict[str, str]:
    values = {k: ("" if v is None else str(v)) for k, v in story.items()
              if k not in ("ideas", "links")}
    values["links"] = "\n".join(story["links"])
    values["pseudonymous"] = "1" if story["pseudonymous"] else ""
    return values


def _story_context(request: Request, form: dict[str, Any], errors: dict[str, str],
                   story: dict[str, Any] | None = None) -> dict[str, Any]:
    links = _story_ideas(form)
    if not links and form.get("idea_rows"):
        links = form["idea_rows"]
    choices = [(str(c["id"]), c["title"])
               for c in campaign_store.visible_campaigns(request.state.db, request.state.user)]
    current = story and story["campaign_id"]
    if current and str(current) not in {v for v, _t in choices}:
        # Linked to a campaign this editor may not see: it stays linked, unnamed.
        choices.append((str(current), _("A campaign you may not see (kept as it is)")))
    return {"form": form, "errors": errors, "story": story, "outcomes": _options(OUTCOMES),
            "phases": [(k, _(v) if v else "") for k, v in PHASES.items()],
            "idea_rows": _idea_rows(links), "campaigns": choices}


def _translated_story_errors(errors: dict[str, str]) -> dict[str, str]:
    """The campaign check's message in the reader's language (it names no campaign)."""
    if "campaign_id" in errors:
        errors = {**errors, "campaign_id": _(
            "Choose one of the campaigns you may see, or none. That campaign cannot be "
            "linked.")}
    return errors


def _visible_story(request: Request) -> dict[str, Any]:
    story = stories.get(request.state.db, request.path_params["story_id"])
    if not policy.can(request.state.user, "story.view", story):
        raise NotFound("No such case story.")
    return story


async def story_new(request: Request) -> Response:
    slug = request.query_params.get("idea", "")
    return _render(request, "story_form.html", _story_context(request, {"idea": slug}, {}))


async def story_create(request: Request) -> Response:
    db = request.state.db
    form = await form_dict(request)
    try:
        data = StoryInput.validated(**form, ideas=_story_ideas(form))
        story = stories.create(db, data, user=request.state.user, now=request.state.clock())
    except ValidationError as e:
        return _render(request, "story_form.html",
                       _story_context(request, form, _translated_story_errors(e.errors)), 400)
    if story["status"] == "published":
        flash(request, _("Case story published."))
    else:
        flash(request, _("Thank you. A coordinator will review the story before it is "
                         "published."))
    return RedirectResponse(f"/stories/{story['id']}", status_code=303)


async def story_edit(request: Request) -> Response:
    story = _visible_story(request)
    policy.require(request.state.user, "story.edit", story)
    values = {**_story_form_values(story),
              "idea_rows": [(i["slug"], i["reason"] or "", i["phase"] or "")
                            for i in story["ideas"]]}
    return _render(request, "story_form.html", _story_context(request, values, {}, story))


async def story_update(request: Request) -> Response:
    db = request.state.db
    story = _visible_story(request)
    policy.require(request.state.user, "story.edit", story)
    form = await form_dict(request)
    try:
        data = StoryInput.validated(**form, ideas=_story_ideas(form))
        saved, outcome = stories.update(db, story, data, user=request.state.user,
                                        now=request.state.clock())
    except ValidationError as e:
        return _render(request, "story_form.html", _story_context(
            request, form, _translated_story_errors(e.errors), story), 400)
    if outcome == "review":
        flash(request, _("Saved. A coordinator will review the story before it is "
                         "published again."))
    elif outcome == "unchanged":
        flash(request, _("Nothing changed."))
    else:
        flash(request, _("Case story saved."))
    return RedirectResponse(f"/stories/{saved['id']}", status_code=303)


async def story_view(request: Request) -> Response:
    db = request.state.db
    user = request.state.user
    story = _visible_story(request)
    campaign = None
    if story["campaign_id"]:
        try:
            campaign = tactics.visible_campaign(db, user, story["campaign_id"])
        except NotFound:
            campaign = None  # gone, or not for this reader: say nothing
    can_edit = policy.can(user, "story.edit", story)
    return _render(request, "story.html", {
        "story": story, "outcomes": {k: _(v) for k, v in OUTCOMES.items()},
        "phases": {k: _(v) if v else "" for k, v in PHASES.items()},
        "statuses": {k: _(v) for k, v in STATUSES.items()},
        "what_html": Markup(markdown_to_html(story["what_happened"])),
        "lessons_html": Markup(markdown_to_html(story["lessons"] or "")),
        "campaign": campaign, "can_edit": can_edit,
        # Who edited a protected story would point at its organisation: the history is for
        # the people who may edit it (author and coordinators).
        "history": stories.history(db, story["id"]) if can_edit else [],
        "actions": {k: _(v) for k, v in STORY_ACTIONS.items()},
        "field_labels": {k: _(v) for k, v in STORY_FIELDS.items()},
    })


async def story_moderate(request: Request) -> Response:
    db = request.state.db
    story = stories.get(db, request.path_params["story_id"])
    form = await form_dict(request)
    status = "published" if request.url.path.endswith("/publish") else "rejected"
    try:
        stories.set_status(db, story, status, user=request.state.user,
                           now=request.state.clock(), note=form.get("note", ""))
    except ValidationError:
        flash(request, _("Write a note saying why, so the contributor can improve it."),
              "error")
    return RedirectResponse(f"/stories/{story['id']}", status_code=303)


# -- campaign link ---------------------------------------------------------------------------

async def tactic_add(request: Request) -> Response:
    """Plan an idea as a tactic of a campaign (from the idea page or the campaign page)."""
    db = request.state.db
    form = await form_dict(request)
    slug = form.get("idea", "").strip()
    back = _safe_next(form.get("next", ""), f"/ideas/{slug}" if slug else "/ideas")
    raw_id = form.get("campaign_id", "").strip()
    campaign = _campaign(request, raw_id)
    policy.require(request.state.user, "catalogue.plan_tactic", campaign)
    try:
        tactics.add(db, campaign_id=int(raw_id), idea_slug=slug, note=form.get("note", ""),
                    by=request.state.user.id, now=request.state.clock())
    except NotFound:
        flash(request, _("No published idea with the address %(slug)s.", slug=slug), "error")
        return RedirectResponse(back, status_code=303)
    flash(request, _("Added to the campaign's planned tactics."))
    return RedirectResponse(back, status_code=303)


async def tactic_remove(request: Request) -> Response:
    db = request.state.db
    form = await form_dict(request)
    raw_id = form.get("campaign_id", "").strip()
    campaign = _campaign(request, raw_id)
    policy.require(request.state.user, "catalogue.plan_tactic", campaign)
    idea = store.get(db, form.get("idea", ""))
    tactics.remove(db, campaign_id=int(raw_id), idea_id=idea["id"])
    flash(request, _("Removed from the campaign's planned tactics."))
    return RedirectResponse(_safe_next(form.get("next", ""), f"/ideas/{idea['slug']}"),
                            status_code=303)


def _campaign(request: Request, raw_id: str) -> dict[str, Any]:
    """The campaign, if the viewer may see it; otherwise it does not exist (404)."""
    if not raw_id.isdigit():
        raise NotFound("No such campaign.")
    return tactics.visible_campaign(request.state.db, request.state.user, int(raw_id))


def campaign_panel(request: Request, campaign: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The campaign page's list of planned tactics, with a form to add one."""
    user = request.state.user
    themes = campaign.get("themes") or []
    return "catalogue/_campaign_panel.html", {
        "campaign": campaign, "tactics": tactics.for_campaign(request.state.db, campaign["id"]),
        "can_plan": policy.can(user, "catalogue.plan_tactic", campaign),
        "next": request.url.path,
        "ideas_url": _href("/ideas", [("theme", t) for t in themes]),
    }


routes = [
    page("/ideas", idea_list, name="ideas"),
    page("/ideas.json", idea_list_json),
    page("/ideas/cards", idea_cards),
    page("/ideas/new", idea_new, action="idea.propose"),
    page("/ideas/new", idea_create, methods=["POST"], action="idea.propose"),
    page("/ideas/review", review_queue, action="idea.moderate"),
    page("/ideas/mine", my_contributions),
    page("/ideas/tactics", tactic_add, methods=["POST"]),
    page("/ideas/tactics/remove", tactic_remove, methods=["POST"]),
    page("/ideas/{slug}", idea_view, name="idea"),
    page("/ideas/{slug}/edit", idea_edit),
    page("/ideas/{slug}/edit", idea_update, methods=["POST"]),
    page("/ideas/{slug}/translate", idea_translate, action="idea.translate"),
    page("/ideas/{slug}/translate", idea_translate_save, methods=["POST"],
         action="idea.translate"),
    page("/ideas/{slug}/publish", idea_publish, methods=["POST"], action="idea.moderate"),
    page("/ideas/{slug}/reject", idea_reject, methods=["POST"], action="idea.moderate"),
    page("/stories/new", story_new, action="story.propose"),
    page("/stories/new", story_create, methods=["POST"], action="story.propose"),
    page("/stories/{story_id:int}", story_view),
    page("/stories/{story_id:int}/edit", story_edit),
    page("/stories/{story_id:int}/edit", story_update, methods=["POST"]),
    page("/stories/{story_id:int}/publish", story_moderate, methods=["POST"],
         action="idea.moderate"),
    page("/stories/{story_id:int}/reject", story_moderate, methods=["POST"],
         action="idea.moderate"),
]

WEB = WebArea(name="catalogue", routes=routes, campaign_panel=campaign_panel)
