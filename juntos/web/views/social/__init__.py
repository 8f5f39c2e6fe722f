"""Pages of the social area: accounts and connecting them, kits and variants, the wave planner,
queues, the approval inbox and each post's history. Thin: parse, check the policy, call
juntos.social, render. One module per resource; ``WEB`` is what the composition root mounts."""

from __future__ import annotations

from juntos.web.routing import page
from juntos.web.views.social import connect, settings
from juntos.web.views.social.accounts import (
    account_edit,
    account_list,
    delegation_grant,
    delegation_revoke,
    messages_home,
)
from juntos.web.views.social.kits import image_add, image_view, kit_list, kit_view, variants_save
from juntos.web.views.social.post import campaign_panel, post_view
from juntos.web.views.social.queues import campaign_posts_json, campaign_queue, inbox, org_queue
from juntos.web.views.social.waves import wave_plan
from juntos.web.webarea import WebArea

__all__ = ["WEB", "campaign_panel", "routes"]

routes = [
    *connect.routes,
    *settings.routes,
    page("/messages", messages_home),
    page("/messages/accounts/{org}", account_list, methods=["GET", "POST"]),
    page("/messages/accounts/{org}/{id}", account_edit, methods=["GET", "POST"]),
    page("/messages/accounts/{org}/{id}/delegations", delegation_grant, methods=["POST"]),
    page("/messages/accounts/{org}/{id}/delegations/{delegation}/revoke", delegation_revoke,
         methods=["POST"]),
    page("/messages/queue", org_queue),
    page("/messages/inbox", inbox, methods=["GET", "POST"]),
    page("/messages/posts/{id}", post_view, methods=["GET", "POST"]),
    page("/messages/images/{id}", image_view),
    page("/campaigns/{slug}/kits", kit_list, methods=["GET", "POST"]),
    page("/campaigns/{slug}/kits/{kit}", kit_view, methods=["GET", "POST"]),
    page("/campaigns/{slug}/kits/{kit}/variants", variants_save, methods=["POST"]),
    page("/campaigns/{slug}/kits/{kit}/images", image_add, methods=["POST"]),
    page("/campaigns/{slug}/kits/{kit}/wave", wave_plan, methods=["GET", "POST"]),
    page("/campaigns/{slug}/posts.json", campaign_posts_json),
    page("/campaigns/{slug}/posts", campaign_queue, methods=["GET", "POST"]),
]

WEB = WebArea(name="social", routes=routes, campaign_panel=campaign_panel)
