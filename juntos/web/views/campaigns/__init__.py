"""Pages of the campaigns area: list, new/edit, the campaign page and its small forms, its
items' own pages, "my commitments", the printable brief, JSON and Markdown exports, and panels
for the dashboard and organisation pages.

Thin: parse the request, call ``juntos.campaigns``, render. A campaign the user may not see is
a 404 everywhere (``common.visible``; for a visitor without an account, the login page
whether it exists or not). Changing one needs a ``campaign.*`` action from
``juntos.accounts.policy`` (403 for those who can see it but may not change it).
"""

from __future__ import annotations

from juntos.campaigns.memo import CampaignMemo
from juntos.web.routing import page
from juntos.web.views.campaigns import forms, items, pages
from juntos.web.views.campaigns.common import DayLabels
from juntos.web.webarea import WebArea

routes = [
    page("/campaigns", pages.campaign_list, name="campaigns"),
    page("/campaigns/new", pages.campaign_new, action="campaign.create"),
    page("/campaigns/new", pages.campaign_create, methods=["POST"], action="campaign.create"),
    page("/campaigns/commitments", pages.my_commitments, name="my_commitments"),
    # Public routes: a public campaign is readable without an account; the rest ask to log in.
    page("/campaigns/{slug}.json", pages.campaign_json, public=True),
    page("/campaigns/{slug}.md", pages.campaign_markdown, public=True),
    page("/campaigns/{slug}", pages.campaign_view, name="campaign", public=True),
    page("/campaigns/{slug}/brief", pages.campaign_brief, public=True),
    page("/campaigns/{slug}/edit", pages.campaign_edit),
    page("/campaigns/{slug}/edit", pages.campaign_update, methods=["POST"]),
    page("/campaigns/{slug}/partners", forms.partner_add, methods=["POST"]),
    page("/campaigns/{slug}/invitation", forms.invitation_answer, methods=["POST"]),
    page("/campaigns/{slug}/leave", forms.leave, methods=["POST"]),
    page("/campaigns/{slug}/partners/roles", forms.partner_roles, methods=["POST"]),
    page("/campaigns/{slug}/workstreams", forms.workstream_add, methods=["POST"]),
    page("/campaigns/{slug}/matrix", forms.matrix_save, methods=["POST"]),
    page("/campaigns/{slug}/commitments", forms.commitment_add, methods=["POST"]),
    page("/campaigns/{slug}/commitments/statuses", forms.commitment_statuses,
         methods=["POST"]),
    page("/campaigns/{slug}/calls", forms.call_add, methods=["POST"]),
    page("/campaigns/{slug}/calls/suggested", forms.call_from_suggestion, methods=["POST"]),
    page("/campaigns/{slug}/milestones", forms.milestone_add, methods=["POST"]),
    *(route
      for kind in items.ITEMS
      for route in (
          page(f"/campaigns/{{slug}}/{kind}/{{item_id}}/edit", items.edit_item,
               name=f"{kind}_edit"),
          page(f"/campaigns/{{slug}}/{kind}/{{item_id}}/edit", items.update_item,
               methods=["POST"], name=f"{kind}_update"),
          page(f"/campaigns/{{slug}}/{kind}/{{item_id}}/delete", items.delete_item,
               methods=["POST"], name=f"{kind}_delete"),
      )),
]

#: The campaigns area's pages: the campaign views and their items' pages.
WEB = WebArea(name="campaigns", routes=routes, dashboard_panel=pages.dashboard_panel,
              organisation_panel=pages.organisation_panel,
              state={"campaign_days": DayLabels, "campaign_memo": CampaignMemo})
