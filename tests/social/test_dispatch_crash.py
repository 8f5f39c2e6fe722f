"""The crash test: dispatcher processes SIGKILLed at random moments never send a post twice.

Each round starts a dispatcher as its own process against one database and a fake platform on
127.0.0.1 (X, Mastodon, Bluesky, Facebook Pages and Telegram channels; X and Facebook have no
idempotency key, so there a resend would be a real duplicate, and Telegram cannot even be read:
its unknown outcomes wait for a person), kills it with SIGKILL after a random moment, and starts
another. Rounds fork from this process, which has the platform libraries loaded already (a fresh
interpreter spends seconds importing atproto, and a kill during imports tests nothing); the last
round runs the real ``juntos social dispatch`` command beside a forked worker. At the end every
post is sent exactly once, or waits in "needs check" for a person; none twice. Every post
carries an image (uploaded before each attempt: uploading is not posting), and the other X
accounts repost the first X account's first post (a retweet: due only once the lead's post is
sent).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from juntos.settings import settings_from_env
from juntos.social import credentials, kits
from juntos.social.dispatch import Dispatcher
from juntos.social.platforms import load_clients
from tests.social.dispatch_support import connected, post_row, scheduled
from tests.support.fake_pages import channel
from tests.support.fake_platform import FakePlatform, running

load_clients()  # the platform libraries, loaded before forking

PNG = b"\x89PNG\r\n\x1a\n" + b"clinic" * 100
KILLS = int(os.environ.get("CRASH_KILLS", 22))
ACCOUNTS = {"x": 8, "mastodon": 8, "bluesky": 4, "facebook": 4, "telegram": 4}
POSTS_PER_ACCOUNT = 4
BOT = "777:crash-bot"
#: What the fake counts posts by: the key where the platform has one, else the text.
BY_TEXT = {"x": "x", "facebook": "fb", "telegram": "tg"}


def _key(row: dict) -> str:
    prefix = BY_TEXT.get(row["platform"])
    return f"{prefix}:{row['text']}" if prefix else row["dispatch_key"]


def _own_secret(platform: str, i: int, handle: str) -> dict[str, str] | None:
    """Each X account its own user id (the token's prefix), each Page its own id, each
    channel its own chat."""
    if platform == "x":
        return {"access_token": f"{700 + i}-tok", "access_token_secret": "s"}
    if platform == "facebook":
        return {"page": f"{800 + i}", "page_token": f"page-{800 + i}-tok",
                "page_id": f"{800 + i}"}
    if platform == "telegram":
        return {"channel": handle, "bot_token": BOT, "chat_id": str(-1000 - i)}
    return None


def _command(env: dict[str, str], db_path: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "juntos", "--db", db_path, "social", "dispatch"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _worker(env: dict[str, str], db_path: str) -> None:
    os.environ.update(env)
    worker = Dispatcher(settings_from_env(db_path=db_path))
    signal.signal(signal.SIGTERM, lambda *_: worker.stop.set())
    worker.run()


def _fork(env: dict[str, str], db_path: str) -> multiprocessing.Process:
    process = multiprocessing.get_context("fork").Process(target=_worker, args=(env, db_path))
    process.start()
    return process


def test_killed_workers_never_send_a_post_twice(db, settings, org_b, kit, campaign) -> None:
    rng = random.Random(9)
    now = datetime.now(UTC)
    settings = credentials.with_credentials_key(settings)
    post_ids: list[int] = []
    reposts: list[int] = []
    kits.add_image(db, kit["id"], filename="clinic.png", data=PNG, alt_text="A clinic",
                   now=now)
    for platform, n in ACCOUNTS.items():
        for i in range(n):
            account = connected(db, settings, org_b["id"], platform, f"acct{platform}{i}", now)
            own = _own_secret(platform, i, account.handle)
            if own is not None:
                vault = credentials.Vault(settings.credentials_key)
                credentials.store(db, vault, account.id, own, now=now)
            for j in range(POSTS_PER_ACCOUNT):
                post_ids.append(scheduled(
                    db, campaign["id"], kit["id"], account, f"{platform} {i} post {j} #Saude",
                    now - timedelta(seconds=1)))
            if platform == "x" and i > 0:
                reposts.append(scheduled(db, campaign["id"], kit["id"], account, "repost",
                                         now - timedelta(seconds=1)))
    lead = post_ids[0]  # x comes first in ACCOUNTS
    assert post_row(db, lead)["platform"] == "x"
    db.conn.execute(f"update social_posts set kind = 'repost', repost_of = ?"
                    f" where id in ({','.join('?' * len(reposts))})", [lead, *reposts])
    db.conn.commit()
    channels = {f"accttelegram{i}": channel(f"accttelegram{i}", -1000 - i)
                for i in range(ACCOUNTS["telegram"])}
    # One channel answers only after the timeout: each of its posts is an unknown outcome.
    with running(FakePlatform(delay=0.02, telegram_bots={BOT: 777}, telegram_channels=channels,
                              slow_channels={"accttelegram3"})) as fake:
        env = {**os.environ, "JUNTOS_SOCIAL_API_BASE": fake.base,
               "JUNTOS_CREDENTIALS_KEY": settings.credentials_key,
               "JUNTOS_X_CONSUMER_KEY": "ck", "JUNTOS_X_CONSUMER_SECRET": "cs",
               "JUNTOS_DISPATCH_LEASE_SECONDS": "2", "JUNTOS_DISPATCH_TIMEOUT_SECONDS": "1",
               # Loopback answers within the 1 s timeout: 3 s is far past any request here.
               "JUNTOS_DISPATCH_SETTLE_SECONDS": "3",
               "JUNTOS_DISPATCH_CONCURRENCY": "8"}
        db_path = str(settings.db_path)
        kills = 0
        while kills < KILLS:
            # Sometimes two workers at once, to race for the same posts.
            procs = [_fork(env, db_path) for _ in range(rng.choice((1, 1, 2)))]
            time.sleep(rng.uniform(0.05, 0.6))
            for p in procs:
                os.kill(p.pid, signal.SIGKILL)
                p.join()
                assert p.exitcode == -signal.SIGKILL
                kills += 1
        final_fork = _fork(env, db_path)
        final = _command(env, db_path)
        deadline = time.monotonic() + 25
        try:
            while time.monotonic() < deadline:
                # (Reposts of a lead left for a person to check wait for it: not counted.)
                left = db.execute(
                    "select count(*) from social_posts p left join social_posts l"
                    " on l.id = p.repost_of where (p.status in ('scheduled', 'approved',"
                    " 'sending') and (p.kind = 'post' or l.status = 'sent'))"
                    " or (p.status = 'needs_check' and p.check_state = 'auto')").fetchone()[0]
                if left == 0:
                    break
                time.sleep(0.3)
        finally:
            final.send_signal(signal.SIGTERM)
            os.kill(final_fork.pid, signal.SIGTERM)
            final.wait(timeout=15)
            final_fork.join(timeout=15)
        created = fake.count_by_key()
        media = list(fake.media)
        items = list(fake.created)

    statuses = {pid: post_row(db, pid)["status"] for pid in post_ids}
    if statuses[lead] == "sent":
        assert any(post_row(db, pid)["status"] == "sent" for pid in reposts)
    assert set(statuses.values()) <= {"sent", "needs_check"}, statuses
    sent = [pid for pid, s in statuses.items() if s == "sent"]
    assert len(sent) >= len(post_ids) // 2  # the loop did real work, not only checks
    # None twice: one status / record / tweet per post at most, on every platform.
    assert all(n == 1 for n in created.values()), {k: n for k, n in created.items() if n > 1}
    for pid in sent:
        row = post_row(db, pid)
        assert created.get(_key(row)) == 1, (pid, row["platform"])
    assert len(created) <= len(post_ids) + len(reposts)
    lost = [pid for pid in post_ids
            if statuses[pid] == "sent" and created.get(_key(post_row(db, pid))) != 1]
    assert lost == []
    # Telegram cannot be read: a post of unknown outcome waits for a person, never resent.
    slow = [post_row(db, pid) for pid in post_ids
            if post_row(db, pid)["platform"] == "telegram"
            and post_row(db, pid)["account_id"] == post_row(db, post_ids[-1])["account_id"]]
    assert slow and all(r["status"] == "needs_check" and r["check_state"] == "person"
                        for r in slow), slow
    for row in slow:
        assert created.get(_key(row), 0) <= 1
    for pid in post_ids:
        row = post_row(db, pid)
        if row["platform"] == "telegram" and row["status"] == "needs_check":
            assert row["check_state"] == "person", row
    late = sorted(i["at"] - now.timestamp() for i in items if not i.get("retweet_of"))
    # The figures for the record (run with -s; CRASH_KILLS for a longer loop).
    print(f"\nSIGKILL loop: kills={kills} posts={len(post_ids)} sent={len(sent)}"
          f" person={len(post_ids) - len(sent)}"
          f" duplicates={sum(n - 1 for n in created.values())} lost={len(lost)}"
          f" lateness_p95={late[int(len(late) * 0.95) - 1] if late else 0:.1f}s")
    # Every post that went out carried its image and alt text (uploads may repeat: harmless).
    # (A worker killed between an X upload and its alt text leaves an unused upload: harmless.)
    by_id = {m["id"]: m for m in media}
    assert all(m["data"] == PNG for m in media)
    for item in items:
        if item.get("retweet_of"):
            continue
        if item.get("record"):  # Bluesky: the embed carries the alt text itself
            [image] = item["record"]["embed"]["images"]
            assert image["alt"] == "A clinic"
        elif item.get("channel"):  # Telegram takes no alt text: the photo itself
            [photo] = item["photos"]
            assert photo["data"] == PNG
        else:
            [media_id] = item["media_ids"]
            assert by_id[str(media_id)]["alt"] == "A clinic"
    # Reposts: each sent one is one retweet of the lead's tweet by that account; the others
    # wait for the lead (a person checks it) or for a person themselves.
    lead_row = post_row(db, lead)
    for pid in reposts:
        row = post_row(db, pid)
        if row["status"] == "sent":
            user = credentials.load(db, credentials.Vault(settings.credentials_key),
                                    row["account_id"])["access_token"].split("-")[0]
            assert created.get(f"rt:{user}:{lead_row['platform_post_id']}") == 1
        else:
            assert row["status"] == "needs_check" or (
                row["status"] == "scheduled" and lead_row["status"] == "needs_check"), row
