"""The map's JSON and SVG carry an ETag and answer 304 until the network changes."""

from __future__ import annotations

from juntos.db import Database
from juntos.network_map import layout, store
from juntos.network_map.models import TieInput
from tests.support.clock import FrozenClock


def test_graph_json_and_svg_answer_304_until_a_tie_changes(demo_db: Database, as_user,  # type: ignore[no-untyped-def]
                                                            clock: FrozenClock) -> None:
    client = as_user("viewer")
    client.get("/network/graph.json")  # starts the layout in the background: wait for it,
    layout.wait(demo_db, client.app.state.network_cache, timeout=120)  # as it changes the tag
    for path in ("/network/graph.json", "/network/map.svg"):
        first = client.get(path)
        etag = first.headers["etag"]
        assert first.status_code == 200 and first.headers["cache-control"] == "private, no-cache"
        again = client.get(path, headers={"if-none-match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        other = client.get(path + "?country=MZ", headers={"if-none-match": etag})
        assert other.status_code == 200  # another view: another tag
    etag = client.get("/network/graph.json").headers["etag"]
    ids = [r["id"] for r in demo_db.query("select id from organisations order by id limit 2")]
    store.add_tie(demo_db, TieInput.validated(from_id=ids[0], to_id=ids[1], kind="funds",
                                              stance="ally"), now=clock())
    changed = client.get("/network/graph.json", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
