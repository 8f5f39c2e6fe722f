"""The crash test: senders SIGKILLed at random moments never hand a message over twice.

Each round forks a sender against one database and a real SMTP server on loopback (which
takes a few milliseconds per message, so kills land in every step: claiming, MAIL, RCPT, DATA,
recording), kills it with SIGKILL, and starts another. The last round runs the real
``juntos mail send --once`` command. Then every message the database calls *sent* reached the
server exactly once; a message left *unsure* (killed between recording the final dot and
recording the answer) reached it at most once; none reached it twice, and none is left behind.
The server does not deduplicate: it keeps every copy it accepts, and the test counts them.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace

from juntos.db import connect
from juntos.mail import outbox
from juntos.mail.kinds import Recipient
from juntos.mail.sender import Sender
from juntos.settings import Settings
from tests.mail.smtp_server import Inbox

KILLS = int(os.environ.get("CRASH_KILLS", 25))
MESSAGES = 300
LEASE = 1.5


def _worker(settings: Settings) -> None:
    sender = Sender(settings, lease_seconds=LEASE, timeout=5)
    signal.signal(signal.SIGTERM, lambda *_: sender.stop.set())
    sender.run(idle_seconds=0.2)


def test_killed_senders_never_send_a_message_twice(db, clock, users, mail_settings,
                                                   inbox: Inbox) -> None:
    from datetime import UTC, datetime
    now = datetime.now(UTC)
    settings = replace(mail_settings, base_url="http://127.0.0.1:8000")
    inbox.delay = 0.002
    for n in range(MESSAGES):
        outbox.write(db, to=Recipient(None, f"p{n}@example.org"), kind="test.crash",
                     key=f"crash:{n}", content=outbox.Content(subject=f"Message {n}"), now=now)
    db.conn.commit()

    rng = random.Random(20)
    ctx = multiprocessing.get_context("fork")
    for _ in range(KILLS):
        process = ctx.Process(target=_worker, args=(settings,))
        process.start()
        time.sleep(rng.uniform(0.05, 0.5))
        os.kill(process.pid or 0, signal.SIGKILL)
        process.join()
        if rng.random() < 0.3:
            time.sleep(LEASE + 0.2)  # sometimes the next round finds the leases run out
    time.sleep(LEASE + 1.1)  # every claim of the killed rounds has run out
    env = {**os.environ, "JUNTOS_SMTP_HOST": "127.0.0.1",
           "JUNTOS_SMTP_PORT": str(settings.smtp_port), "JUNTOS_SMTP_STARTTLS": "false"}
    result = subprocess.run(
        [sys.executable, "-m", "juntos", "--db", str(settings.db_path), "mail", "send",
         "--once", "--lease-seconds", str(LEASE)], env=env, capture_output=True, text=True,
        timeout=120)
    assert result.returncode == 0, result.stderr

    check = connect(settings.db_path)
    rows = {r["message_id"]: r["status"] for r in check.query(
        "select message_id, status from mail_outbox")}
    check.close()
    received = Counter(m["Message-ID"] for m in inbox.messages)
    assert [mid for mid, n in received.items() if n > 1] == []          # never twice
    assert set(received) <= set(rows)
    statuses = Counter(rows.values())
    assert set(statuses) <= {"sent", "unsure"}, statuses                 # nothing left behind
    for message_id, status in rows.items():
        if status == "sent":
            assert received[message_id] == 1, message_id                 # sent means delivered
    assert statuses["unsure"] <= KILLS
    print(f"\n{statuses['sent']} sent, {statuses['unsure']} unsure after {KILLS} kills; "
          f"{sum(received.values())} delivered")
