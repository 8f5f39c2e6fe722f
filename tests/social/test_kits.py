"""Kits, variants checked against their platform's rule, and images checked by size and type."""

from __future__ import annotations

import pytest

from juntos.errors import ValidationError
from juntos.social import kits

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def test_kit_fields_are_cleaned(kit) -> None:
    assert kit["hashtags"] == ["#Saude", "#health"]
    assert kit["links"] == ["https://example.org/clinics"]


def test_bad_kit_names_each_field() -> None:
    with pytest.raises(ValidationError) as e:
        kits.KitInput.validated(title=" ", hashtags="#ok #not-ok", links="example.org")
    assert set(e.value.errors) == {"title", "hashtags", "links"}


def test_over_length_variant_is_refused_with_the_rule_and_nothing_saved(db, kit, clock) -> None:
    with pytest.raises(ValidationError) as e:
        kits.save_variant(db, kit["id"], language="en", platform="x", text="a" * 281, now=clock())
    assert e.value.errors["text"].startswith("281/280: X allows 280")
    assert [v["platform"] for v in kits.variants(db, kit["id"])] == ["manual", "mastodon", "manual"]


def test_saving_again_replaces_the_variant(db, kit, clock) -> None:
    kits.save_variant(db, kit["id"], language="pt", platform="manual", text="Novo", now=clock())
    pt = [v for v in kits.variants(db, kit["id"]) if v["language"] == "pt"]
    assert [v["text"] for v in pt] == ["Novo"]
    assert pt[0]["count"].length == 4


def test_images_checked_by_real_type_size_and_alt_text(db, kit, clock) -> None:
    image_id = kits.add_image(db, kit["id"], filename="poster 1.png", data=PNG,
                              alt_text="A clinic queue", now=clock())
    assert kits.images(db, kit["id"])[0]["filename"] == "poster_1.png"
    assert kits.image_data(db, image_id)["data"] == PNG
    with pytest.raises(ValidationError) as e:
        kits.add_image(db, kit["id"], filename="x.png", data=b"<svg>", alt_text="", now=clock())
    assert set(e.value.errors) == {"image", "alt_text"}
    with pytest.raises(ValidationError, match="1000 KB"):
        kits.add_image(db, kit["id"], filename="big.png", data=PNG + b"\0" * 1_000_000,
                       alt_text="big", now=clock())
    assert len(kits.images(db, kit["id"])) == 1
