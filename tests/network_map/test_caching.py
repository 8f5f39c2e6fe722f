"""graph.json and the SVG carry an ETag (304 when the browser has the body); the explorer's
versioned graph.json URL may be kept by the browser, any other is revalidated."""

from __future__ import annotations

from juntos.db import Database
from juntos.network_map import layout, store
from juntos.network_map.models import TieInput
from tests.support.web import soup


def test_graph_json_answers_304_to_its_etag(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    layout.refresh(demo_db)  # else the background layout may finish between the two requests
    client = as_user("viewer")
    first = client.get("/network/graph.json?country=MZ")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    again = client.get("/network/graph.json?country=MZ", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other = client.get("/network/graph.json?country=UG", headers={"if-none-match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_a_change_gives_a_new_etag(demo_db: Database, as_user, clock) -> None:  # type: ignore[no-untyped-def]
    client = as_user("member")
    etag = client.get("/network/graph.json").headers["etag"]
    a, b = (r["id"] for r in demo_db.query("select id from organisations limit 2"))
    tie = TieInput.validated(from_id=a, to_id=b, kind="funds", stance="ally")
    store.add_tie(demo_db, tie, now=clock())
    response = client.get("/network/graph.json", headers={"if-none-match": etag})
    assert response.status_code == 200 and response.headers["etag"] != etag


def test_the_explorer_names_the_version_it_draws(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    layout.refresh(demo_db)  # else the background layout may finish between the two requests
    client = as_user("viewer")
    page = soup(client.get("/network?country=MZ&view=0.5,0.5,2&actor=x"))
    version = page.select_one("#map")["data-graph-version"]
    response = client.get(f"/network/graph.json?country=MZ&v={version}")
    assert response.headers["cache-control"] == "private, max-age=31536000, immutable"
    assert response.headers["etag"].strip('"').removesuffix("-gz") == version
    stale = client.get("/network/graph.json?country=MZ&v=0000")
    assert stale.headers["cache-control"] == "private, no-cache"


def test_gzipped_and_plain_bodies_have_different_etags(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    zipped = client.get("/network/map.svg", headers={"accept-encoding": "gzip"})
    plain = client.get("/network/map.svg", headers={"accept-encoding": "identity"})
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert "Accept-Encoding" in plain.headers["vary"]


def test_the_kept_filter_choices_follow_the_network(demo_db: Database, as_user, clock) -> None:  # type: ignore[no-untyped-def]
    """The explorer's lists of choices are kept rendered per network version: a theme that
    appears (written straight to the database) is offered on the next view."""
    client = as_user("viewer")

    def themes() -> list[str]:
        page = soup(client.get("/network?theme="))
        return [o["value"] for o in page.select("select[name=theme] option")]

    assert "fisheries" not in themes()
    org = next(demo_db.query("select id from organisations limit 1"))["id"]
    demo_db["organisations"].update(org, {"themes": '["fisheries"]'})
    assert "fisheries" in themes()
