"""Ideas planned as tactics of campaigns: adding and removing them, and the campaign page's
panel that lists them."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from juntos.accounts import policy
from juntos.campaigns import store as campaigns
from juntos.catalogue import store, tactics
from juntos.errors import NotFound, ValidationError
from juntos.organisations import store as organisations
from juntos.web.i18n import gettext as _
from juntos.web.i18n import translate_message
from juntos.web.routing import flash, form_dict
from juntos.web.templating import kept_piece
from juntos.web.views.catalogue.common import href, safe_next


def _campaign(request: Request, raw_id: str) -> dict[str, Any]:
    """The campaign, if the viewer may plan its tactics; a campaign the viewer may not see
    does not exist (404)."""
    if not raw_id.isdigit():
        raise NotFound("No such campaign.")
    campaign = tactics.visible_campaign(request.state.db, request.state.user, int(raw_id))
    policy.require(request.state.user, "catalogue.plan_tactic", campaign)
    return campaign


async def tactic_add(request: Request) -> Response:
    """Plan an idea as a tactic of a campaign (from the idea page or the campaign page)."""
    form = await form_dict(request)
    typed = form.get("idea", "").strip()
    slug = tactics.slug_for(request.state.db, typed)
    if not form.get("campaign_id", "").strip():
        flash(request, _("Choose a campaign."), "error")
        back = safe_next(form.get("next", ""), f"/ideas/{slug}" if slug else "/ideas")
        return RedirectResponse(back, status_code=303)
    campaign = _campaign(request, form.get("campaign_id", "").strip())
    if slug is None:  # part of a title: search, then add from the idea's page
        flash(request, _("Choose the idea among those found, then add it from its page."))
        return RedirectResponse(href("/ideas", [("q", typed)]), status_code=303)
    back = safe_next(form.get("next", ""), f"/ideas/{slug}")
    try:
        data = tactics.TacticInput.validated(**form)
        tactics.add(request.state.db, campaign_id=campaign["id"], idea_slug=slug, data=data,
                    by=request.state.user.id, now=request.state.clock())
    except NotFound:
        flash(request, _("No published idea with the address %(slug)s.", slug=slug), "error")
        return RedirectResponse(back, status_code=303)
    except ValidationError as e:
        flash(request, " ".join(str(translate_message(m)) for m in e.errors.values()), "error")
        return RedirectResponse(back, status_code=303)
    flash(request, _("Added to the campaign's planned tactics."))
    return RedirectResponse(back, status_code=303)


async def tactic_remove(request: Request) -> Response:
    form = await form_dict(request)
    campaign = _campaign(request, form.get("campaign_id", "").strip())
    idea = store.get(request.state.db, form.get("idea", ""))
    tactics.remove(request.state.db, campaign_id=campaign["id"], idea_id=idea["id"])
    flash(request, _("Removed from the campaign's planned tactics."))
    return RedirectResponse(safe_next(form.get("next", ""), f"/ideas/{idea['slug']}"),
                            status_code=303)


#: The name the campaign page's panel is kept by (``fragment``).
PANEL = "catalogue/_campaign_panel.html"


def campaign_panel(request: Request, campaign: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The campaign page's list of planned tactics, with a form to add one. Kept rendered
    per campaign, reader's rights and organisation until the catalogue, the campaigns or the
    organisations change; only read when not kept."""
    db, user = request.state.db, request.state.user
    can_plan = policy.can(user, "catalogue.plan_tactic", campaign)
    own = user.organisation_id if user else None
    key = (campaign["id"], store.version(db), campaigns.version(db), organisations.version(db),
           can_plan, own, request.url.path)
    kept = kept_piece(request, PANEL, key)
    if kept is not None:
        return PANEL, {"html": kept}
    themes = campaign.get("themes") or []
    owners = tactics.owners(request.state.db, campaign["id"])
    return PANEL, {
        "key": key, "html": None,
        "campaign": campaign, "tactics": tactics.for_campaign(request.state.db, campaign["id"]),
        "statuses": tactics.STATUSES,
        "owners": owners,
        # The viewer's organisation owns what it adds, when it is a partner.
        "default_owner": own if own in dict(owners) else None,
        "can_plan": can_plan,
        "next": request.url.path,
        "ideas_url": href("/ideas", [("theme", t) for t in themes]),
        "idea_titles": tactics.suggested_titles(request.state.db, themes,
                                                cache=request.app.state.catalogue_facets),
    }


def brief_panel(request: Request, campaign: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The planned tactics in a campaign's printable brief: what, who, when, how far."""
    return "catalogue/_brief_panel.html", {
        "tactics": tactics.for_campaign(request.state.db, campaign["id"]),
        "statuses": tactics.STATUSES}
