from __future__ import annotations

import pytest

from juntos.errors import ValidationError
from juntos.organisations.models import SLUG_RE, OrganisationInput, slugify, split_tags


def test_valid_input_is_normalised() -> None:
    org = OrganisationInput.validated(name=" Rede Mulher ", country="mz", languages=["PT"],
                                      themes=["Health"], timezone="Africa/Maputo")
    assert org.name == "Rede Mulher" and org.slug == "rede-mulher"
    assert org.country == "MZ" and org.languages == ["pt"]


def test_every_problem_is_named_by_field() -> None:
    with pytest.raises(ValidationError) as err:
        OrganisationInput.validated(name="", kind="club", country="QQ", timezone="Mars/Base",
                                    languages=["xx-yy"], website="ftp://x")
    assert set(err.value.errors) == {"name", "kind", "country", "timezone", "languages",
                                     "website"}
    assert "QQ" in err.value.errors["country"]


def test_slugs_fold_accents() -> None:
    assert slugify("Associação Saúde de Moçambique!") == "associacao-saude-de-mocambique"


def test_tags_are_trimmed_lowercase_and_unique() -> None:
    assert split_tags(" Health, women's rights ,health,, ") == ["health", "women's rights"]


@pytest.mark.parametrize(("name", "slug"), [
    ("Æbeltoft", "aebeltoft"),
    ("Straße", "strasse"),
    ("Æbeltoft Venskabsforening", "aebeltoft-venskabsforening"),
    ("Straße der Solidarität", "strasse-der-solidaritat"),
    ("Ελληνικό Φόρουμ", "elleniko-phoroum"),
])
def test_slugs_are_made_from_names_in_any_script(name: str, slug: str) -> None:
    assert OrganisationInput.validated(name=name).slug == slug


def test_arabic_names_get_a_transliterated_slug_not_the_fallback() -> None:
    slug = OrganisationInput.validated(name="جمعية التضامن").slug
    assert slug != "org" and slug.isascii() and SLUG_RE.match(slug)


def test_a_name_without_letters_falls_back() -> None:
    assert OrganisationInput.validated(name="!!!").slug == "org"


def test_form_values_are_validated_and_unknown_fields_refused() -> None:
    org = OrganisationInput.from_form({"name": "Rede", "languages": "PT, en", "is_public": "on",
                                       "themes": "Health, health", "website": ""})
    assert org.languages == ["pt", "en"] and org.themes == ["health"] and org.is_public
    with pytest.raises(ValidationError) as err:
        OrganisationInput.validated(name="Rede", colour="red")
    assert set(err.value.errors) == {"colour"}
    with pytest.raises(ValidationError) as err:
        OrganisationInput.validated(name="x" * 201, slug="Not A Slug",
                                    website="javascript:alert(1)")
    assert set(err.value.errors) == {"name", "slug", "website"}
    assert err.value.errors["name"] == "A name is at most 200 characters."
