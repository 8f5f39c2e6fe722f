"""The social demo: accounts for the demo partners, the autumn kit and its wave; idempotent."""

from __future__ import annotations

from datetime import UTC, datetime

from juntos import demo, house
from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.social import demo as social_demo

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_demo_accounts_kit_and_wave_load_once(db) -> None:
    demo.load(db, house.areas(), now=NOW)
    if not list(db.query("select 1 from campaigns where slug like 'autumn-%-decent-work'")):
        made = campaigns.create(db, CampaignInput.validated(
            title="Autumn 2027", slug="autumn-2027-decent-work"), lead="samvirke-dk", now=NOW)
        for slug in ("mz-accao-cidada", "ug-land-alliance", "so-hargeisa-voices"):
            campaigns.add_partner(db, made["id"], slug, "partner", accepted=True, now=NOW)
        social_demo.load(db, now=NOW)
    counts = (db["social_accounts"].count, db["social_kits"].count, db["social_posts"].count)
    platforms = {r["platform"] for r in db.query("select platform from social_accounts")}
    assert platforms == {"x", "mastodon", "bluesky", "facebook", "telegram", "manual"}
    # Partners' Pages and channels are there, connected to nothing: the demo calls no platform.
    assert {r["state"] for r in db.query("select state from social_accounts where platform in"
                                         " ('facebook', 'telegram')")} == {"not_connected"}
    assert db["social_account_secrets"].count == 0
    assert counts[1] == 1 and counts[2] > 0
    variants = {(r["language"], r["platform"]) for r in db.query(
        "select language, platform from social_variants")}
    assert {("en", "manual"), ("pt", "manual")} <= variants
    statuses = {r["status"] for r in db.query("select status from social_posts")}
    # The lead's own posts are approved by its member; the others wait for their organisations.
    # Approved posts on accounts the demo never connects wait, approved, not scheduled.
    assert "submitted" in statuses and statuses <= {"submitted", "scheduled", "approved"}
    social_demo.load(db, now=NOW)
    assert (db["social_accounts"].count, db["social_kits"].count,
            db["social_posts"].count) == counts
