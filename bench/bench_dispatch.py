"""Dispatch: 1,000 posts due at the same moment over 200 accounts, a platform answering in 300 ms.

A fake Mastodon on loopback (tests/support/fake_platform.py) waits 300 ms before answering each
post and records when it received it. Workers are separate processes (forked from this one, so
the platform libraries are already loaded) against one SQLite database, as several
``juntos social dispatch`` would be. Figures for 1, 2 and 4 workers (and 2 workers with a 200 KB
image on every post, uploaded before it): time until the last post
is sent, p50 and p99 lateness against the scheduled time, posts per second, duplicates.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.support import Row, fresh_db, generate_organisations
from juntos.campaigns import store as campaigns
from juntos.campaigns.models import CampaignInput
from juntos.clock import iso
from juntos.settings import Settings
from juntos.social import accounts, credentials, kits
from juntos.social.dispatch import Dispatcher
from juntos.social.models import AccountInput
from juntos.social.platforms import load_clients
from tests.support.fake_platform import FakePlatform, running

load_clients()  # the platform libraries, loaded before forking

N_ACCOUNTS = 200
N_POSTS = 1_000
LATENCY = 0.3
WORKERS = (1, 2, 4)


#: A 200 KB "image" for the run where every post carries one (uploaded before each post).
IMAGE = b"\x89PNG\r\n\x1a\n" + bytes(200_000)


def _setup(folder: Path, name: str, due: datetime, image: bool = False) -> Settings:
    settings, db = fresh_db(folder, name)
    settings = credentials.with_credentials_key(settings)
    vault = credentials.Vault(settings.credentials_key)
    org_ids = generate_organisations(db, N_ACCOUNTS)
    campaign = campaigns.create(db, CampaignInput.validated(title="Bench", slug="bench"),
                                lead=org_ids[0], now=due)
    kit = kits.create(db, campaign["id"], kits.KitInput.validated(title="Day of action"),
                      now=due)
    if image:
        kits.add_image(db, kit["id"], filename="day.png", data=IMAGE,
                       alt_text="Marchers with a banner", now=due)
    account_ids = []
    for org_id in org_ids:
        account = accounts.create(db, org_id, AccountInput.validated(
            platform="mastodon", handle=f"acc{org_id}",
            instance_url="https://masto.example.org"), now=due)
        credentials.store(db, vault, account.id, {"access_token": f"tok{org_id}"}, now=due)
        account_ids.append((account.id, org_id))
    rows = []
    for n in range(N_POSTS):
        account_id, org_id = account_ids[n % N_ACCOUNTS]
        rows.append((campaign["id"], kit["id"], account_id, org_id, "mastodon", "en",
                     f"Day of action, message {n} from {org_id}", iso(due), "scheduled",
                     str(uuid.uuid4())))  # each post's key, chosen at creation
    with db.conn:
        db.conn.executemany(
            "insert into social_posts (campaign_id, kit_id, account_id, organisation_id,"
            " platform, language, text, scheduled_at, status, dispatch_key)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows)
        # Every organisation takes part and approved its own posts (juntos.social.authority):
        # the dispatcher checks both when it claims.
        db.conn.executemany(
            "insert or ignore into participations (campaign_id, organisation_id, role, status)"
            " values (?, ?, 'partner', 'accepted')", [(campaign["id"], o) for o in org_ids])
        db.conn.execute(
            "insert into social_post_authority (post_id, organisation_id, at)"
            " select id, organisation_id, ? from social_posts", [iso(due)])
    db.close()
    return settings


def _worker(settings: Settings) -> None:
    worker = Dispatcher(settings)
    signal.signal(signal.SIGTERM, lambda *_: worker.stop.set())
    worker.run()


def _one(folder: Path, workers: int, image: bool = False) -> list[Row]:
    # Scheduled at a whole second a little ahead, so every worker is up before the moment.
    due = (datetime.now(UTC) + timedelta(seconds=4)).replace(microsecond=0)
    settings = _setup(folder, f"dispatch-{workers}{'-image' if image else ''}", due, image)
    from juntos import db as database

    with running(FakePlatform(delay=LATENCY)) as fake:
        settings = replace(settings, social_api_base=fake.base)
        context = multiprocessing.get_context("fork")
        procs = [context.Process(target=_worker, args=(settings,)) for _ in range(workers)]
        for p in procs:
            p.start()
        db = database.connect(settings.db_path)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            left = db.execute("select count(*) from social_posts where status != 'sent'"
                              ).fetchone()[0]
            if left == 0:
                break
            time.sleep(0.2)
        for p in procs:
            os.kill(p.pid, signal.SIGTERM)
        for p in procs:
            p.join(timeout=20)
        sent = db.execute("select count(*) from social_posts where status = 'sent'").fetchone()[0]
        db.close()
        created = list(fake.created)
        duplicates = sum(n - 1 for n in fake.count_by_key().values() if n > 1)
    start = due.timestamp()
    lateness = sorted(item["at"] - start for item in created)
    last = lateness[-1] if lateness else float("inf")
    p50 = lateness[len(lateness) // 2] if lateness else float("inf")
    p99 = lateness[min(len(lateness) - 1, int(len(lateness) * 0.99))] if lateness else 0
    rate = len(created) / last if last > 0 else 0
    label = f"{workers} worker{'s' if workers > 1 else ''}"
    if image:
        label += ", each post with a 200 KB image"
    return [
        Row("dispatch", f"1,000 posts/200 accounts, {label}: last sent after", last, "s",
            "< 60", last < 60 and sent == N_POSTS),
        Row("dispatch", f"  {label}: lateness p50", p50, "s", ""),
        Row("dispatch", f"  {label}: lateness p99", p99, "s", "< 30", p99 < 30),
        Row("dispatch", f"  {label}: posts per second", rate, "/s", ""),
        Row("dispatch", f"  {label}: duplicates (and posts not sent)",
            duplicates + (N_POSTS - sent), "", "0", duplicates == 0 and sent == N_POSTS),
    ]


def run(folder: Path) -> list[Row]:
    rows: list[Row] = []
    for workers in WORKERS:
        rows += _one(folder, workers)
    rows += _one(folder, 2, image=True)
    return rows
