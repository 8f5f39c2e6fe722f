"""Message kits, their images and their variants (kit × language × platform).

A kit is what a campaign lead writes once: the core message, hashtags, links, a call to action
and images with alt text. Variants are what partners adapt from it, one per language and
platform, each checked against that platform's counting rule before it is saved.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from pydantic import Field, field_validator

from juntos.clock import iso
from juntos.db import Database
from juntos.errors import NotFound, ValidationError
from juntos.organisations.models import language_codes
from juntos.social import platforms
from juntos.social.counting import Count, count
from juntos.social.models import SocialInput, new_id
from juntos.social.waves import VariantText
from juntos.validation import N_, fail

# One image size every platform accepts (Bluesky's limit is the smallest: 1,000,000 bytes).
MAX_IMAGE_BYTES = 1_000_000
MAX_IMAGES = 4  # X, Mastodon and Bluesky all allow four images per post
MAX_ALT_TEXT = 1000
# Image types by their first bytes: the browser's claimed type is not trusted.
IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def _words(value: object) -> list[str]:
    """Items from a list, or from text separated by white space (commas too, for hashtags)."""
    return [str(v) for v in value] if isinstance(value, list | tuple) else str(value or "").split()


class KitInput(SocialInput):
    """A kit as submitted, validated on creation."""

    title: str
    core_message: str = ""
    hashtags: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    call_to_action: str = ""

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise fail(N_("A kit needs a title."))
        if len(value) > 200:
            raise fail(N_("A title is at most 200 characters."))
        return value

    @field_validator("core_message")
    @classmethod
    def _core(cls, value: str) -> str:
        if len(value) > 5000:
            raise fail(N_("The core message is at most 5,000 characters."))
        return value

    @field_validator("hashtags", mode="before")
    @classmethod
    def _hashtags(cls, value: object) -> list[str]:
        words = _words(value.replace(",", " ") if isinstance(value, str) else value)
        tags = list(dict.fromkeys("#" + t.strip().lstrip("#＃") for t in words if t.strip("#＃ ")))
        bad = [t for t in tags if not re.fullmatch(r"#\w+", t)]
        if bad:
            raise fail(N_("A hashtag is letters, digits or _: %(tags)s."), tags=", ".join(bad))
        return tags

    @field_validator("links", mode="before")
    @classmethod
    def _links(cls, value: object) -> list[str]:
        urls = list(dict.fromkeys(u.strip() for u in _words(value) if u.strip()))
        bad = [u for u in urls if not _URL_RE.match(u)]
        if bad:
            raise fail(N_("A link starts with http:// or https://: %(links)s."),
                       links=", ".join(bad))
        return urls

    @field_validator("call_to_action")
    @classmethod
    def _call(cls, value: str) -> str:
        return value[:500]


def _kit(row: dict[str, Any]) -> dict[str, Any]:
    row["hashtags"] = json.loads(row["hashtags"] or "[]")
    row["links"] = json.loads(row["links"] or "[]")
    return row


def create(db: Database, campaign_id: int, data: KitInput, *, now: datetime,
           by: int | None = None) -> dict[str, Any]:
    values = {"campaign_id": campaign_id, "title": data.title, "core_message": data.core_message,
              "hashtags": json.dumps(data.hashtags), "links": json.dumps(data.links),
              "call_to_action": data.call_to_action, "created_at": iso(now), "created_by": by,
              "updated_at": iso(now)}
    return get(db, new_id(db["social_kits"].insert(values).last_pk))


def update(db: Database, kit_id: int, data: KitInput, *, now: datetime) -> dict[str, Any]:
    get(db, kit_id)
    db["social_kits"].update(kit_id, {
        "title": data.title, "core_message": data.core_message,
        "hashtags": json.dumps(data.hashtags), "links": json.dumps(data.links),
        "call_to_action": data.call_to_action, "updated_at": iso(now)})
    return get(db, kit_id)


def get(db: Database, kit_id: int) -> dict[str, Any]:
    rows = list(db.query("select * from social_kits where id = ?", [kit_id]))
    if not rows:
        raise NotFound(f"No message kit with id {kit_id}.")
    return _kit(rows[0])


def for_campaign(db: Database, campaign_id: int) -> list[dict[str, Any]]:
    rows = db.query(
        """select k.*, (select count(*) from social_variants v where v.kit_id = k.id) as variants,
                  (select count(*) from social_posts p where p.kit_id = k.id) as posts
             from social_kits k where k.campaign_id = ? order by k.id""", [campaign_id])
    return [_kit(r) for r in rows]


# --- variants ----------------------------------------------------------------------------

def check_variant(language: str, platform: str, text: str) -> Count:
    """Validate one variant; raise ValidationError naming the field and the rule broken."""
    errors: dict[str, str] = {}
    if language not in language_codes():
        errors["language"] = f"Unknown language code {language!r} (e.g. en, pt, sw)."
    if platform not in platforms.IDS:
        errors["platform"] = f"Choose one of: {', '.join(platforms.IDS)}."
    if not text.strip():
        errors["text"] = "A variant needs some text."
    if errors:
        raise ValidationError(errors)
    measured = count(platform, text)
    if not measured.ok:
        raise ValidationError({"text": measured.problem})
    return measured


def save_variant(db: Database, kit_id: int, *, language: str, platform: str, text: str,
                 now: datetime, by: int | None = None) -> dict[str, Any]:
    """Add or replace the kit's variant for this language and platform."""
    text = text.replace("\r\n", "\n").strip()
    language = language.strip().lower()
    check_variant(language, platform, text)
    get(db, kit_id)
    db.execute(
        """insert into social_variants (kit_id, language, platform, text, updated_at, updated_by)
           values (?, ?, ?, ?, ?, ?)
           on conflict (kit_id, language, platform)
           do update set text = excluded.text, updated_at = excluded.updated_at,
                         updated_by = excluded.updated_by""",
        [kit_id, language, platform, text, iso(now), by])
    return next(db.query(
        "select * from social_variants where kit_id = ? and language = ? and platform = ?",
        [kit_id, language, platform]))


