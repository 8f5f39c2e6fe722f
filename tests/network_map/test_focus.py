"""Capped focus views and "expand by tie kind", on the demo coalition and through the app."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from juntos.db import Database
from juntos.errors import ValidationError
from juntos.network_map.filters import MapFilter, apply
from juntos.network_map.focus import focus_view
from juntos.network_map.graph import network
from juntos.network_map.metrics import metrics
from tests.support.web import soup

FOCUS = {"focus": "forum-juntos-mz", "hops": "2", "cap": "50"}


def test_a_capped_focus_says_what_it_hid_per_tie_kind(demo_db: Database) -> None:
    net, m = network(demo_db), metrics(demo_db)
    view = apply(net, m, MapFilter.from_query(FOCUS))
    focus = view.focus
    assert focus is not None and view.truncated
    assert len(view.actor_ids) == 50 and focus.hidden == focus.within - 50 > 100
    offers = dict(focus.offers)
    assert offers["member of"] > offers["partner"] > 0 and "funds" in offers
    # Each offer is exactly what expanding by that kind adds, and stays within the hops.
    uncapped = apply(net, m, MapFilter.from_query({**FOCUS, "cap": "300"}))
    for kind, added in focus.offers:
        grown = apply(net, m, MapFilter.from_query({**FOCUS, "expand": kind}))
        assert len(grown.actor_ids) == 50 + added
        assert set(view.actor_ids) < set(grown.actor_ids) <= set(uncapped.actor_ids)
        assert kind not in dict(grown.focus.offers)  # type: ignore[union-attr]
    # Actors added through "funds" are tied by a funds tie to an actor shown.
    grown = apply(net, m, MapFilter.from_query({**FOCUS, "expand": "funds"}))
    new = set(grown.actor_ids) - set(view.actor_ids)
    funds_ends = [{t["from_id"], t["to_id"]} for t in grown.ties if t["kind"] == "funds"]
    assert new and all(any(a in ends and len(ends) == 2 for ends in funds_ends) for a in new)
    both = apply(net, m, MapFilter.from_query({**FOCUS, "expand": "member of|partner"}))
    assert len(both.actor_ids) > len(apply(net, m, MapFilter.from_query(
        {**FOCUS, "expand": "member of"})).actor_ids)


def test_expansion_respects_the_other_filters(demo_db: Database) -> None:
    net, m = network(demo_db), metrics(demo_db)
    flt = MapFilter.from_query({**FOCUS, "country": "MZ", "stance": "ally"})
    view = apply(net, m, flt)
    assert view.focus and view.focus.offers
    kind = view.focus.offers[0][0]
    grown = apply(net, m, flt.expanding(kind))
    center = net.by_slug["forum-juntos-mz"]
    assert all(net.actors[a]["country"] == "MZ" for a in grown.actor_ids if a != center)
    assert all(t["stance"] == "ally" for t in grown.ties)


def test_focus_view_alone_and_the_filter_in_the_url() -> None:
    # A star of 5 "partner" leaves and 3 "funds" leaves around actor 0, cap 4.
    ties = [{"from_id": 0, "to_id": i, "kind": "partner"} for i in range(1, 6)]
    ties += [{"from_id": i, "to_id": 0, "kind": "funds"} for i in range(6, 9)]
    view = focus_view(ties, set(range(9)), 0, hops=1, cap=4)
    assert len(view.shown) == 4 and view.hidden == 5
    assert sum(n for _, n in view.offers) == 5
    assert len(focus_view(ties, set(range(9)), 0, hops=1, cap=4, expand=["funds", "partner"])
               .shown) == 9
    flt = MapFilter.from_query({"focus": "x", "cap": "50", "expand": "funds|member of"})
    assert flt.expand == ("funds", "member of")
    assert MapFilter.from_query(flt.query()) == flt
    assert flt.expanding("partner").query()["expand"] == "funds|member of|partner"
    assert "cap" not in MapFilter.from_query({"focus": "x"}).query()
    with pytest.raises(ValidationError) as e:
        MapFilter.from_query({"cap": "5000"})
    assert "cap" in e.value.errors


def test_expand_links_rerender_the_svg_and_tables(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    query = "focus=forum-juntos-mz&hops=2&cap=50&colour=kind"
    page = soup(client.get("/network?" + query))
    notice = page.select_one("#focus-notice")
    assert notice is not None and "hidden" in notice.get_text()
    links = {a["data-kind"]: a["href"] for a in notice.select("a[data-kind]")}
    href = links["funds"]
    params = parse_qs(urlsplit(href).query)
    assert params["expand"] == ["funds"] and params["colour"] == ["kind"]
    assert "+1" in notice.select_one("a[data-kind='funds']").get_text()
    expanded = soup(client.get(href))
    assert "funds" in expanded.select_one("#focus-notice").get_text()
    assert "funds" not in {a["data-kind"] for a in expanded.select("#focus-notice a[data-kind]")}
    img = expanded.select_one("noscript").decode_contents()
    assert "expand=funds" in img
    tables = soup(client.get("/network/actors" + href.removeprefix("/network")))
    assert len(tables.select("#actors-table tbody tr")) == 51
    assert tables.select_one("#focus-notice a[data-kind='partner']") is not None
    data = client.get("/network/graph.json" + href.removeprefix("/network")).json()
    assert len(data["nodes"]) == 51 and data["focus"]["expanded"] == ["funds"]
    assert client.get("/network?focus=forum-juntos-mz&cap=7").status_code == 400


def test_the_ego_command_shows_the_cap_and_what_each_expansion_adds(demo_db: Database,
                                                                     settings) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from juntos.cli import cli

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--db", str(settings.db_path), "network", "ego",
                                          *args])
        assert result.exit_code == 0, result.output
        return result.output

    capped = run("forum-juntos-mz", "--hops", "2", "--cap", "50")
    assert capped.startswith("50 actors") and "hidden by the cap" in capped
    funds = next(line for line in capped.splitlines() if "--expand 'funds'" in line)
    added = int(funds.split("shows ")[1].split()[0])
    expanded = run("forum-juntos-mz", "--hops", "2", "--cap", "50", "--expand", "funds")
    assert expanded.startswith(f"{50 + added} actors") and "through: funds" in expanded
    assert "hidden by the cap" not in run("samvirke-dk")
    bad = CliRunner().invoke(cli, ["--db", str(settings.db_path), "network", "ego", "nobody"])
    assert bad.exit_code != 0 and "nobody" in bad.output
