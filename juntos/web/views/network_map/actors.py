"""An actor's page and JSON, and the judgements people record on it."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from juntos.accounts import policy
from juntos.errors import NotFound, ValidationError
from juntos.network_map import judgements, store
from juntos.network_map.models import STANCES, TIE_KINDS
from juntos.network_map.profile import actor_profile
from juntos.organisations import picker
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict
from juntos.web.views.network_map.common import path_actor, render, snapshot


def _profile(request: Request) -> dict[str, Any]:
    net, m = snapshot(request)
    return actor_profile(request.state.db, net, m, request.path_params["slug"],
                         user=request.state.user)


async def actor_json(request: Request) -> Response:
    return JSONResponse(_profile(request))


async def actor_page(request: Request) -> Response:
    return actor_render(request, {}, {})


def stance_options() -> list[tuple[str, str]]:
    return [(s, _(s)) for s in STANCES]


def actor_render(request: Request, form: dict[str, str], errors: dict[str, str],
                 jform: dict[str, str] | None = None,
                 jerrors: dict[str, str] | None = None) -> Response:
    """The actor's page, with the tie form (``form``, ``errors``) and the judgement form
    (``jform``, ``jerrors``) as sent when one was refused."""
    db, user = request.state.db, request.state.user
    net, _m = snapshot(request)
    return render(request, "network_map/actor.html", {
        **_profile(request), "form": form, "errors": errors, "tie_kinds": TIE_KINDS,
        "stance_options": stance_options(), "jform": jform or {}, "jerrors": jerrors or {},
        "confidence_options": [(c, _(c)) for c in judgements.CONFIDENCES],
        "influence_options": [(str(i), str(i)) for i in judgements.INFLUENCE_SCALE],
        "campaign_options": [(c["slug"], c["title"])
                             for c in judgements.campaign_choices(db, user)],
        "can_withdraw": lambda j: policy.can(user, "network.judgement.delete", j),
        "can_change_tie": lambda t: policy.can(user, "network.tie.change",
                                               store.get_tie(db, t["id"])),
        "to_choices": [c for c in picker.pick(db, form.get("to", "")).choices
                       if c["slug"] in net.by_slug] if errors.get("to") else []},
        400 if errors or jerrors else 200)


def _campaign_id(request: Request, slug: str) -> int | None:
    """The campaign a judgement is about, among those the person may see."""
    if not slug:
        return None
    visible = {c["slug"]: c["id"]
               for c in judgements.campaign_choices(request.state.db, request.state.user)}
    if slug not in visible:  # absent or private: the same answer
        raise ValidationError({"campaign": _("Choose a campaign from the list.")})
    return int(visible[slug])


async def judgement_create(request: Request) -> Response:
    """Record what someone judges of this actor on an issue (influence, stance, confidence)."""
    _net, actor = path_actor(request)
    form = await form_dict(request)
    try:
        judgement = judgements.JudgementInput.validated(
            org_id=actor["id"], issue=form.get("issue", ""),
            campaign_id=_campaign_id(request, form.get("campaign", "").strip()),
            influence=form.get("influence", ""), stance=form.get("stance", ""),
            confidence=form.get("confidence", ""), note=form.get("note", ""))
        judgements.add(request.state.db, judgement, now=request.state.clock(),
                       by=request.state.user.id)
    except ValidationError as e:
        return actor_render(request, {}, {}, form, e.errors)
    flash(request, _("Judgement recorded."))
    return RedirectResponse(f"/network/actors/{actor['slug']}#judgements", status_code=303)


async def judgement_delete(request: Request) -> Response:
    db, user = request.state.db, request.state.user
    raw = request.path_params["judgement_id"]
    if not raw.isdigit():
        raise NotFound("No such judgement.")
    judgement = judgements.get(db, int(raw), user=user)
    policy.require(user, "network.judgement.delete", judgement)
    judgements.delete(db, judgement["id"])
    flash(request, _("Judgement withdrawn."))
    net, _m = snapshot(request)
    slug = net.actors[judgement["org_id"]]["slug"]
    return RedirectResponse(f"/network/actors/{slug}#judgements", status_code=303)
