from __future__ import annotations

from pathlib import Path

import pytest

from juntos.db import Database
from juntos.errors import ValidationError
from juntos.network_map.interop import importer
from juntos.organisations import names, store
from juntos.organisations.models import OrganisationInput
from tests.support.clock import FrozenClock
from tests.support.web import csrf_token, soup


def test_folding_ignores_case_accents_punctuation_and_stop_words() -> None:
    assert names.fold("  Acção   Cidadã ") == "accao cidada"
    assert names.key("Associação Acção-Cidadã, Lda.") == names.key("acção cidadã")
    assert names.tokens("The Association") == ["the", "association"]  # never empty
    assert names.initials("Fórum Juntos de Organizações da Sociedade Civil") == "fjosc"
    assert names.acronym_key("F.J.-O.S.C.") == "fjosc"
    assert names.domain("https://www.Forum.example.org/about") == "forum.example.org"
    assert names.domain("") == ""


def test_parse_aliases_trims_skips_own_name_and_names_a_long_line() -> None:
    assert names.parse_aliases("  Citizen  Action \n\nACM\nacm\nAcção Cidadã",
                               own_name="Accao Cidada") == ["Citizen Action", "ACM"]
    with pytest.raises(ValidationError) as e:
        names.parse_aliases("ok\n" + "x" * 201)
    assert "Line 2" in e.value.errors["aliases"]


def test_aliases_are_set_found_by_search_and_resolve(db: Database, org_a: dict,
                                                     org_b: dict, clock: FrozenClock) -> None:
    names.set_aliases(db, org_a["id"], ["Citizen Action", "Acção Cidadã Moçambique"], now=clock())
    names.set_aliases(db, org_a["id"], ["Citizen Action", "ACM"], now=clock())
    assert names.aliases_of(db, org_a["id"]) == ["Citizen Action", "ACM"]
    rows, total = store.search(db, store.OrganisationFilter(q="citizen"))
    assert total == 1 and rows[0]["slug"] == "org-a"
    assert store.search(db, store.OrganisationFilter(q="Moçambique"))[1] == 0
    assert names.resolve(db, "CITIZEN ACTION")["slug"] == "org-a"
    assert names.resolve(db, "ubuntu labour")["slug"] == "org-b"
    assert names.resolve(db, "org-b")["slug"] == "org-b"
    assert names.resolve(db, "nobody") is None


def test_network_import_matches_an_alias(db: Database, tmp_path: Path,
                                         clock: FrozenClock) -> None:
    org = store.create(db, OrganisationInput.validated(name="Rede Norte", country="MZ"),
                       now=clock())
    names.set_aliases(db, org["id"], ["Northern Network"], now=clock())
    (tmp_path / "elements.csv").write_text("Label,Type,Country\nNorthern network,network,MZ\n")
    preview = importer.plan(db, importer.read([tmp_path / "elements.csv"]))
    assert preview.summary()["matched"] == 1
    assert preview.actors[0].existing["slug"] == "rede-norte"


def test_edit_form_saves_and_the_page_shows_aliases(as_user, db: Database, users) -> None:
    c = as_user("coordinator")
    token = csrf_token(c, "/organisations/org-a/edit")
    form = {"name": "Acção Cidadã", "kind": "cso", "slug": "org-a", "country": "MZ",
            "aliases": "Citizen Action\nACM", "csrf_token": token}
    r = c.post("/organisations/org-a/edit", data=form)
    assert r.status_code == 200
    assert "Citizen Action · ACM" in soup(r).select_one("dl.facts").text
    edit = soup(c.get("/organisations/org-a/edit"))
    assert edit.select_one("textarea[name=aliases]").text == "Citizen Action\nACM"
    r = c.post("/organisations/org-a/edit", data=form | {"aliases": "x" * 300, "country": "QQ"})
    assert r.status_code == 400
    page = soup(r)
    assert "Line 1" in page.select_one("#e-aliases").text and page.select_one("#e-country")
    assert names.aliases_of(db, db["organisations"].get(1)["id"]) == ["Citizen Action", "ACM"]
