from __future__ import annotations

import pytest

from juntos.catalogue import search, store, tactics
from tests.catalogue.support import add_idea


@pytest.fixture
def ideas(db, clock):
    made = {}
    made["tomada"] = add_idea(db, clock, title="Tomada de posição pública", risk="low",
                              themes="health", summary="Uma reunião aberta com a imprensa.")
    clock.advance(minutes=1)
    made["petition"] = add_idea(db, clock, title="Petition with delivery", risk="low",
                                cost="low", klass="digital", themes="health, education",
                                body="Collect signatures and deliver them.")
    clock.advance(minutes=1)
    made["body_only"] = add_idea(db, clock, title="Street theatre", klass="creative",
                                 risk="medium", body="A play that ends with a petition.")
    clock.advance(minutes=1)
    made["hearing"] = add_idea(db, clock, title="Public hearing", klass="lobbying",
                               risk="high", themes="land rights")
    made["draft"] = add_idea(db, clock, title="Secret petition draft", status="draft")
    return made


def titles(results):
    return [h["title"] for h in results.hits]


def test_accents_and_case_are_ignored(db, ideas):
    assert titles(search.search(db, search.Query(q="tomada"))) == ["Tomada de posição pública"]
    assert titles(search.search(db, search.Query(q="reuniao"))) == ["Tomada de posição pública"]
    assert titles(search.search(db, search.Query(q="POSICAO"))) == ["Tomada de posição pública"]


def test_ranked_by_bm25_title_before_body_and_drafts_never_found(db, ideas):
    found = titles(search.search(db, search.Query(q="petition")))
    assert found == ["Petition with delivery", "Street theatre"]


@pytest.mark.parametrize("q", ['"petition', 'petition"', "petition AND (", "petition*-:^",
                               "(petition", '"""'])
def test_fts_syntax_errors_are_read_as_plain_words(db, ideas, q):
    results = search.search(db, search.Query(q=q))
    if q == '"""':
        assert results.total == 4  # no words at all: everything
    else:
        assert "Petition with delivery" in titles(results)


def test_snippets_escape_text_and_highlight_matches(db, clock):
    add_idea(db, clock, title="Flyers <script>alert(1)</script>",
             body="Print <b>flyers</b> & hand them out")
    hit = search.search(db, search.Query(q="flyers")).hits[0]
    assert "<script>" not in hit["snippet"]
    assert "&lt;script&gt;" in hit["snippet"]
    assert "<mark>Flyers</mark>" in hit["snippet"] or "<mark>flyers</mark>" in hit["snippet"]
    assert "<b>" not in hit["snippet"]


def test_facet_counts_follow_the_query(db, ideas):
    results = search.search(db, search.Query(q="petition"))
    risk = {v.value: v.count for v in results.facets["risk"]}
    assert risk == {"low": 1, "medium": 1}
    everything = search.search(db, search.Query())
    assert {v.value: v.count for v in everything.facets["risk"]} == {
        "low": 2, "medium": 1, "high": 1}


def test_facets_narrow_and_count_other_values_of_the_same_facet(db, ideas):
    q = search.Query(filters={"risk": ("low",), "theme": ("health",)})
    results = search.search(db, q)
    assert sorted(titles(results)) == ["Petition with delivery", "Tomada de posição pública"]
    risk = {v.value: (v.count, v.selected) for v in results.facets["risk"]}
    # Within the selected facet, the other values stay countable (health ideas with each risk).
    assert risk == {"low": (2, True)}
    klass = {v.value: v.count for v in results.facets["class"]}
    assert klass == {"digital": 2}
    widened = search.search(db, search.Query(filters={"risk": ("low", "medium")}))
    assert widened.total == 3


def test_sorting_and_pagination(db, ideas, clock, org_a):
    from juntos.campaigns import store as campaigns
    from juntos.campaigns.models import CampaignInput

    newest = search.search(db, search.Query(sort="newest", per_page=2))
    assert titles(newest) == ["Public hearing", "Street theatre"]
    assert newest.total == 4 and newest.pages == 2
    page2 = search.search(db, search.Query(sort="newest", per_page=2, page=2))
    assert titles(page2) == ["Petition with delivery", "Tomada de posição pública"]
    campaign = campaigns.create(db, CampaignInput.validated(title="Land now", slug="land-now"),
                                lead=org_a["id"], now=clock())
    tactics.add(db, campaign_id=campaign["id"], idea_slug=ideas["hearing"]["slug"],
                data=tactics.TacticInput.validated(), by=None, now=clock())
    used = search.search(db, search.Query(sort="used"))
    assert titles(used)[0] == "Public hearing" and used.hits[0]["used"] == 1


def test_query_round_trips_through_url_parameters():
    from starlette.datastructures import QueryParams

    params = QueryParams("q=radio&risk=low&risk=medium&class=media&sort=newest&page=2")
    query = search.Query.from_params(params)
    assert query.filters == {"class": ("media",), "risk": ("low", "medium")}
    assert query.sort == "newest" and query.page == 2
    again = search.Query.from_params(QueryParams(query.params()))
    assert again == query
    assert ("risk", "medium") not in query.toggled("risk", "medium")


def test_translations_are_indexed_and_unpublishing_removes_from_index(db, ideas, clock):
    store.set_translation(db, ideas["hearing"]["id"], "pt", {"title": "Audiência pública"},
                          source="human", now=clock(), by=None)
    assert titles(search.search(db, search.Query(q="audiencia"))) == ["Public hearing"]
    pt = search.search(db, search.Query(filters={"language": ("pt",)}))
    assert titles(pt) == ["Public hearing"]
    store.set_status(db, ideas["hearing"]["id"], "rejected", now=clock(), by=None, note="x")
    assert search.search(db, search.Query(q="audiencia")).total == 0


def test_related_ideas_share_subclass_or_tags(db, clock):
    a = add_idea(db, clock, title="Radio phone-in", klass="media", subclass="Radio",
                 tags="radio, phone")
    add_idea(db, clock, title="Radio drama", klass="media", subclass="Radio")
    add_idea(db, clock, title="Phone survey", klass="research", tags="phone")
    add_idea(db, clock, title="Unrelated mural", klass="creative")
    related = [r["title"] for r in search.related(db, store.get_by_id(db, a["id"]))]
    assert related[:2] == ["Radio drama", "Phone survey"]
    assert "Unrelated mural" not in related


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_kept_text_matches_follow_every_change_to_the_index(db, ideas, clock, sort):
    """Matches are kept between searches (the app's cache) only while the index is unchanged."""
    from juntos.catalogue.facet_index import FacetCache

    cache = FacetCache()
    query = search.Query(q="petition", sort=sort)
    first = titles(search.search(db, query, cache=cache))
    assert sorted(first) == ["Petition with delivery", "Street theatre"]
    assert titles(search.search(db, query, cache=cache)) == first
    clock.advance(minutes=1)
    add_idea(db, clock, title="Petition by post", klass="creative")
    assert "Petition by post" in titles(search.search(db, query, cache=cache))
    store.set_status(db, ideas["petition"]["id"], "rejected", now=clock(), by=None, note="x")
    assert "Petition with delivery" not in titles(search.search(db, query, cache=cache))
