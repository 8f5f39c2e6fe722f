"""The explorer's forms keep the rest of the view's state (it all lives in the URL)."""

from __future__ import annotations

import json

from juntos.db import Database
from tests.support.web import soup

PATH = "from=samvirke-dk&to=mz-ministerio-saude"


def test_path_and_filter_forms_keep_each_others_state(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    page = soup(client.get(f"/network?country=MZ&colour=kind&size=betweenness&{PATH}"))
    path_form = {i["name"]: i["value"] for i in page.select("#path-form input[type=hidden]")}
    assert path_form == {"country": "MZ", "colour": "kind", "size": "betweenness"}
    filters = {i["name"]: i["value"] for i in page.select("#map-filters input[type=hidden]")}
    assert filters == {"from": "samvirke-dk", "to": "mz-ministerio-saude"}
    plain = soup(client.get("/network"))
    assert not plain.select("#path-form input[type=hidden]")
    assert not plain.select("#map-filters input[type=hidden]")


def test_panel_labels_come_translated(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    page = soup(client.get("/network", headers={"accept-language": "pt"}))
    measures = json.loads(page.select_one("#map")["data-measures"])
    labels = {m["name"]: m["label"] for m in measures}
    assert set(labels) == {"degree", "betweenness", "pagerank", "constraint", "core",
                           "community"}
    assert labels["community"] == "Comunidade"


def test_the_legend_names_the_colours_the_map_uses(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    for colour, sample in (("kind", "Network"), ("country", "Uganda"), ("community", "1")):
        page = soup(client.get(f"/network?colour={colour}"))
        items = page.select("#map-legend li")
        assert sample in page.select_one("#map-legend").get_text()
        fills = {circle["fill"] for circle in page.select("#map-legend circle")}
        drawn = client.get(f"/network/map.svg?colour={colour}").text
        assert fills and all(f'fill="{f}"' in drawn for f in fills)
        counts = [int(li.select_one(".muted").get_text().strip("()")) for li in items
                  if li.select_one("circle")]
        assert counts == sorted(counts, reverse=True)
    uganda = soup(client.get("/network?colour=country&country=UG"))
    assert len(uganda.select("#map-legend circle")) == 1
