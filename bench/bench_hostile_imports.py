"""Hostile input, submitted as a member would, against a real server (uvicorn on loopback, in
its own process): while each runs, ``/healthz`` and a static file are probed every 50 ms.

A scenario is one function returning rows: probe p50/p95/max, the answer's status, the time
to answer, the server's peak RSS. Targets (issue 16): probes within 2 s throughout (100 ms on
an idle machine), an answer that is not a 5xx within 30 s, the server under 1.5 GB. Same shape
as ``bench_hostile.py`` (the calendar's scenarios), so the two lists can be merged.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.support import Row, free_port
from juntos import house
from juntos.accounts import store as users
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput
from juntos.social import accounts
from juntos.social.models import AccountInput
from tests.support import hostile_files

AREA = "hostile"
EMAIL, PASSWORD = "member@example.org", "a long enough password 1"
NOW = datetime(2026, 5, 1, tzinfo=UTC)
PROBES = ("/healthz", "/static/app.css")


def server_app() -> Any:
    """The real app, for uvicorn ``--factory`` (``BENCH_DB`` names the database)."""
    from juntos.house import create_app
    from juntos.settings import Settings

    return create_app(Settings(db_path=Path(os.environ["BENCH_DB"]), secret_key="bench-secret",
                               base_url="http://127.0.0.1", dispatch_in_process=False))


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    base: str

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0


def _prepare(folder: Path) -> tuple[Path, int]:
    path = folder / "hostile.db"
    db = house.open_db(path)
    house.install()
    org = orgs.create(db, OrganisationInput.validated(name="Bench Org", slug="bench-org"),
                      now=NOW)
    users.create(db, email=EMAIL, password=PASSWORD, org_slug="bench-org", role="member",
                 now=NOW)
    account = accounts.create(db, org["id"], AccountInput.validated(
        platform="mastodon", handle="bench", instance_url="https://masto.example.org"), now=NOW)
    # As if its name resolved to an unroutable private address (the form refuses bare IPs).
    db.execute("update social_accounts set instance_url = ? where id = ?",
               ["https://10.255.255.1", account.id])
    db.close()
    return path, account.id


def _serve(db_path: Path) -> Server:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "bench.bench_hostile_imports:server_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--no-access-log"], env={**os.environ, "BENCH_DB": str(db_path)})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a loaded machine starts slowly
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/healthz", timeout=1)
            return Server(proc, base)
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("uvicorn did not start")


def _logged_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    token = _csrf(client, "/login")
    client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    return client


def _csrf(client: httpx.Client, path: str) -> str:
    text = client.get(path).text
    start = text.index('name="csrf_token" value="') + len('name="csrf_token" value="')
    return text[start:text.index('"', start)]


def _measure(server: Server, name: str,
             hostile: Callable[[], httpx.Response]) -> list[Row]:
    """Probe while ``hostile`` runs; the rows of one scenario."""
    latencies: list[float] = []
    done = threading.Event()

    def probe() -> None:
        with httpx.Client(base_url=server.base, timeout=30) as client:
            while not done.is_set():
                for path in PROBES:
                    started = time.perf_counter()
                    with contextlib.suppress(httpx.HTTPError):
                        client.get(path)
                    latencies.append((time.perf_counter() - started) * 1000)
                time.sleep(0.05)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    time.sleep(0.2)  # idle probes first
    started = time.perf_counter()
    try:
        status = hostile().status_code
    except httpx.HTTPError:
        status = 599  # no answer at all
    elapsed = time.perf_counter() - started
    time.sleep(0.2)
    done.set()
    thread.join()
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    peak = server.peak_rss_mb()
    return [
        Row(AREA, f"{name}: probe p50", statistics.median(ordered), "ms", "<= 100"),
        Row(AREA, f"{name}: probe p95", p95, "ms", "<= 2000", p95 <= 2000),
        Row(AREA, f"{name}: probe max", ordered[-1], "ms", "<= 2000", ordered[-1] <= 2000),
        Row(AREA, f"{name}: answer status", status, "http", "< 500", status < 500),
        Row(AREA, f"{name}: time to answer", elapsed, "s", "<= 30", elapsed <= 30),
        Row(AREA, f"{name}: server peak RSS", peak, "MB", "<= 1536", peak <= 1536),
    ]


def _upload(client: httpx.Client, *files: tuple[str, bytes]) -> Callable[[], httpx.Response]:
    token = _csrf(client, "/network/import")
    return lambda: client.post("/network/import", data={"csrf_token": token},
                               files=[("files", (n, d, "application/octet-stream"))
                                      for n, d in files])


def kumu_million_ties(server: Server, client: httpx.Client) -> list[Row]:
    """A 9.8 KB Kumu CSV: 1,000 names in From and in To (a million ties)."""
    return _measure(server, "kumu 1,000x1,000 names",
                    _upload(client, ("connections.csv", hostile_files.kumu_million_ties())))


def xlsx_zip_bomb(server: Server, client: httpx.Client) -> list[Row]:
    """A few hundred KB workbook declaring 300 MB of rows."""
    return _measure(server, "xlsx zip bomb (300 MB)",
                    _upload(client, ("bomb.xlsx", hostile_files.xlsx_bomb(300))))


def gexf_200000_nodes(server: Server, client: httpx.Client) -> list[Row]:
    """A 7.9 MB GEXF of 200,000 nodes."""
    return _measure(server, "gexf 200,000 nodes",
                    _upload(client, ("big.gexf", hostile_files.gexf_nodes())))


def json_deeply_nested(server: Server, client: httpx.Client) -> list[Row]:
    """Node-link JSON nested 100,000 levels (a RecursionError before)."""
    return _measure(server, "json nested 100,000 deep",
                    _upload(client, ("deep.json", hostile_files.json_nested(100_000))))


def upload_named_dot_dot(server: Server, client: httpx.Client) -> list[Row]:
    return _measure(server, "upload named ..", _upload(client, ("..", b"Label\nA\n")))


def huge_ids_and_pages(server: Server, client: httpx.Client) -> list[Row]:
    huge = "9" * 40
    return _measure(server, "huge id and page", lambda: max(
        (client.get(path) for path in (f"/stories/{huge}", f"/calendar/events/{huge}",
                                       f"/organisations?page={huge}", "/campaigns?page=-1")),
        key=lambda r: r.status_code))


def mastodon_private_instance(server: Server, client: httpx.Client,
                              account_id: int) -> list[Row]:
    """Connecting an account whose instance is an unroutable private address."""
    path = f"/messages/accounts/bench-org/{account_id}/connect"
    token = _csrf(client, path)
    return _measure(server, "mastodon at a private address", lambda: client.post(
        path, data={"csrf_token": token, "access_token": "tok"}))


SCENARIOS: tuple[Callable[[Server, httpx.Client], list[Row]], ...] = (
    kumu_million_ties, xlsx_zip_bomb, gexf_200000_nodes, json_deeply_nested,
    upload_named_dot_dot, huge_ids_and_pages)


def run(folder: Path) -> list[Row]:
    db_path, account_id = _prepare(folder)
    server = _serve(db_path)
    rows: list[Row] = []
    try:
        client = _logged_in(server.base)
        try:
            for scenario in SCENARIOS:
                rows += scenario(server, client)
            rows += mastodon_private_instance(server, client, account_id)
        finally:
            client.close()
    finally:
        server.proc.terminate()
        server.proc.wait(10)
    return rows
