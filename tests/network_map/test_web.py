"""The network pages through the real app: JSON for the viewer, the no-JS SVG and tables with
the same facts, import with a preview, access rules."""

from __future__ import annotations

from pathlib import Path

from juntos.db import Database
from tests.support.web import csrf_token, soup

DATA = Path(__file__).resolve().parents[1] / "data" / "network_map"


def test_graph_json_is_compact_and_filtered(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    everything = client.get("/network/graph.json").json()
    assert len(everything["nodes"]) == demo_db["organisations"].count
    mz = client.get("/network/graph.json?country=MZ").json()
    mz_index = everything["countries"].index("MZ")
    assert mz["nodes"] and all(n[6] == mz_index for n in mz["nodes"])
    assert all(e[0] < len(mz["nodes"]) and e[1] < len(mz["nodes"]) for e in mz["edges"])
    bad = client.get("/network/graph.json?at=yesterday")
    assert bad.status_code == 400 and "at" in bad.json()["error"]


def test_actor_json_has_details_metrics_and_ties(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    data = as_user("viewer").get("/network/actors/samvirke-dk.json").json()
    assert data["actor"]["name"] == "Samvirke for Global Retfærdighed"
    assert data["metrics"]["degree"] == len(data["ties"]) > 5
    uganda = [t for t in data["ties"] if t["other"]["slug"] == "ug-land-alliance"]
    assert {t["kind"] for t in uganda} == {"partner", "funds"}
    assert as_user("viewer").get("/network/actors/nobody.json").status_code == 404


def test_no_js_svg_and_tables_show_the_same_facts(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    graph = client.get("/network/graph.json?country=UG").json()
    names = {n[1] for n in graph["nodes"]}
    table = soup(client.get("/network/actors?country=UG"))
    assert {a.text for a in table.select("#actors-table tbody td:first-child a")} == names
    svg = client.get("/network/map.svg?country=UG")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.count("<circle") == len(names)
    ties = soup(client.get("/network/ties?country=MZ&stance=opponent"))
    rows = ties.select("#ties-table tbody tr")
    assert [r.select("td")[2].text for r in rows] == ["opposes"]
    page = soup(client.get("/network?country=UG"))
    assert page.select_one("noscript") is not None
    assert page.select_one("#f-country option[selected]")["value"] == "UG"


def test_actor_table_sorts(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    rows = soup(client.get("/network/actors?sort=betweenness&order=desc")).select(
        "#actors-table tbody tr")
    assert rows[0].select_one("a").text.startswith("Fórum Juntos")
    asc = soup(client.get("/network/actors?sort=name&order=asc")).select("#actors-table tbody tr")
    names = [r.select_one("a").text for r in asc]
    assert names == sorted(names, key=str.casefold)


def test_path_page_and_json_agree(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    data = client.get("/network/path.json?from=samvirke-dk&to=mz-ministerio-saude").json()
    page = soup(client.get("/network?from=samvirke-dk&to=mz-ministerio-saude"))
    links = page.select("#path-result p:first-child a")
    assert [a["href"].rsplit("/", 1)[1] for a in links] == data["strongest"]


def test_questions_page_answers(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    page = soup(client.get("/network/questions", params={
        "a": "theme:health", "b": "theme:land rights", "partner": "rede-terra-mz",
        "rthemes": "land rights", "rcountries": "UG", "before": "2025-01-01",
        "after": "2026-01-01", "coverage": "1"}))
    assert page.select("#broker-list li a")
    rows = {r.select_one("a")["href"].rsplit("/", 1)[1]: r.text
            for r in page.select("#recommendations tbody tr")}
    assert "tied to Plataforma Terra e Comunidades" in rows["ug-land-alliance"]
    assert "themes: land rights" in rows["ug-land-alliance"]
    assert page.select("#coverage-table td.gap")


def test_import_preview_then_commit(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    # It adds attributes to existing organisations: a coordinator's import.
    client = as_user("coordinator")
    token = csrf_token(client, "/network/import")
    files = [("files", ("e.csv", (DATA / "kumu-elements.csv").read_bytes(), "text/csv")),
             ("files", ("c.csv", (DATA / "kumu-connections.csv").read_bytes(), "text/csv"))]
    before = demo_db["organisations"].count
    preview = client.post("/network/import", data={"csrf_token": token}, files=files)
    assert preview.status_code == 200
    summary = soup(preview).select_one("#preview-summary").text
    # Acção Cidadã and Ubuntu Labour are the fixture organisations: matched, not duplicated.
    assert "New actors: 2" in summary and "Matched to existing organisations: 2" in summary
    assert demo_db["organisations"].count == before
    form = soup(preview).select("form")[-1]
    values = {i["name"]: i.get("value", "") for i in form.select("input")}
    done = client.post("/network/import", data=values)
    assert done.url.path == "/network"
    assert demo_db["organisations"].count == before + 2


def test_a_bad_import_names_the_row_and_stores_nothing(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("member")
    token = csrf_token(client, "/network/import")
    files = [("files", ("e.csv", (DATA / "kumu-elements.csv").read_bytes(), "text/csv")),
             ("files", ("bad.csv", (DATA / "kumu-bad-connections.csv").read_bytes(), "text/csv"))]
    before = demo_db["organisations"].count
    response = client.post("/network/import", data={"csrf_token": token}, files=files)
    assert response.status_code == 400
    errors = [li.text for li in soup(response).select("#preview-errors li")]
    assert any(e.startswith("bad.csv row 3") for e in errors)
    assert soup(response).select_one("input[name=commit]") is None
    assert demo_db["organisations"].count == before


def test_viewers_cannot_import_and_strangers_must_log_in(demo_db: Database, as_user,
                                                         client) -> None:  # type: ignore[no-untyped-def]
    assert as_user("viewer").get("/network/import").status_code == 403
    response = client.get("/network/graph.json", follow_redirects=False)
    assert response.status_code in (302, 303, 401)


def test_export_downloads(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    gexf = client.get("/network/export?format=gexf")
    assert gexf.status_code == 200 and "<viz:color" in gexf.text
    assert client.get("/network/export?format=csv&sheet=connections").text.startswith("From,To")
    assert client.get("/network/export?format=nope").status_code == 400


def test_graph_json_is_gzipped(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    response = as_user("viewer").get("/network/graph.json", headers={"accept-encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"


def test_campaign_page_recommends_and_actor_lists_its_campaigns(demo_db: Database,
                                                                as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("viewer")
    page = soup(client.get("/campaigns/saude-para-todos-mz"))
    items = page.select("#network-recommendations li")
    assert items and "tied to" in items[0].text
    data = client.get("/network/actors/rede-saude-mz.json").json()
    assert "saude-para-todos-mz" in {c["slug"] for c in data["campaigns"]}
    questions = soup(client.get("/network/questions?campaign=saude-para-todos-mz"))
    assert questions.select("#recommendations tbody tr a")
    assert client.get("/network/questions?campaign=nope").status_code == 404


def test_record_a_tie_from_an_actor_page(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    from tests.support.web import post_form

    client = as_user("member")
    before = len(client.get("/network/actors/sadc.json").json()["ties"])
    bad = post_form(client, "/network/actors/sadc/ties",
                    {"kind": "partner", "to": "african-union", "strength": "9"},
                    form_page="/network/actors/sadc")
    assert bad.status_code == 400
    assert soup(bad).select_one("#e-strength") is not None
    assert len(client.get("/network/actors/sadc.json").json()["ties"]) == before
    done = post_form(client, "/network/actors/sadc/ties",
                     {"kind": "communicates with", "to": "african-union", "strength": "4",
                      "stance": "neutral", "directed": "1", "valid_from": "2026-02-01"},
                     form_page="/network/actors/sadc")
    assert done.status_code == 200 and done.url.path == "/network/actors/sadc"
    ties = client.get("/network/actors/sadc.json").json()["ties"]
    assert any(t["other"]["slug"] == "african-union" and t["strength"] == 4 for t in ties)
    viewer = as_user("viewer")
    denied = post_form(viewer, "/network/actors/sadc/ties", {"kind": "partner", "to": "sadc"},
                       form_page="/network/actors/sadc")
    assert denied.status_code == 403


def test_edit_and_delete_a_tie_from_the_actor_page(demo_db: Database, as_user) -> None:  # type: ignore[no-untyped-def]
    from tests.support.web import post_form

    client = as_user("coordinator")
    page = soup(client.get("/network/actors/sadc"))
    edit = page.select_one("#actor-ties a.tie-edit")["href"]
    tie_id = edit.split("/")[3]
    form = soup(client.get(edit))
    assert form.select_one("#f-kind")["value"]
    values = {i["name"]: i.get("value", "") for i in form.select("form.tie-form input")
              if i.get("type") != "checkbox"}
    bad = post_form(client, f"/network/ties/{tie_id}/edit", values | {"strength": "9"},
                    form_page=edit)
    assert bad.status_code == 400 and "1 to 5" in soup(bad).select_one("#e-strength").text
    version = client.get("/network/graph.json").json()["version"]
    done = post_form(client, f"/network/ties/{tie_id}/edit",
                     values | {"kind": "communicates with", "strength": "2",
                               "notes": "met in Gaborone"}, form_page=edit)
    assert done.url.path == "/network/actors/sadc"
    assert client.get("/network/graph.json").json()["version"] > version
    ties = client.get("/network/actors/sadc.json").json()["ties"]
    edited = [t for t in ties if str(t["id"]) == tie_id or t["kind"] == "communicates with"]
    assert edited and edited[0]["strength"] == 2
    confirm = soup(client.get(f"/network/ties/{edited[0]['id']}/delete?actor=sadc"))
    assert confirm.select_one("form button.danger") is not None
    count = len(ties)
    post_form(client, f"/network/ties/{edited[0]['id']}/delete", {"actor": "sadc"},
              form_page="/network/actors/sadc")
    assert len(client.get("/network/actors/sadc.json").json()["ties"]) == count - 1
    viewer = as_user("viewer")
    assert viewer.get(edit).status_code == 403
    assert client.get("/network/ties/nope/edit").status_code == 404


def test_a_membership_tie_is_edited_and_deleted_like_any_other(demo_db: Database,
                                                               as_user) -> None:  # type: ignore[no-untyped-def]
    from tests.support.web import post_form

    client = as_user("coordinator")
    ties = client.get("/network/actors/rede-saude-mz.json").json()["ties"]
    membership = next(t for t in ties if t["id"] < 0)
    edit = f"/network/ties/{membership['id']}/edit?actor=rede-saude-mz"
    done = post_form(client, f"/network/ties/{membership['id']}/edit",
                     {"kind": "member of", "directed": "1", "strength": "5", "stance": "ally",
                      "source": "statutes", "actor": "rede-saude-mz"}, form_page=edit)
    assert done.url.path == "/network/actors/rede-saude-mz"
    after = {t["id"]: t for t in client.get("/network/actors/rede-saude-mz.json").json()["ties"]}
    assert after[membership["id"]]["strength"] == 5
    assert after[membership["id"]]["source"] == "statutes"
    post_form(client, f"/network/ties/{membership['id']}/delete", {"actor": "rede-saude-mz"},
              form_page="/network/actors/rede-saude-mz")
    gone = {t["id"] for t in client.get("/network/actors/rede-saude-mz.json").json()["ties"]}
    assert membership["id"] not in gone
    member, network_id = divmod(-membership["id"], 1_000_000)
    assert not list(demo_db.query("select 1 from memberships where member_id = ? and"
                                  " network_id = ?", [member, network_id]))


def test_the_ties_table_offers_edit_and_delete_to_editors_only(demo_db: Database,
                                                                as_user) -> None:  # type: ignore[no-untyped-def]
    coordinator = soup(as_user("coordinator").get("/network/ties"))
    rows = coordinator.select("#ties-table tbody tr")
    assert rows and all(r.select_one("a.tie-edit") and r.select_one("a.tie-delete")
                        for r in rows)
    edit = rows[0].select_one("a.tie-edit")["href"]
    back = edit.split("actor=")[1]
    assert back == rows[0].select_one("td a")["href"].rsplit("/", 1)[1]  # back to its source
    assert as_user("coordinator").get(edit).status_code == 200
    viewer = soup(as_user("viewer").get("/network/ties"))
    assert viewer.select("#ties-table tbody tr") and not viewer.select("a.tie-edit")
