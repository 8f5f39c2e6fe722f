from __future__ import annotations

from juntos.organisations.territory_names import country_name
from juntos.social.accounts import Account
from juntos.social.waves import fill


def test_country_names_in_the_readers_language_with_mozambican_usage():
    assert country_name("SZ", "pt") == "Essuatíni"
    assert country_name("SZ", "en") == "Eswatini"
    assert country_name("KE", "pt") == "Quénia"  # as written in Mozambique, not "Quênia"
    assert country_name("CD", "pt") == "República Democrática do Congo"
    assert country_name("mz", "pt") == "Moçambique"
    assert country_name("", "pt") == "" and country_name("XX", "pt") == "XX"


def test_a_texts_country_placeholder_is_a_name_in_the_texts_language():
    account = Account.__new__(Account)
    object.__setattr__(account, "organisation_name", "Lutsango")
    object.__setattr__(account, "city", "Mbabane")
    object.__setattr__(account, "country", "SZ")
    assert fill("Mulheres em {city}, {country}", account, "pt") == "Mulheres em Mbabane, Essuatíni"
    assert fill("{org} in {country}", account, "en") == "Lutsango in Eswatini"
