"""The organisation picker: what a typed name, acronym or other name finds."""

from __future__ import annotations

import pytest

from juntos.db import Database
from juntos.organisations import names, picker
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput


@pytest.fixture
def coalition(db: Database, clock) -> Database:  # type: ignore[no-untyped-def]
    for values in [
        dict(slug="mz-accao-cidada", name="Acção Cidadã Moçambique", acronym="ACM",
             country="MZ"),
        dict(slug="accao-cidada-mocambique", name="ACCAO CIDADA MOCAMBIQUE", acronym="A.C.M.",
             country="MZ"),
        dict(slug="rede-terra-mz", name="Plataforma Terra e Comunidades", acronym="PLATERRA",
             country="MZ"),
        dict(slug="samvirke-dk", name="Samvirke for Global Retfærdighed", acronym="SGR",
             country="DK", short_name="Samvirke"),
        dict(slug="so-hargeisa-voices", name="Hargeisa Voices for Accountability",
             acronym="HVA", country="SO", territory="Somaliland"),
    ]:
        orgs.create(db, OrganisationInput.validated(**values), now=clock())
    names.add_alias(db, orgs.get(db, "rede-terra-mz")["id"], "Land Platform", now=clock())
    return db


def test_a_name_typed_without_accents_offers_the_original_and_its_duplicate(
        coalition: Database) -> None:
    found = picker.pick(coalition, "Accao Cidada Mocambique")
    assert found.found is None
    assert [c["slug"] for c in found.choices] == ["mz-accao-cidada", "accao-cidada-mocambique"]
    assert found.choices[0]["label"] == "Acção Cidadã Moçambique (ACM)"


@pytest.mark.parametrize("typed", ["Plataforma Terra e Comunidades", "PLATERRA", "platerra",
                                   "plataforma terra comunidades", "Land Platform",
                                   "rede-terra-mz", "Plataforma Terra e Comunidades (PLATERRA)"])
def test_a_name_acronym_alias_slug_or_suggestion_names_one(coalition: Database,
                                                           typed: str) -> None:
    found = picker.pick(coalition, typed)
    assert found.found is not None and found.found["slug"] == "rede-terra-mz"


def test_part_of_a_name_is_offered_not_taken_silently(coalition: Database) -> None:
    found = picker.pick(coalition, "hargeisa")
    assert found.found is None
    assert [c["slug"] for c in found.choices] == ["so-hargeisa-voices"]
    assert picker.pick(coalition, "Samvirke").found["slug"] == "samvirke-dk"  # its short name


def test_nothing_matches_and_empty_text(coalition: Database) -> None:
    assert picker.pick(coalition, "Nowhere at all") == picker.Pick("Nowhere at all")
    assert picker.search(coalition, "   ") == []
    assert picker.search(coalition, "x" * 10_000) == []


def test_search_ranks_exact_names_before_beginnings_and_words(coalition: Database) -> None:
    rows = picker.search(coalition, "terra")
    assert rows[0]["slug"] == "rede-terra-mz"
    assert picker.search(coalition, "voices account")[0]["slug"] == "so-hargeisa-voices"


def test_short_name_falls_back_to_acronym_then_name() -> None:
    assert picker.short_name({"name": "Long", "acronym": "L", "short_name": "Lo"}) == "Lo"
    assert picker.short_name({"name": "Long", "acronym": "L", "short_name": ""}) == "L"
    assert picker.short_name({"name": "Long", "acronym": "", "short_name": ""}) == "Long"


def test_a_territory_fills_messages_and_filters(coalition: Database) -> None:
    from juntos.social.accounts import Account
    from juntos.social.waves import fill

    account = Account(id=1, organisation_id=1, organisation_slug="so-hargeisa-voices",
                      organisation_name="HVA", city="Hargeisa", country="SO", platform="manual",
                      handle="", instance_url="", label="", timezone="UTC", languages=(),
                      own_timezone="", own_languages=(), state="connected",
                      territory="Somaliland")
    assert fill("Women in {city}, {country}", account) == "Women in Hargeisa, Somaliland"
    rows, _total = orgs.search(coalition, orgs.OrganisationFilter(country="Somaliland"))
    assert [r["slug"] for r in rows] == ["so-hargeisa-voices"]
    assert "Somaliland" in orgs.countries_in_use(coalition)
    assert orgs.search(coalition, orgs.OrganisationFilter(country="SO"))[1] == 0
