"""Conflicting import rows (an existing organisation's name, another country): the person
chooses per row, on the web preview or for all with the CLI flag; the choice is checked again
at commit, and the import stays all-or-nothing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from juntos.cli import cli
from juntos.db import Database
from tests.support.web import csrf_token, soup

ELEMENTS = "Label,Type,Country\nAcção Cidadã,cso,UG\nUbuntu Labour,cso,MZ\nNova Voz,cso,MZ\n"
CONNECTIONS = "From,To,Type\nUbuntu Labour,Nova Voz,partner\nAcção Cidadã,Nova Voz,partner\n"


def _files() -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", ("e.csv", ELEMENTS.encode(), "text/csv")),
            ("files", ("c.csv", CONNECTIONS.encode(), "text/csv"))]


def _preview(client):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/network/import")
    response = client.post("/network/import", data={"csrf_token": token}, files=_files())
    assert response.status_code == 200, response.text
    return soup(response)


def _commit_values(page, picks: dict[str, str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    form = page.select("form")[-1]
    values = {i["name"]: i.get("value", "") for i in form.select("input")
              if i.get("type") != "radio"}
    for radio in form.select("#conflicts input[type=radio]"):
        row = radio.find_parent("tr").select_one("td").text
        if radio["value"].startswith(picks.get(row, "new")):
            values[radio["name"]] = radio["value"]
    return values


def test_each_conflicting_row_is_created_or_matched_as_chosen(db: Database, as_user,
                                                              org_a: dict, org_b: dict) -> None:  # type: ignore[no-untyped-def]
    client = as_user("member")
    page = _preview(client)
    rows = page.select("#conflicts tbody tr")
    assert len(rows) == 2 and "Ubuntu Labour" in rows[1].text
    before = db["organisations"].count
    ubuntu = next(r.select_one("td").text for r in rows if "Ubuntu" in r.text)
    done = client.post("/network/import", data=_commit_values(page, {ubuntu: "match"}))
    assert done.url.path == "/network"
    # Nova Voz and the Ugandan Acção Cidadã are new; Ubuntu Labour is the existing org B.
    assert db["organisations"].count == before + 2
    ties = list(db.query("select from_id from ties where kind = 'partner'"))
    assert org_b["id"] in {t["from_id"] for t in ties}
    assert org_a["id"] not in {t["from_id"] for t in ties}


def test_a_tampered_choice_is_refused_at_commit_and_nothing_is_stored(db: Database, as_user,
                                                                      org_a: dict,
                                                                      org_b: dict) -> None:  # type: ignore[no-untyped-def]
    client = as_user("member")
    page = _preview(client)
    values = _commit_values(page, {})
    key = next(k for k in values if k.startswith("conflict:") and "Ubuntu" in k)
    values[key] = "match:org-a"  # not the organisation the row resembles
    before = db["organisations"].count
    refused = client.post("/network/import", data=values)
    assert refused.status_code == 400
    assert any("preview the file again" in li.text for li in
               soup(refused).select("#preview-errors li"))
    assert db["organisations"].count == before and db["ties"].count == 0


def test_cli_conflicts_flag_matches_every_conflicting_row(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    (tmp_path / "e.csv").write_text(ELEMENTS, encoding="utf-8")
    (tmp_path / "c.csv").write_text(CONNECTIONS, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "init"]).exit_code == 0
    first = "Label,Type,Country\nAcção Cidadã,cso,MZ\nUbuntu Labour,cso,ZA\n"
    (tmp_path / "first.csv").write_text(first, encoding="utf-8")
    runner.invoke(cli, ["--db", db, "network", "import", str(tmp_path / "first.csv")],
                  catch_exceptions=False)
    out = runner.invoke(cli, ["--db", db, "network", "import", str(tmp_path / "e.csv"),
                              str(tmp_path / "c.csv"), "--conflicts", "match"],
                        catch_exceptions=False).output
    assert "2 conflicting" in out and "match it" in out
    assert "Imported: 1 new, 2 matched; 2 ties." in out
    bad = runner.invoke(cli, ["--db", db, "network", "import", str(tmp_path / "e.csv"),
                              "--conflicts", "merge"])
    assert bad.exit_code != 0
