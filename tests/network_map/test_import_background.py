"""A large web import is committed in the background (the app's runner); the person follows
a status page that refreshes itself without JavaScript. The commit stays one all-or-nothing
transaction."""

from __future__ import annotations

from juntos import db as database
from juntos.db import Database
from juntos.network_map import imports
from juntos.network_map.graph import database_key
from tests.support.web import csrf_token, soup

N = imports.BACKGROUND_ROWS // 2 + 10  # actors; a chain of ties makes the rest


def _files(extra: str = "") -> list[tuple[str, tuple[str, bytes, str]]]:
    elements = "Label,Type,Country\n" + extra + "".join(f"Actor {i},cso,MZ\n" for i in range(N))
    connections = "From,To,Type\n" + "".join(f"Actor {i},Actor {i + 1},partner\n"
                                             for i in range(N - 1))
    return [("files", ("e.csv", elements.encode(), "text/csv")),
            ("files", ("c.csv", connections.encode(), "text/csv"))]


def test_a_large_import_runs_in_the_background_with_a_status_page(db: Database,
                                                                  as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("member")
    token = csrf_token(client, "/network/import")
    preview = client.post("/network/import", data={"csrf_token": token}, files=_files())
    assert preview.status_code == 200
    form = soup(preview).select("form")[-1]
    values = {i["name"]: i.get("value", "") for i in form.select("input")}
    before = db["organisations"].count
    # Another writer holds the database: the background commit waits, so it is seen running.
    blocker = database.connect(database_key(db))
    blocker.execute("BEGIN IMMEDIATE")
    try:
        started = client.post("/network/import", data=values, follow_redirects=False)
        assert started.status_code == 303
        status_url = started.headers["location"]
        assert status_url == f"/network/import/{values['token']}/status"
        running = soup(client.get(status_url))
        assert running.select_one("#import-status")["data-state"] == "running"
        assert running.select_one('meta[http-equiv="refresh"]') is not None
        assert db["organisations"].count == before
    finally:
        blocker.conn.rollback()
        blocker.close()
    client.app.state.network_imports.wait(values["token"])
    done = soup(client.get(status_url))
    assert done.select_one("#import-status")["data-state"] == "done"
    assert done.select_one('meta[http-equiv="refresh"]') is None
    assert f"Imported: {N} new, 0 matched to actors already here; {N - 1} ties." in done.text
    assert db["organisations"].count == before + N
    # Confirming again does not import twice, and the page is only for who started it.
    again = client.post("/network/import", data=values, follow_redirects=False)
    assert again.headers["location"] == status_url
    assert db["organisations"].count == before + N
    assert as_user("other_member").get(status_url).status_code == 404


def test_a_background_import_refused_at_commit_stores_nothing(db: Database, as_user,
                                                              org_a: dict, org_b: dict) -> None:  # type: ignore[no-untyped-def]
    client = as_user("member")
    token = csrf_token(client, "/network/import")
    # Acção Cidadã exists in MZ: this Ugandan row conflicts with it.
    preview = client.post("/network/import", data={"csrf_token": token},
                          files=_files("Acção Cidadã,cso,UG\n"))
    form = soup(preview).select("form")[-1]
    values = {i["name"]: i.get("value", "") for i in form.select("input")
              if i.get("type") != "radio"}
    [choice] = [i["name"] for i in form.select("#conflicts input[type=radio]")][:1]
    values[choice] = f"match:{org_b['slug']}"  # not the organisation the row resembles
    before = db["organisations"].count
    started = client.post("/network/import", data=values, follow_redirects=False)
    assert started.status_code == 303
    client.app.state.network_imports.wait(values["token"])
    page = soup(client.get(started.headers["location"]))
    assert page.select_one("#import-status")["data-state"] == "failed"
    assert "preview the file again" in page.text
    assert db["organisations"].count == before and db["ties"].count == 0
