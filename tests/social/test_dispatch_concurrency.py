"""Eight people writing through the website while the dispatcher sends and records: no request
answers 5xx. Every write transaction begins IMMEDIATE (``Database.atomic``), so a read-then-write
never meets SQLite's "database is locked" that no busy timeout can wait out.

The real app under uvicorn on 127.0.0.1, the real dispatcher in a thread against a fake
Mastodon, eight threads with their own sessions; bounded to a few seconds."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
from bs4 import BeautifulSoup

from juntos.social import credentials
from juntos.social.dispatch import Config, Dispatcher
from tests.conftest import PASSWORD
from tests.e2e.conftest import free_port, start_server
from tests.social.dispatch_support import connected, dispatch_settings, post_row, scheduled
from tests.support.fake_platform import FakePlatform, running

CLIENTS = 8
SECONDS = 6.0
POSTS = 400


def _token(client: httpx.Client, path: str) -> str:
    page = BeautifulSoup(client.get(path).text, "html.parser")
    field = page.find("input", {"name": "csrf_token"})
    assert field is not None, path
    return str(field["value"])


def _person(base: str, email: str, n: int, until: float, codes: list[int],
            failures: list[BaseException], ready: threading.Barrier) -> None:
    try:
        _write(base, email, n, until, codes, ready)
    except BaseException as e:  # a thread's failure must reach the test
        failures.append(e)


def _write(base: str, email: str, n: int, until: float, codes: list[int],
           ready: threading.Barrier) -> None:
    """Log in, then add workstreams to the campaign and change language, again and again."""
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as client:
        answer = client.post("/login", data={"email": email, "password": PASSWORD,
                                             "csrf_token": _token(client, "/login")})
        codes.append(answer.status_code)
        token = _token(client, "/account")
        ready.wait(timeout=120)  # everyone logged in (argon2 is slow): the dispatcher starts
        until = time.monotonic() + until  # the writing starts once logged in (argon2 is slow)
        i = 0
        while time.monotonic() < until:
            i += 1
            for path, data in (
                    ("/campaigns/clinics/workstreams", {"name": f"stream {n}-{i}"}),
                    ("/account/language", {"language": ("pt", "en")[i % 2]})):
                answer = client.post(path, data={**data, "csrf_token": token})
                codes.append(answer.status_code)
            codes.append(client.get("/campaigns/clinics").status_code)


def test_eight_clients_write_through_the_website_while_the_dispatcher_sends(
        db, settings, users, org_b, campaign, kit) -> None:
    now = datetime.now(UTC)
    with running(FakePlatform(delay=0.04)) as fake:
        s = credentials.with_credentials_key(replace(
            dispatch_settings(settings, fake.base), host="127.0.0.1", port=free_port(),
            dispatch_in_process=False))
        post_ids = []
        for a in range(40):
            account = connected(db, s, org_b["id"], "mastodon", f"acct{a}", now)
            for p in range(POSTS // 40):
                post_ids.append(scheduled(db, campaign["id"], kit["id"], account,
                                          f"Post {p} of {a}", now - timedelta(seconds=1)))
        server, thread = start_server(s)
        worker = Dispatcher(s, config=Config(concurrency=8, poll_seconds=0.05), worker="w1")
        sender = threading.Thread(target=worker.run, daemon=True)
        codes: list[int] = []
        failures: list[BaseException] = []
        ready = threading.Barrier(CLIENTS + 1)
        try:
            until = SECONDS
            emails = [users[r].email for r in ("coordinator", "member")]
            people = [threading.Thread(target=_person, args=(
                f"http://127.0.0.1:{s.port}", emails[n % 2], n, until, codes, failures, ready))
                for n in range(CLIENTS)]
            for person in people:
                person.start()
            ready.wait(timeout=120)
            sender.start()
            for person in people:
                person.join(timeout=SECONDS + 90)
        finally:
            worker.stop.set()
            sender.join(timeout=30)
            server.should_exit = True
            thread.join(timeout=10)
    assert failures == []
    errors = [c for c in codes if c >= 500]
    print(f"\nconcurrency: clients={CLIENTS} requests={len(codes)} 5xx={len(errors)}"
          f" posts sent={sum(post_row(db, p)['status'] == 'sent' for p in post_ids)}"
          f"/{len(post_ids)}")
    assert errors == []
    assert len(codes) > CLIENTS * 10  # they really wrote, concurrently
    assert all(c in (200, 303) for c in codes), sorted(set(codes))
    assert any(post_row(db, p)["status"] == "sent" for p in post_ids)  # and it really sent
