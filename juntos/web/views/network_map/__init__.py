"""Pages of the network_map area: the explorer, its JSON, the no-JS SVG and tables, actors and
ties, questions, import and export. Thin: parse the request, call juntos.network_map, render.

``WEB`` declares them for the composition root, with what the app keeps for the area: one
``NetworkCache`` (snapshots and rendered bodies) and one ``Imports`` (staged uploads and
background imports), built per app.
"""

from __future__ import annotations

from juntos.network_map.cache import NetworkCache
from juntos.network_map.imports import Imports
from juntos.web.routing import page
from juntos.web.views.network_map.actors import (
    actor_json,
    actor_page,
    judgement_create,
    judgement_delete,
)
from juntos.web.views.network_map.explorer import (
    actor_table,
    explorer,
    export,
    graph_data,
    map_svg,
    path_json,
    questions_page,
    tie_table,
)
from juntos.web.views.network_map.imports import import_form, import_post, import_status
from juntos.web.views.network_map.panels import campaign_panel, organisation_panel
from juntos.web.views.network_map.ties import (
    tie_create,
    tie_delete,
    tie_delete_form,
    tie_edit,
    tie_edit_form,
)
from juntos.web.webarea import WebArea

EDIT = "network.edit"
IMPORT = "network.import"

routes = [
    page("/network", explorer, name="network"),
    page("/network/graph.json", graph_data),
    page("/network/map.svg", map_svg),
    page("/network/path.json", path_json),
    page("/network/actors", actor_table, name="network_actors"),
    page("/network/ties", tie_table, name="network_ties"),
    page("/network/actors/{slug}.json", actor_json),
    page("/network/actors/{slug}", actor_page, name="network_actor"),
    page("/network/actors/{slug}/ties", tie_create, methods=["POST"], action=EDIT),
    page("/network/actors/{slug}/judgements", judgement_create, methods=["POST"], action=EDIT),
    page("/network/judgements/{judgement_id}/delete", judgement_delete, methods=["POST"],
         action=EDIT),
    page("/network/ties/{tie_id}/edit", tie_edit_form, action=EDIT),
    page("/network/ties/{tie_id}/edit", tie_edit, methods=["POST"], action=EDIT),
    page("/network/ties/{tie_id}/delete", tie_delete_form, action=EDIT),
    page("/network/ties/{tie_id}/delete", tie_delete, methods=["POST"], action=EDIT),
    page("/network/questions", questions_page, name="network_questions"),
    page("/network/export", export, name="network_export"),
    page("/network/import", import_form, action=IMPORT, name="network_import"),
    page("/network/import", import_post, methods=["POST"], action=IMPORT),
    page("/network/import/{token}/status", import_status, action=IMPORT),
]

WEB = WebArea(
    name="network_map",
    routes=routes,
    organisation_panel=organisation_panel,
    campaign_panel=campaign_panel,
    state={"network_cache": NetworkCache, "network_imports": Imports},
)
