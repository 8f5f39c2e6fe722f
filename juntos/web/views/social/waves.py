"""The wave planner: a preview of every partner account's post, then the drafts."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from juntos.accounts import policy
from juntos.errors import ValidationError
from juntos.social import accounts, campaign_link, kits, platforms, posts, waves
from juntos.web.i18n import gettext as _
from juntos.web.routing import flash, form_dict
from juntos.web.views.social.common import campaign_of, kit_of, redirect, render

PREVIEW_ROWS = 300


def _wave_accounts(request: Request, campaign: dict[str, Any],
                   chosen: list[str]) -> list[accounts.Account]:
    found = accounts.for_organisations(request.state.db, campaign_link.partner_org_ids(campaign))
    return [a for a in found if a.platform in chosen]


def _spec(form: dict[str, str]) -> waves.WaveSpec:
    return waves.WaveSpec.validated(
        mode=form.get("mode", ""), day=form.get("day", ""), at=form.get("at", ""),
        stagger_minutes=form.get("stagger_minutes", "0"),
        x_pattern=form.get("x_pattern", waves.X_DIFFERENT_TEXT),
        lead_account_id=form.get("lead_account_id") or None)


async def wave_plan(request: Request) -> Response:
    """GET: the form. POST with preview: the preview table; with confirm: store the drafts.

    Planning a wave over every partner's accounts is the leads' (and coordinators') call."""
    db, user = request.state.db, request.state.user
    campaign = campaign_of(request)
    kit = kit_of(request, campaign)
    policy.require(user, "social.approve", campaign)
    form: dict[str, Any] = {"mode": waves.LOCAL, "at": "09:00", "stagger_minutes": "0",
                            "x_pattern": waves.X_DIFFERENT_TEXT}
    chosen = list(platforms.IDS)
    errors: dict[str, str] = {}
    preview = None
    if request.method == "POST":
        raw = await request.form()
        form = await form_dict(request)
        chosen = [p for p in raw.getlist("platforms") if p in platforms.IDS] or chosen
        try:
            spec = _spec(form)
            preview = waves.plan(_wave_accounts(request, campaign, chosen),
                                 kits.variant_texts(db, kit["id"]), spec,
                                 now=request.state.clock())
            if form.get("confirm"):
                result = posts.create_wave(db, campaign_id=campaign["id"], kit_id=kit["id"],
                                           spec=spec, wave=preview, now=request.state.clock(),
                                           by=user.id)
                flash(request, _("%(created)s draft posts created; %(left)s left out because of "
                                 "their problems.", created=result.created, left=result.left_out))
                return redirect(f"/campaigns/{campaign['slug']}/posts?wave={result.wave_id}")
        except ValidationError as e:
            errors, preview = e.errors, None
    reposting = [p.id for p in platforms.ALL if p.reposts]
    return render(request, "social/wave.html", {
        "campaign": campaign, "kit": kit, "form": form, "errors": errors, "preview": preview,
        "preview_rows": preview.rows[:PREVIEW_ROWS] if preview else [],
        "chosen": chosen, "x_accounts": _wave_accounts(request, campaign, reposting),
        "blocking": waves.BLOCKING}, 400 if errors else 200)
