"""Browsing and searching the catalogue: the list with its facets, its JSON, printable cards."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from juntos.catalogue import facet_index, store
from juntos.catalogue import search as searching
from juntos.catalogue.localise import localised
from juntos.catalogue.rendering import markdown_to_html
from juntos.web.i18n import N_, current_language
from juntos.web.i18n import gettext as _
from juntos.web.templating import kept_piece
from juntos.web.views.catalogue.common import href, render

SORT_LABELS = {"relevance": N_("Relevance"), "newest": N_("Newest"),
               "used": N_("Most used in campaigns")}


def _search(request: Request, query: searching.Query, *, facets: bool = True
            ) -> searching.Results:
    cache: facet_index.FacetCache = request.app.state.catalogue_facets
    return searching.search(request.state.db, query, facets=facets, cache=cache)


def _query(request: Request) -> searching.Query:
    return searching.Query.from_params(request.query_params, per_page=20)


def _localised_titles(request: Request, hits: list[dict[str, Any]]) -> None:
    for hit, fields in zip(hits, localised(request.state.db, hits, current_language()),
                           strict=True):
        hit["display_title"] = fields["title"].text
        hit["display_summary"] = fields["summary"].text


#: The name a page of results (facets and hits) is kept by (``fragment`` in list.html).
RESULTS = "catalogue/list.html results"


async def idea_list(request: Request) -> Response:
    """A page of results. The same for every reader: kept rendered per query until the
    catalogue changes (its counter), and then not searched again."""
    query = _query(request)
    json_url = href("/ideas.json", query.params())
    results_key = (store.version(request.state.db), json_url)
    kept = kept_piece(request, RESULTS, results_key)
    results = None
    if kept is None:
        results = _search(request, query)
        _localised_titles(request, results.hits)
    return render(request, "list.html", {
        "results": results, "results_html": kept, "results_key": results_key,
        "query": query, "href": href,
        "sorts": [(k, _(v)) for k, v in SORT_LABELS.items()],
        "json_url": json_url,
        "cards_url": href("/ideas/cards", query.params(page=None)),
        "clear_url": href("/ideas", query.params(page=None, **dict.fromkeys(query.filters))),
    })


def _json_hit(hit: dict[str, Any], base: str) -> dict[str, Any]:
    return {
        "slug": hit["slug"], "title": hit["title"], "summary": hit["summary"] or "",
        "class": hit["class"], "subclass": hit["subclass"] or "", "risk": hit["risk"] or "",
        "cost": hit["cost"] or "", "people": hit["people"] or "", "mode": hit["mode"] or "",
        "themes": hit["themes"], "tags": hit["tags"], "completeness": hit["completeness"],
        "used_in_campaigns": hit["used"], "case_stories": hit["stories"],
        "snippet_html": hit["snippet"], "url": f"{base}/ideas/{hit['slug']}",
    }


async def idea_list_json(request: Request) -> Response:
    query = _query(request)
    results = _search(request, query)
    base = str(request.base_url).rstrip("/")
    return JSONResponse({
        "query": {"q": query.q, "filters": {k: list(v) for k, v in query.filters.items()},
                  "sort": query.sort, "page": query.page, "per_page": query.per_page},
        "total": results.total, "pages": results.pages,
        "ideas": [_json_hit(h, base) for h in results.hits],
        "facets": {f: [{"value": v.value, "count": v.count, "selected": v.selected}
                       for v in values] for f, values in results.facets.items()},
    })


async def idea_cards(request: Request) -> Response:
    """Printable cards for a workshop: the current search, up to 60 ideas."""
    query = searching.Query.from_params(request.query_params, per_page=60)
    results = _search(request, query, facets=False)
    ideas = store.get_many(request.state.db, [hit["id"] for hit in results.hits])
    cards = [{"idea": idea, "fields": fields,
              "safety_html": Markup(markdown_to_html(fields["safety_notes"].text))}
             for idea, fields in zip(ideas, localised(request.state.db, ideas,
                                                      current_language()), strict=True)]
    return render(request, "cards.html", {"cards": cards, "query": query,
                                          "back": href("/ideas", query.params(page=None))})