def delete_variant(db: Database, variant_id: int) -> None:
    db["social_variants"].delete(variant_id)


def variants(db: Database, kit_id: int) -> list[dict[str, Any]]:
    """The kit's variants, each with its count on its platform."""
    rows = list(db.query(
        "select * from social_variants where kit_id = ? order by language, platform", [kit_id]))
    for row in rows:
        row["count"] = count(row["platform"], row["text"])
    return rows


def variant_texts(db: Database, kit_id: int) -> list[VariantText]:
    return [VariantText(id=v["id"], language=v["language"], platform=v["platform"],
                        text=v["text"]) for v in variants(db, kit_id)]


# --- images ------------------------------------------------------------------------------

def sniff_image(data: bytes) -> str | None:
    for signature, content_type in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def add_image(db: Database, kit_id: int, *, filename: str, data: bytes, alt_text: str,
              now: datetime) -> int:
    """Store an image with its alt text, after checking its size and real type."""
    errors: dict[str, str] = {}
    alt_text = " ".join(alt_text.split())
    content_type = sniff_image(data)
    if not data:
        errors["image"] = "Choose an image file."
    elif len(data) > MAX_IMAGE_BYTES:
        errors["image"] = (f"An image is at most {MAX_IMAGE_BYTES // 1000} KB"
                           f" (this one is {len(data) // 1000} KB).")
    elif content_type is None:
        errors["image"] = "Only PNG, JPEG, GIF or WebP images."
    if not alt_text:
        errors["alt_text"] = "Describe the image for people who cannot see it."
    elif len(alt_text) > MAX_ALT_TEXT:
        errors["alt_text"] = f"Alt text is at most {MAX_ALT_TEXT} characters."
    get(db, kit_id)
    existing = db.execute("select count(*) from social_kit_images where kit_id = ?",
                          [kit_id]).fetchone()[0]
    if existing >= MAX_IMAGES:
        errors["image"] = f"A kit has at most {MAX_IMAGES} images."
    if errors:
        raise ValidationError(errors)
    safe_name = re.sub(r"[^\w.-]+", "_", filename)[-100:] or "image"
    return new_id(db["social_kit_images"].insert({
        "kit_id": kit_id, "filename": safe_name, "content_type": content_type, "size": len(data),
        "alt_text": alt_text, "data": data, "created_at": iso(now)}).last_pk)


def images(db: Database, kit_id: int) -> list[dict[str, Any]]:
    return list(db.query(
        "select id, kit_id, filename, content_type, size, alt_text from social_kit_images"
        " where kit_id = ? order by id", [kit_id]))


def image_data(db: Database, image_id: int) -> dict[str, Any]:
    rows = list(db.query("select * from social_kit_images where id = ?", [image_id]))
    if not rows:
        raise NotFound(f"No image {image_id}.")
    return rows[0]
