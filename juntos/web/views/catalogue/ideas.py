"""One idea: its page, proposing and editing it, translating it, and its review."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import policy
from juntos.catalogue import moderation, store, stories, tactics, translation_review
from juntos.catalogue import search as searching
from juntos.catalogue.localise import fell_back, localise
from juntos.catalogue.models import (
    CLASSES,
    COSTS,
    LANGUAGES,
    MODES,
    PEOPLE,
    RISKS,
    SOURCES,
    STATUSES,
    TRANSLATABLE,
    IdeaInput,
)
from juntos.catalogue.rendering import markdown_to_html
from juntos.errors import Conflict, ValidationError
from juntos.web.conditional import tagged
from juntos.web.i18n import N_, current_language
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict
from juntos.web.templating import language_name
from juntos.web.views.catalogue.common import (
    FIELD_LABELS,
    options,
    render,
    translated,
    visible_idea,
)

HISTORY_ACTIONS = {
    "seeded": N_("added to the starter catalogue"), "proposed": N_("proposed"),
    "published": N_("published"), "edited": N_("edited"), "rejected": N_("sent back"),
    "resubmitted": N_("edited and resubmitted"),
    "revision proposed": N_("proposed a revision"),
    "revision accepted": N_("accepted a revision"), "revised": N_("revised"),
    "revision rejected": N_("sent back a revision"), "translated": N_("translated"),
    "imported": N_("imported"),
    "translation proposed": N_("proposed a translation"),
    "translation accepted": N_("accepted a translation"),
    "translation rejected": N_("sent back a translation"),
}


def _redirect(path: str) -> Response:
    return RedirectResponse(path, status_code=303)


def _markdown(text: str) -> Markup:
    return Markup(markdown_to_html(text))


async def idea_view(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    idea = visible_idea(request, request.path_params["slug"])
    language = current_language()
    found = store.translations(db, [idea["id"]])[idea["id"]]
    fields = localise(idea, found, language)
    published = idea["status"] == "published" and not idea["revision_of"]
    return tagged(request, render(request, "idea.html", {
        "idea": idea, "fields": fields, "fell_back": fell_back(fields, language),
        "body_html": _markdown(fields["body"].text),
        "safety_html": _markdown(fields["safety_notes"].text),
        "suits_html": _markdown(fields["suits"].text),
        "not_suits_html": _markdown(fields["not_suits"].text),
        "translations": sorted(found), "sources": translated(SOURCES),
        "stories": stories.for_idea(db, idea["id"]) if published else [],
        "campaigns": tactics.for_idea(db, idea["id"], user) if published else [],
        "plannable": tactics.plannable(db, user) if published else [],
        "related": searching.related(db, idea) if published else [],
        "history": store.history(db, idea["id"]),
        "actions": translated(HISTORY_ACTIONS), "field_labels": translated(FIELD_LABELS),
        "statuses": translated(STATUSES),
        "original": store.get_by_id(db, idea["revision_of"]) if idea["revision_of"] else None,
        "published": published,
    }))


# -- propose and edit ------------------------------------------------------------------------

def _form_context(form: dict[str, Any], errors: dict[str, str], idea: dict[str, Any] | None
                  ) -> dict[str, Any]:
    return {
        "form": form, "errors": errors, "idea": idea,
        "classes": options(CLASSES), "risks": options(RISKS), "costs": options(COSTS),
        "people": options(PEOPLE), "modes": options(MODES),
        "languages_all": [(code, language_name(code)) for code in LANGUAGES],
    }


def _idea_form_values(idea: dict[str, Any]) -> dict[str, str]:
    values = {k: ("" if v is None else v) for k, v in idea.items()}
    values["tags"] = ", ".join(idea["tags"])
    values["themes"] = ", ".join(idea["themes"])
    return values


async def idea_new(request: Request) -> Response:
    return render(request, "form.html", _form_context({"language": "en"}, {}, None))


async def idea_create(request: Request) -> Response:
    form = await form_dict(request)
    try:
        idea = moderation.propose(request.state.db, IdeaInput.validated(**form),
                                  user=request.state.user, now=request.state.clock())
    except ValidationError as e:
        return render(request, "form.html", _form_context(form, e.errors, None), 400)
    except Conflict:
        errors = {"slug": _("An idea with this address already exists; choose another.")}
        return render(request, "form.html", _form_context(form, errors, None), 400)
    if idea["status"] == "published":
        flash(request, _("Published %(title)s.", title=idea["title"]))
    else:
        flash(request, _("Thank you. A coordinator will review %(title)s before it is "
                         "published.", title=idea["title"]))
    return _redirect(f"/ideas/{idea['slug']}")


async def idea_edit(request: Request) -> Response:
    idea = visible_idea(request, request.path_params["slug"])
    policy.require(request.state.user, "idea.edit", idea)
    return render(request, "form.html", _form_context(_idea_form_values(idea), {}, idea))


async def idea_update(request: Request) -> Response:
    idea = visible_idea(request, request.path_params["slug"])
    policy.require(request.state.user, "idea.edit", idea)
    form = await form_dict(request)
    try:
        data = IdeaInput.validated(**{**form, "slug": idea["slug"]})
        saved, outcome = moderation.edit(request.state.db, idea, data,
                                         user=request.state.user, now=request.state.clock())
    except ValidationError as e:
        return render(request, "form.html", _form_context(form, e.errors, idea), 400)
    if outcome == "review":
        flash(request, _("Your changes were saved as a review copy. The published text stays "
                         "until a coordinator accepts them."))
    else:
        flash(request, _("Saved %(title)s.", title=saved["title"]))
    return _redirect(f"/ideas/{saved['slug']}")


# -- translations ----------------------------------------------------------------------------

def _translate_context(idea: dict[str, Any], language: str, values: dict[str, str],
                       source: str, errors: dict[str, str]) -> dict[str, Any]:
    return {"idea": idea, "language": language, "values": values, "source": source,
            "errors": errors, "fields": [(f, _(FIELD_LABELS[f])) for f in TRANSLATABLE],
            "languages_all": [(c, language_name(c)) for c in LANGUAGES if c != idea["language"]],
            "sources": options(SOURCES)}


async def idea_translate(request: Request) -> Response:
    idea = visible_idea(request, request.path_params["slug"])
    fallback = "pt" if idea["language"] != "pt" else "en"
    language = request.query_params.get("language", fallback)
    if language not in LANGUAGES or language == idea["language"]:
        language = fallback
    values, source = store.translation_form(request.state.db, idea, language)
    return render(request, "translate.html",
                  _translate_context(idea, language, values, source, {}))


async def idea_translate_save(request: Request) -> Response:
    idea = visible_idea(request, request.path_params["slug"])
    form = await form_dict(request)
    language, source = form.get("language", ""), form.get("source", "human")
    values = {f: form.get(f, "").strip() for f in TRANSLATABLE}
    try:
        outcome = translation_review.submit(
            request.state.db, idea, language, values, source=source,
            now=request.state.clock(), user=request.state.user, note=language_name(language))
    except ValidationError as e:
        return render(request, "translate.html",
                      _translate_context(idea, language, values, source, e.errors), 400)
    flash(request, _("Translation saved.") if outcome == "saved" else
          _("Thank you: your translation waits for a coordinator's review, as edits do."))
    return _redirect(f"/ideas/{idea['slug']}")


async def translation_accept(request: Request) -> Response:
    idea = translation_review.accept(request.state.db, request.path_params["proposal_id"],
                                     user=request.state.user, now=request.state.clock())
    flash(request, _("Translation accepted."))
    return _redirect(f"/ideas/{idea['slug']}")


async def translation_reject(request: Request) -> Response:
    form = await form_dict(request)
    try:
        translation_review.reject(request.state.db, request.path_params["proposal_id"],
                                  user=request.state.user, now=request.state.clock(),
                                  note=form.get("note", ""))
    except ValidationError:
        flash(request, _("Write a note saying why, so the contributor can improve it."),
              "error")
        return _redirect("/ideas/review")
    flash(request, _("Sent back to the contributor with your note."))
    return _redirect("/ideas/review")


# -- review ----------------------------------------------------------------------------------

async def review_queue(request: Request) -> Response:
    db = request.state.db
    return render(request, "review.html", {"ideas": moderation.review_queue(db),
                                           "stories": stories.pending(db),
                                           "translations": translation_review.pending(db)})


async def idea_publish(request: Request) -> Response:
    idea = store.get(request.state.db, request.path_params["slug"])
    form = await form_dict(request)
    published = moderation.publish(request.state.db, idea, user=request.state.user,
                                   now=request.state.clock(), note=form.get("note", ""))
    flash(request, _("Published %(title)s.", title=published["title"]))
    return _redirect(f"/ideas/{published['slug']}")


async def idea_reject(request: Request) -> Response:
    idea = store.get(request.state.db, request.path_params["slug"])
    form = await form_dict(request)
    try:
        moderation.reject(request.state.db, idea, user=request.state.user,
                          now=request.state.clock(), note=form.get("note", ""))
    except ValidationError:
        flash(request, _("Write a note saying why, so the contributor can improve it."),
              "error")
        return _redirect(f"/ideas/{idea['slug']}")
    flash(request, _("Sent back to the contributor with your note."))
    return _redirect("/ideas/review")


async def my_contributions(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    return render(request, "mine.html", {
        "ideas": moderation.contributions(db, user.id),
        "stories": stories.by_author(db, user.id),
        "statuses": translated(STATUSES),
        "established": moderation.is_established(db, user),
    })
