"""Ties recorded by hand: added from an actor's page, edited and deleted on pages of their
own (so every step works without JavaScript)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import policy
from juntos.errors import NotFound, ValidationError
from juntos.network_map import store
from juntos.network_map.models import TIE_KINDS, TieInput
from juntos.organisations import picker
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict
from juntos.web.views.network_map.actors import actor_render, stance_options
from juntos.web.views.network_map.common import path_actor, render, snapshot

Ends = tuple[dict[str, Any], dict[str, Any]]


def _tie_input(form: dict[str, str], a: int, b: int) -> TieInput:
    """The tie form's fields, validated the same way for adding and editing."""
    return TieInput.validated(from_id=a, to_id=b, kind=form.get("kind", ""),
                              directed=form.get("directed") == "1",
                              strength=form.get("strength", ""), stance=form.get("stance", ""),
                              valid_from=form.get("valid_from", ""),
                              valid_until=form.get("valid_until", ""),
                              source=form.get("source", ""), notes=form.get("notes", ""))


async def tie_create(request: Request) -> Response:
    """Record one tie from this actor (the form on the actor's page)."""
    net, actor = path_actor(request)
    form = await form_dict(request)
    typed = form.get("to", "").strip()
    found = picker.pick(request.state.db, typed).found if typed else None
    other = net.actor(found["slug"]) if found else None
    try:
        if other is None:
            raise ValidationError({"to": _("Choose the other actor: type part of its name or"
                                           " its acronym.") if not typed else
                                   _("More than one actor, or none, goes by “%(name)s”:"
                                     " choose one.", name=typed)})
        a, b = (other["id"], actor["id"]) if form.get("incoming") else (actor["id"], other["id"])
        store.add_tie(request.state.db, _tie_input(form, a, b), now=request.state.clock(),
                      by=request.state.user.id)
    except ValidationError as e:
        return actor_render(request, form, e.errors)
    flash(request, _("Tie recorded."))
    return RedirectResponse(f"/network/actors/{actor['slug']}", status_code=303)


def _tie_of(request: Request) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The tie named in the path (membership ties have negative ids) and its two actors."""
    raw = request.path_params["tie_id"]
    try:
        tie = store.get_tie(request.state.db, int(raw))
    except ValueError as e:
        raise NotFound("No such tie.") from e
    # Only the tie's author, its ends' members and coordinators change or delete it.
    policy.require(request.state.user, "network.tie.change", tie)
    net, _m = snapshot(request)
    return tie, net.actors[tie["from_id"]], net.actors[tie["to_id"]]


def _back(ends: Ends, wanted: str) -> str:
    """Where to go after editing: the page of the end the person came from (never elsewhere)."""
    slug = next((a["slug"] for a in ends if a["slug"] == wanted), ends[0]["slug"])
    return f"/network/actors/{slug}"


def _tie_form_values(tie: dict[str, Any]) -> dict[str, str]:
    return {"kind": tie["kind"], "directed": "1" if tie["directed"] else "",
            "strength": "" if tie["strength"] is None else str(tie["strength"]),
            "stance": tie["stance"] or "", "valid_from": tie["valid_from"],
            "valid_until": tie["valid_until"], "source": tie["source"], "notes": tie["notes"]}


def _tie_edit_render(request: Request, tie: dict[str, Any], ends: Ends,
                     form: dict[str, str], errors: dict[str, str], back: str) -> Response:
    return render(request, "network_map/tie_edit.html", {
        "tie": tie, "source_actor": ends[0], "target_actor": ends[1], "form": form,
        "errors": errors, "tie_kinds": TIE_KINDS, "back": back,
        "stance_options": stance_options()}, 400 if errors else 200)


async def tie_edit_form(request: Request) -> Response:
    tie, a, b = _tie_of(request)
    back = _back((a, b), request.query_params.get("actor", ""))
    return _tie_edit_render(request, tie, (a, b), _tie_form_values(tie), {}, back)


async def tie_edit(request: Request) -> Response:
    """Change a tie's fields; the same validation and messages as recording one."""
    tie, a, b = _tie_of(request)
    form = await form_dict(request)
    back = _back((a, b), form.get("actor", ""))
    ends = (b, a) if form.get("swap") else (a, b)
    try:
        store.update_tie(request.state.db, tie["id"],
                         _tie_input(form, ends[0]["id"], ends[1]["id"]),
                         now=request.state.clock(), by=request.state.user.id)
    except ValidationError as e:
        return _tie_edit_render(request, tie, (a, b), form, e.errors, back)
    flash(request, _("Tie updated."))
    return RedirectResponse(back, status_code=303)


async def tie_delete_form(request: Request) -> Response:
    """Ask before deleting: the confirmation is a page, so it works without JavaScript."""
    tie, a, b = _tie_of(request)
    return render(request, "network_map/tie_delete.html", {
        "tie": tie, "source_actor": a, "target_actor": b,
        "back": _back((a, b), request.query_params.get("actor", ""))})


async def tie_delete(request: Request) -> Response:
    tie, a, b = _tie_of(request)
    form = await form_dict(request)
    store.delete_tie(request.state.db, tie["id"])
    flash(request, _("Tie deleted."))
    return RedirectResponse(_back((a, b), form.get("actor", "")), status_code=303)
