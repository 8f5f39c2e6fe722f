"""Case stories: adding, editing, reading and reviewing them."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import policy
from juntos.catalogue import stories, tactics
from juntos.catalogue.models import OUTCOMES, PHASES, STATUSES, StoryInput
from juntos.catalogue.rendering import markdown_to_html
from juntos.errors import NotFound, ValidationError
from juntos.web.i18n import N_
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict
from juntos.web.views.catalogue.common import options, render, translated

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


def _story_input(form: dict[str, str]) -> StoryInput:
    return StoryInput.validated(**form, ideas=_story_ideas(form))


def _idea_rows(links: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    """Rows for the form: the links, then one empty row to add another idea."""
    rows = [*links, ("", "", "")] if len(links) < MAX_IDEA_ROWS else links
    return [{"suffix": _suffix(n), "idea": i, "reason": r, "phase": p}
            for n, (i, r, p) in enumerate(rows)]


def _story_form_values(story: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {k: ("" if v is None else str(v)) for k, v in story.items()
                              if k not in ("ideas", "links")}
    values["links"] = "\n".join(story["links"])
    values["pseudonymous"] = "1" if story["pseudonymous"] else ""
    values["idea_rows"] = [(i["slug"], i["reason"] or "", i["phase"] or "")
                           for i in story["ideas"]]
    return values


def _story_context(request: Request, form: dict[str, Any], errors: dict[str, str],
                   story: dict[str, Any] | None = None) -> dict[str, Any]:
    links = _story_ideas(form) or form.get("idea_rows") or []
    choices = [(str(c["id"]), c["title"])
               for c in tactics.linkable_campaigns(request.state.db, request.state.user)]
    current = story and story["campaign_id"]
    if current and str(current) not in {v for v, _t in choices}:
        # Linked to a campaign this editor may not see: it stays linked, unnamed.
        choices.append((str(current), _("A campaign you may not see (kept as it is)")))
    return {"form": form, "errors": errors, "story": story, "outcomes": options(OUTCOMES),
            "phases": [(k, _(v) if v else "") for k, v in PHASES.items()],
            "idea_rows": _idea_rows(links), "campaigns": choices}


def _visible_story(request: Request) -> dict[str, Any]:
    story = stories.get(request.state.db, request.path_params["story_id"])
    if not policy.can(request.state.user, "story.view", story):
        raise NotFound("No such case story.")
    return story


def _form_page(request: Request, form: dict[str, Any], errors: dict[str, str],
               story: dict[str, Any] | None = None, status: int = 200) -> Response:
    return render(request, "story_form.html", _story_context(request, form, errors, story),
                  status)


async def story_new(request: Request) -> Response:
    return _form_page(request, {"idea": request.query_params.get("idea", "")}, {})


async def story_create(request: Request) -> Response:
    form = await form_dict(request)
    try:
        story = stories.create(request.state.db, _story_input(form), user=request.state.user,
                               now=request.state.clock())
    except ValidationError as e:
        return _form_page(request, form, e.errors, status=400)
    if story["status"] == "published":
        flash(request, _("Case story published."))
    else:
        flash(request, _("Thank you. A coordinator will review the story before it is "
                         "published."))
    return RedirectResponse(f"/stories/{story['id']}", status_code=303)


async def story_edit(request: Request) -> Response:
    story = _visible_story(request)
    policy.require(request.state.user, "story.edit", story)
    return _form_page(request, _story_form_values(story), {}, story)


_UPDATED = {
    "review": N_("Saved. A coordinator will review the story before it is published again."),
    "unchanged": N_("Nothing changed."),
    "saved": N_("Case story saved."),
}


async def story_update(request: Request) -> Response:
    story = _visible_story(request)
    policy.require(request.state.user, "story.edit", story)
    form = await form_dict(request)
    try:
        saved, outcome = stories.update(request.state.db, story, _story_input(form),
                                        user=request.state.user, now=request.state.clock())
    except ValidationError as e:
        return _form_page(request, form, e.errors, story, 400)
    flash(request, _(_UPDATED[outcome]))
    return RedirectResponse(f"/stories/{saved['id']}", status_code=303)


async def story_view(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    story = _visible_story(request)
    can_edit = policy.can(user, "story.edit", story)
    return render(request, "story.html", {
        "story": story, "outcomes": translated(OUTCOMES),
        "phases": {k: _(v) if v else "" for k, v in PHASES.items()},
        "statuses": translated(STATUSES),
        "what_html": Markup(markdown_to_html(story["what_happened"])),
        "lessons_html": Markup(markdown_to_html(story["lessons"] or "")),
        # Gone, or not for this reader: say nothing.
        "campaign": tactics.campaign_if_visible(db, user, story["campaign_id"]),
        "can_edit": can_edit,
        # Who edited a protected story would point at its organisation: the history is for
        # the people who may edit it (author and coordinators).
        "history": stories.history(db, story["id"]) if can_edit else [],
        "actions": translated(STORY_ACTIONS), "field_labels": translated(STORY_FIELDS),
    })


async def story_moderate(request: Request) -> Response:
    story = stories.get(request.state.db, request.path_params["story_id"])
    form = await form_dict(request)
    status = "published" if request.url.path.endswith("/publish") else "rejected"
    try:
        stories.set_status(request.state.db, story, status, user=request.state.user,
                           now=request.state.clock(), note=form.get("note", ""))
    except ValidationError:
        flash(request, _("Write a note saying why, so the contributor can improve it."),
              "error")
    return RedirectResponse(f"/stories/{story['id']}", status_code=303)
