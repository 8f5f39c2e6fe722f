"""Shared pieces for benchmarks: timing, in-process clients, generated data at scale."""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import statistics
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from juntos import house
from juntos.accounts import passwords
from juntos.db import Database
from juntos.house import create_app
from juntos.settings import Settings

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BENCH_PASSWORD = "bench-password-2026"


@dataclass
class Row:
    """One line of the benchmark table: what, the figure, its unit, the target, met or not."""

    area: str
    what: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None


def timings(fn: Callable[[], object], n: int = 200, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def median(values: list[float]) -> float:
    return statistics.median(values)


def fresh_db(folder: Path, name: str) -> tuple[Settings, Database]:
    path = folder / f"{name}.db"
    for suffix in ("", "-wal", "-shm", ".secret"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    settings = Settings(db_path=path, secret_key="bench-secret")
    return settings, house.open_db(path)


def generate_organisations(db: Database, n: int, *, seed: int = 1) -> list[int]:
    """``n`` organisations spread over countries, kinds and themes, inserted in bulk."""
    rng = random.Random(seed)
    countries = ["MZ", "ZA", "UG", "ZW", "SZ", "SO", "DK", "KE", "TZ", "MW"]
    kinds = ["cso"] * 8 + ["network", "funder", "university", "government", "media"]
    themes = ["health", "education", "women's rights", "children's rights", "advocacy",
              "climate", "land rights", "labour"]
    rows = []
    for i in range(n):
        rows.append({
            "slug": f"org-{i:05d}", "name": f"Organisation {i:05d} {rng.choice(themes).title()}",
            "acronym": f"O{i}", "kind": rng.choice(kinds), "country": rng.choice(countries),
            "region": "", "city": f"City {i % 97}", "timezone": "Africa/Maputo",
            "languages": '["pt"]', "themes": f'["{rng.choice(themes)}", "{rng.choice(themes)}"]',
            "website": "", "description": "", "is_public": 0,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
        })
    db["organisations"].insert_all(rows, batch_size=1000)
    return [r["id"] for r in db.query("select id from organisations order by id")]


def generate_users(db: Database, org_ids: list[int], n: int, *, role: str = "member") -> list[int]:
    """Users share one password hash: argon2 per user would dominate generation time."""
    hashed = passwords.hash_password(BENCH_PASSWORD)
    start = int(next(db.query("select count(*) as n from users"))["n"])
    rows = [{"email": f"user{start + i}@bench.example", "name": f"User {start + i}",
             "password_hash": hashed, "organisation_id": org_ids[i % len(org_ids)],
             "role": role, "language": "", "active": 1, "created_at": "2026-01-01T00:00:00Z"}
            for i in range(n)]
    db["users"].insert_all(rows, batch_size=1000)
    return [r["id"] for r in db.query("select id from users where email like '%@bench.example'")]


def logged_in_client(settings: Settings, email: str) -> TestClient:
    """An in-process client with a session, logged in through the real login form."""
    from bs4 import BeautifulSoup

    client = TestClient(create_app(settings), follow_redirects=True)
    client.__enter__()
    page = client.get("/login")
    token = BeautifulSoup(page.text, "html.parser").find("input", {"name": "csrf_token"})["value"]
    r = client.post("/login", data={"email": email, "password": BENCH_PASSWORD,
                                    "csrf_token": token})
    assert r.status_code == 200 and "/login" not in str(r.url), "bench login failed"
    return client


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now (for a server the bench starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def lifespan_of(app: Any) -> AsyncIterator[None]:
    """Run an ASGI app's lifespan around in-process calls (start-up before, shutdown after)."""
    queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    await queue.put({"type": "lifespan.startup"})
    started: list[object] = []

    async def receive() -> dict[str, str]:
        return await queue.get()

    async def send(message: object) -> None:
        started.append(message)

    life = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}},
                                   receive, send))
    while not started:
        await asyncio.sleep(0.01)
    try:
        yield
    finally:
        await queue.put({"type": "lifespan.shutdown"})
        await life
