"""Social: planning and confirming a wave of 5,000 posts; the queue page over 50,000 posts.

A day of action with 10 messages (variants), each going to every one of 500 partner accounts
(5,000 posts). Texts are filled in per account ({org}, {city}), so every post is distinct
and every count is a real count.
"""

from __future__ import annotations

import random
import time
from datetime import date
from datetime import time as clock_time
from pathlib import Path

from bench.support import (
    NOW,
    Row,
    fresh_db,
    generate_organisations,
    generate_users,
    logged_in_client,
    median,
    p95,
    timings,
)
from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.social import accounts, kits, posts, waves
from juntos.social.models import AccountInput

N_ACCOUNTS = 500
N_VARIANTS = 10
N_QUEUE = 50_000
ZONES = ["Africa/Maputo", "Africa/Kampala", "Africa/Mogadishu", "Europe/Copenhagen",
         "Africa/Johannesburg", "Africa/Harare"]
PLATFORMS = ["manual", "manual", "x", "mastodon", "bluesky"]


def _setup(folder: Path):  # type: ignore[no-untyped-def]
    settings, db = fresh_db(folder, "social")
    org_ids = generate_organisations(db, N_ACCOUNTS)
    generate_users(db, org_ids[:1], 1, role="coordinator")
    rng = random.Random(3)
    campaign = campaigns.create(db, CampaignInput.validated(title="Bench", slug="bench"),
                                lead=org_ids[0], now=NOW)
    db["participations"].insert_all(
        [{"campaign_id": campaign["id"], "organisation_id": o, "role": "partner",
          "joined_at": "2026-01-01T00:00:00Z"} for o in org_ids[1:]], batch_size=1000)
    for org_id in org_ids:
        platform = rng.choice(PLATFORMS)
        accounts.create(db, org_id, AccountInput.validated(
            platform=platform, handle=f"acc{org_id}" if platform != "manual" else "",
            label="Facebook" if platform == "manual" else "",
            instance_url="https://masto.example.org" if platform == "mastodon" else "",
            timezone=rng.choice(ZONES), languages=[rng.choice(["pt", "en"])]), now=NOW)
    kit_ids = []
    for n in range(N_VARIANTS):
        kit = kits.create(db, campaign["id"], kits.KitInput.validated(title=f"Message {n}"),
                          now=NOW)
        for language in ("pt", "en"):
            for platform in ("manual", "x", "mastodon", "bluesky"):
                kits.save_variant(db, kit["id"], language=language, platform=platform,
                                  text=f"{{org}} in {{city}}: message {n} in {language} "
                                  f"#Juntos https://example.org/m/{n}", now=NOW)
        kit_ids.append(kit["id"])
    return settings, db, campaigns.get(db, "bench"), kit_ids


def run(folder: Path) -> list[Row]:
    settings, db, campaign, kit_ids = _setup(folder)
    partners = accounts.for_organisations(db, campaign["member_org_ids"])
    spec = waves.WaveSpec(mode=waves.LOCAL, day=date(2026, 12, 10), at=clock_time(9),
                          stagger_minutes=1)
    texts = {k: kits.variant_texts(db, k) for k in kit_ids}
    rows: list[Row] = []

    start = time.perf_counter()
    plans = [waves.plan(partners, texts[k], spec, now=NOW) for k in kit_ids]
    preview = time.perf_counter() - start
    total = sum(len(p.rows) for p in plans)
    rows.append(Row("social", f"wave preview: {total} posts ({N_VARIANTS} x {len(partners)})",
                    preview, "s", "< 1 s", preview < 1))

    start = time.perf_counter()
    for kit_id, plan in zip(kit_ids, plans, strict=True):
        posts.create_wave(db, campaign_id=campaign["id"], kit_id=kit_id, spec=spec, wave=plan,
                          now=NOW)
    confirm = time.perf_counter() - start
    rows.append(Row("social", f"wave confirm (insert {total} posts + history)", confirm, "s",
                    "< 2 s", confirm < 2))

    # Grow the campaign's queue to 50,000 posts by copying the wave's rows on later days.
    have = db.execute("select count(*) from social_posts").fetchone()[0]
    day = 1
    while have < N_QUEUE:
        db.execute(
            f"""insert into social_posts (campaign_id, kit_id, wave_id, variant_id, account_id,
                    organisation_id, platform, kind, language, text, scheduled_at, status,
                    created_at, updated_at)
                select campaign_id, kit_id, wave_id, variant_id, account_id, organisation_id,
                       platform, kind, language, text,
                       strftime('%Y-%m-%dT%H:%M:%SZ', scheduled_at, '+{day} days'),
                       case abs(random()) % 3 when 0 then 'scheduled' when 1 then 'submitted'
                            else 'draft' end, created_at, updated_at
                  from social_posts where scheduled_at < '2026-12-11' limit ?""",
            [min(total, N_QUEUE - have)])
        have = db.execute("select count(*) from social_posts").fetchone()[0]
        day += 1
    db.conn.commit()
    db.execute("analyze")
    db.close()

    client = logged_in_client(settings, "user0@bench.example")
    org_slug = "org-00001"
    for name, path in [
        ("campaign queue, page 1", "/campaigns/bench/posts"),
        ("campaign queue, page 500", "/campaigns/bench/posts?page=500"),
        ("campaign queue, status + day filter", "/campaigns/bench/posts?status=scheduled"
         "&day=2026-12-15"),
        ("organisation queue", f"/messages/queue?org={org_slug}"),
        ("posts.json, page 1", "/campaigns/bench/posts.json"),
    ]:
        def fetch(path: str = path) -> None:
            r = client.get(path)
            assert r.status_code == 200, (path, r.status_code)

        t = timings(fetch, n=60)
        rows.append(Row("social", f"{name} ({N_QUEUE:,} posts): median", median(t), "ms"))
        rows.append(Row("social", f"{name} ({N_QUEUE:,} posts): p95", p95(t), "ms", "< 100 ms",
                        p95(t) < 100))
    size = len(client.get("/campaigns/bench/posts").content) + len(
        client.get("/static/social.css").content) + len(client.get("/static/app.css").content)
    rows.append(Row("social", "queue page + CSS, uncompressed", size / 1024, "KB", "< 60 KB",
                    size < 60 * 1024))
    client.__exit__(None, None, None)
    return rows
