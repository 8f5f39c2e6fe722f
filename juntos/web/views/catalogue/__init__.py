"""Pages of the catalogue area: browse and search, idea pages, contribution and review, case
stories, and ideas planned as campaign tactics.

Thin: parse the request, call ``juntos.catalogue``, render. Drafts and review copies that the
viewer may not see answer 404 (``common.visible_idea``).
"""

from __future__ import annotations

from juntos.catalogue import facet_index
from juntos.web.routing import page
from juntos.web.views.catalogue import browse, ideas, stories, tactics
from juntos.web.webarea import WebArea

# Fixed paths come before ``/ideas/{slug}``, which would take them for slugs.
routes = [
    page("/ideas", browse.idea_list, name="ideas"),
    page("/ideas.json", browse.idea_list_json),
    page("/ideas/cards", browse.idea_cards),
    page("/ideas/new", ideas.idea_new, action="idea.propose"),
    page("/ideas/new", ideas.idea_create, methods=["POST"], action="idea.propose"),
    page("/ideas/review", ideas.review_queue, action="idea.moderate"),
    page("/ideas/mine", ideas.my_contributions),
    page("/ideas/tactics", tactics.tactic_add, methods=["POST"]),
    page("/ideas/tactics/remove", tactics.tactic_remove, methods=["POST"]),
    page("/ideas/{slug}", ideas.idea_view, name="idea"),
    page("/ideas/{slug}/edit", ideas.idea_edit),
    page("/ideas/{slug}/edit", ideas.idea_update, methods=["POST"]),
    page("/ideas/{slug}/translate", ideas.idea_translate, action="idea.translate"),
    page("/ideas/{slug}/translate", ideas.idea_translate_save, methods=["POST"],
         action="idea.translate"),
    page("/ideas/{slug}/publish", ideas.idea_publish, methods=["POST"], action="idea.moderate"),
    page("/ideas/translations/{proposal_id:int}/accept", ideas.translation_accept,
         methods=["POST"], action="idea.moderate"),
    page("/ideas/translations/{proposal_id:int}/reject", ideas.translation_reject,
         methods=["POST"], action="idea.moderate"),
    page("/ideas/{slug}/reject", ideas.idea_reject, methods=["POST"], action="idea.moderate"),
    page("/stories/new", stories.story_new, action="story.propose"),
    page("/stories/new", stories.story_create, methods=["POST"], action="story.propose"),
    page("/stories/{story_id:int}", stories.story_view),
    page("/stories/{story_id:int}/edit", stories.story_edit),
    page("/stories/{story_id:int}/edit", stories.story_update, methods=["POST"]),
    page("/stories/{story_id:int}/publish", stories.story_moderate, methods=["POST"],
         action="idea.moderate"),
    page("/stories/{story_id:int}/reject", stories.story_moderate, methods=["POST"],
         action="idea.moderate"),
]

WEB = WebArea(name="catalogue", routes=routes, campaign_panel=tactics.campaign_panel,
              brief_panel=tactics.brief_panel,
              state={"catalogue_facets": facet_index.FacetCache})
