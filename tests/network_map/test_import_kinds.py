"""Kumu types become kinds: the usual names map by themselves ("NGO" is a CSO), an unsure
one ("Organization", "Person") is chosen by the person in the preview, never silently
"other"; the preview lists each row and what happens to it; the counts say "3 new, 1 matched"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from juntos.cli import cli
from juntos.db import Database
from juntos.errors import ValidationError
from juntos.network_map.interop import importer, kinds
from tests.support.clock import FrozenClock
from tests.support.web import csrf_token, soup

DATA = Path(__file__).resolve().parents[1] / "data" / "network_map"
FILES = [DATA / "kumu-types-elements.csv", DATA / "kumu-types-connections.csv"]


@pytest.mark.parametrize(("written", "kind"), [
    ("NGO", "cso"), ("ONG", "cso"), ("Non-profit", "cso"), ("Civil Society Organization", "cso"),
    ("Coalition", "network"), ("Rede", "network"), ("Donor", "funder"),
    ("Ministério", "government"), ("Company", "business"), ("public role", "public_role"),
    ("cso", "cso"), ("Organization", None), ("Organisation", None), ("Person", None),
    ("Stakeholder", None)])
def test_known_types(written: str, kind: str | None) -> None:
    assert kinds.known(written) == kind


def test_unsure_types_wait_for_a_choice_and_nothing_is_stored(db: Database, org_a,
                                                              clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    preview = importer.prepare(db, FILES)
    # Spellings are not merged: "organisation" may mean another thing than "Organization".
    assert {shown: rows for shown, rows in preview.unresolved.values()} == {
        "Organization": 1, "organisation": 1, "Person": 1}
    before = db["organisations"].count
    with pytest.raises(ValidationError, match="choose a kind for the types"):
        importer.commit(db, preview, now=clock())
    assert db["organisations"].count == before


def test_chosen_kinds_are_stored(db: Database, org_a, clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    _, result = importer.import_files(db, FILES, now=clock(), kinds_chosen={
        "organization": "cso", "organisation": "media", "person": "public_role"})
    assert (result["created"], result["matched"]) == (5, 1)
    found = {r["name"]: r["kind"] for r in db.query("select name, kind from organisations")}
    assert found["Rede Mulher Nova"] == "cso"
    assert found["Observatório do Meio Rural"] == "cso"
    assert found["Rádio Comunitária Nova"] == "media"
    assert found["Ministra da Terra"] == "public_role"
    assert found["Coligação Terra Nova"] == "network"


def test_cli_needs_a_kind_for_each_unsure_type(tmp_path: Path, db: Database, org_a) -> None:  # type: ignore[no-untyped-def]
    runner, path = CliRunner(), str(tmp_path / "juntos.db")
    files = [str(f) for f in FILES]
    refused = runner.invoke(cli, ["--db", path, "network", "import", *files])
    assert refused.exit_code != 0 and "no kind for type 'Organization'" in refused.output
    done = runner.invoke(cli, ["--db", path, "network", "import", *files,
                               "--kind", "Organization=cso", "--kind", "*=other"])
    assert done.exit_code == 0, done.output
    assert "Imported: 5 new, 1 matched; 2 ties." in done.output
    bad = runner.invoke(cli, ["--db", path, "network", "import", *files, "--kind", "NGO"])
    assert bad.exit_code != 0 and "TYPE=KIND" in bad.output


def test_preview_lists_rows_asks_kinds_and_counts_in_words(db: Database, org_a,
                                                           as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("coordinator")
    files = [("files", (f.name, f.read_bytes(), "text/csv")) for f in FILES]
    preview = client.post("/network/import", files=files,
                          data={"csrf_token": csrf_token(client, "/network/import")})
    page = soup(preview)
    assert preview.status_code == 200
    assert "5 new, 1 matched, 0 conflicting; 2 ties" in page.select_one(
        "#preview-counts").get_text()
    rows = {r.select("td")[1].get_text(): r for r in page.select("#preview-rows tbody tr")}
    assert len(rows) == 6
    matched = rows["Acção Cidadã (MZ)"]
    assert matched["data-status"] == "matched"
    assert matched.select_one("a")["href"] == "/network/actors/org-a"
    ngo = rows["Rede Mulher Nova (MZ)"].select("td")[2].get_text()
    assert ngo == "Civil-society organisation (NGO)"
    selects = page.select("#unknown-types select")
    assert [s["name"] for s in selects] == ["kind:organisation", "kind:organization",
                                            "kind:person"]
    assert all(s.select_one("option[selected]") is None for s in selects)
    form = page.select("form")[-1]
    values = {i["name"]: i.get("value", "") for i in form.select("input")}
    before = db["organisations"].count
    # Confirmed without choosing: asked again, nothing stored.
    again = client.post("/network/import", data=values)
    assert again.status_code == 400 and soup(again).select_one("#e-kinds") is not None
    assert db["organisations"].count == before
    done = client.post("/network/import", data={
        **values, "kind:organization": "cso", "kind:organisation": "media",
        "kind:person": "public_role"})
    assert done.url.path == "/network"
    assert "Imported: 5 new, 1 matched to actors already here; 2 ties." in done.text
    kinds_now = {r["name"]: r["kind"] for r in db.query("select name, kind from organisations")}
    assert kinds_now["Ministra da Terra"] == "public_role"
    assert kinds_now["Rádio Comunitária Nova"] == "media"
