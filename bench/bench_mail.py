"""Mail: the weekly digest for 5,000 people, and 1,000 messages to an SMTP server on loopback.

The digest runs over the campaigns bench's network (5,000 organisations, 500 campaigns,
20,000 commitments, calls to action) with 5,000 users spread over the organisations: each
gets the network's next two weeks for their organisation's campaigns and their
organisation's commitments, written to the outbox in their language. Sending uses a real
SMTP server (aiosmtpd) on 127.0.0.1, one sender, settling every message before and after the
final dot as in production.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bench.bench_campaigns import generate_campaigns
from bench.support import Row, fresh_db, generate_organisations, generate_users
from juntos import house
from juntos.mail import digest, outbox
from juntos.mail.kinds import Recipient
from juntos.mail.sender import Sender
from tests.mail.smtp_server import smtp_server

N_USERS = 5_000
N_MESSAGES = 1_000
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _digest(folder: Path) -> list[Row]:
    house.install()  # the areas' sections and the recipients, plugged into mail
    _settings, db = fresh_db(folder, "mail-digest")
    org_ids = generate_organisations(db, 5_000)
    generate_campaigns(db, org_ids)
    generate_users(db, org_ids, N_USERS)
    db.execute("update users set language = 'pt' where id % 3 = 0")
    db.conn.commit()
    started = time.perf_counter()
    written = digest.write_digests(db, "weekly", now=NOW)
    elapsed = time.perf_counter() - started
    db.close()
    return [Row("mail", f"weekly digest for {N_USERS:,} users ({written:,} written)", elapsed,
                "s", "< 60 s", elapsed < 60)]


def _send(folder: Path) -> list[Row]:
    settings, db = fresh_db(folder, "mail-send")
    for n in range(N_MESSAGES):
        outbox.write(db, to=Recipient(None, f"person{n}@example.org", "pt" if n % 2 else "en"),
                     kind="bench", key=f"bench:{n}",
                     content=outbox.Content(subject=f"Message {n}", paragraphs=("Text. " * 40,),
                                            action_label="Open", action_path="/"), now=NOW)
    db.conn.commit()
    db.close()
    with smtp_server() as (inbox, port):
        sender = Sender(replace(settings, smtp_host="127.0.0.1", smtp_port=port,
                                smtp_starttls=False))
        started = time.perf_counter()
        report = sender.run_once()
        elapsed = time.perf_counter() - started
        received = len(inbox.messages)
    return [Row("mail", f"send {N_MESSAGES:,} messages to loopback SMTP ({report.sent:,} sent,"
                f" {received:,} received)", elapsed, "s", "< 60 s",
                elapsed < 60 and received == N_MESSAGES)]


def run(folder: Path) -> list[Row]:
    return _send(folder) + _digest(folder)
