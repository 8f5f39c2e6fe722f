from __future__ import annotations

import pytest

from juntos.errors import ValidationError
from juntos.organisations.models import OrganisationInput, slugify, split_tags


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
