"""Every main page at a large coalition's scale, eight clients at once, against bare Starlette.

The database: 5,000 organisations and network actors, 25,000 ties, 10,000 calendar events
(500 weekly series), 10,000 ideas, 500 campaigns with 20,000 commitments. The app runs under
uvicorn in its own process with a bare Starlette route beside it (``bench/pages_server.py``)
serving the very bytes each page served, so both are measured by the same server in one run.
A small asyncio client keeps eight keep-alive connections busy (cheap enough that the bare
route, not the client, sets the pace) and records each request's latency.
"""

from __future__ import annotations

import asyncio
import collections
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.bench_calendar import _events
from bench.bench_campaigns import generate_campaigns
from bench.bench_catalogue import generate as generate_ideas
from bench.bench_network_map import generate_ties
from bench.support import (
    BENCH_PASSWORD,
    Row,
    free_port,
    fresh_db,
    generate_organisations,
    generate_users,
    lifespan_of,
    logged_in_client,
    median,
    timings,
)
from juntos.catalogue import store as ideas
from juntos.db import Database

AREA = "pages"
CLIENTS = 8
N_ORGS, N_TIES = 5000, 25_000
#: (name, path, expected status, extra headers); the dashboard first.
PAGES = [
    ("dashboard", "/", 200, {}),
    ("month", "/calendar", 200, {}),
    ("campaign", "/campaigns/campaign-0010", 200, {}),
    ("organisations", "/organisations", 200, {}),
    ("ideas", "/ideas?q=radio&risk=low&class=digital", 200, {}),
    ("network", "/network", 200, {}),
    # as a browser asks for it: gzipped (kept gzipped by the app), 226 KB rather than 830 KB
    ("graph", "/network/graph.json", 200, {"accept-encoding": "gzip"}),
]


def _campaign_ids(db: Database) -> dict[str, int]:
    """Campaign ids by slug; events naming a slug no campaign has are orphans (no id)."""
    ids = {r["slug"]: r["id"] for r in db.query("select id, slug from campaigns")}
    return collections.defaultdict(lambda: None, ids)  # type: ignore[arg-type]


def build(folder: Path) -> tuple[Path, str]:
    """The large database; returns its path and the bench user's email (a coordinator).
    Built once per folder (``--keep`` reuses it: it takes a minute)."""
    done = folder / "pages.built"
    if done.exists():
        return folder / "pages.db", "user0@bench.example"
    settings, db = fresh_db(folder, "pages")
    org_ids = generate_organisations(db, N_ORGS)
    generate_users(db, org_ids[:1], 1, role="coordinator")
    generate_users(db, org_ids, 200)
    generate_ties(db, org_ids, N_TIES)
    with db.atomic():
        generate_ideas(db)  # also a few campaigns and their tactics, replaced below
        ideas.reindex_all(db)
    db.execute("delete from campaign_tactics")
    db.execute("delete from campaigns")
    generate_campaigns(db, org_ids)
    db["calendar_events"].insert_all(_events(org_ids, _campaign_ids(db)), batch_size=1000)
    db.execute("analyze")
    db.conn.commit()
    db.close()
    done.touch()
    return settings.db_path, "user0@bench.example"


def _serve(db_path: Path, bare: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "bench.pages_server:app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--no-access-log"],
        env={**os.environ, "BENCH_DB": str(db_path), "BENCH_BARE": str(bare)})
    deadline = time.monotonic() + 120  # a loaded machine starts the app slowly
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc, port
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("uvicorn did not start")


def _login(base: str, email: str) -> str:
    with httpx.Client(base_url=base, follow_redirects=True) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token, "no CSRF token on /login"
        r = client.post("/login", data={"email": email, "password": BENCH_PASSWORD,
                                        "csrf_token": token.group(1)})
        assert "/login" not in str(r.url), "bench login failed"
        return f"juntos_session={client.cookies['juntos_session']}"


async def _one_client(port: int, request: bytes, expect: int, until: float,
                      latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            assert status == expect, (request.split(b"\r\n")[0], status)
            if status not in (204, 304):  # those have no body
                assert length, "responses must carry Content-Length"
                await reader.readexactly(int(length.group(1)))
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        writer.close()


def _load(port: int, path: str, headers: dict[str, str], expect: int,
          seconds: float) -> tuple[float, list[float]]:
    """Requests/second and latencies (ms) with ``CLIENTS`` keep-alive connections."""
    lines = [f"GET {path} HTTP/1.1", "host: 127.0.0.1",
             *(f"{k}: {v}" for k, v in ({"accept-encoding": "identity"} | headers).items())]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()

    async def main() -> tuple[float, list[float]]:
        latencies: list[float] = []
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(_one_client(port, request, expect, until, latencies)
                               for _ in range(CLIENTS)))
        return len(latencies) / (time.perf_counter() - started), latencies

    return asyncio.run(main())


def _pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def measure(port: int, cookie: str, bare: Path, pages: list[tuple[str, str, int, dict[str, str]]],
            *, seconds: float = 2.0, rounds: int = 2) -> list[Row]:
    rows: list[Row] = []
    headers = {"cookie": cookie}
    for name, path, expect, extra in pages:
        with httpx.stream("GET", f"http://127.0.0.1:{port}{path}", timeout=120, headers={
                "accept-encoding": "identity", **headers, **extra}) as first:  # warms caches
            body = b"".join(first.iter_raw())  # as sent: gzipped if asked for
        assert first.status_code == expect, (path, first.status_code)
        (bare / f"{name}.body").write_bytes(body)
        (bare / f"{name}.type").write_text(first.headers.get("content-type", "text/html"))
        (bare / f"{name}.encoding").write_text(first.headers.get("content-encoding", ""))
        single = statistics.median(
            _load_single(port, path, {**headers, **extra}, expect) for _ in range(5))
        best: tuple[float, list[float]] = (0.0, [])
        best_bare = 0.0
        for _ in range(rounds):  # interleaved: both seen at the same moment of a shared machine
            rate, lat = _load(port, path, {**headers, **extra}, expect, seconds)
            if rate > best[0]:
                best = (rate, lat)
            bare_rate, _lat = _load(port, f"/__bare/{name}", {**headers, **extra}, 200, seconds)
            best_bare = max(best_bare, bare_rate)
        rate, lat = best
        ratio = rate / best_bare
        p50, p95 = _pct(lat, 50), _pct(lat, 95)
        kb = len(body) / 1024
        rows.append(Row(AREA, f"{name} {path[:34]} ({kb:.0f} KB)", rate, "req/s"))
        rows.append(Row(AREA, "  bare Starlette, same bytes", best_bare, "req/s"))
        rows.append(Row(AREA, "  ratio to bare, 8 clients", ratio, "x", ">= 0.05",
                        ratio >= 0.05))
        rows.append(Row(AREA, "  p50 under 8 clients (one request alone: "
                        f"{single:.1f} ms)", p50, "ms"))
        rows.append(Row(AREA, "  p95 under 8 clients", p95, "ms", "< 100 ms", p95 < 100))
        print(f"  {name}: {rate:.0f} req/s, bare {best_bare:.0f}, ratio {ratio:.3f},"
              f" p50 {p50:.1f} ms, p95 {p95:.1f} ms, alone {single:.1f} ms, {kb:.0f} KB",
              file=sys.stderr, flush=True)
    return rows


def _load_single(port: int, path: str, headers: dict[str, str], expect: int) -> float:
    """One request alone, over a connection already open (as a browser's is): a new httpx
    client per request would time its TLS context (~40 ms of CA certificates), not the page."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        client.get("/healthz")
        started = time.perf_counter()
        r = client.get(path, headers={"accept-encoding": "identity"} | headers)
        took = (time.perf_counter() - started) * 1000
    assert r.status_code == expect
    return took


def dashboard_flat(folder: Path, db_path: Path, email: str) -> list[Row]:
    """The dashboard in-process at 10,000 events and on a copy with 10,000 more: its cost
    must not grow with the number of events (only the window's are read, and kept)."""
    from juntos import house
    from juntos.db import backup
    from juntos.settings import Settings

    double = folder / "pages-double.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(double) + suffix).unlink(missing_ok=True)
    db = house.open_db(db_path)
    backup(db, double)
    db.close()
    db = house.open_db(double)
    org_ids = [r["id"] for r in db.query("select id from organisations order by id")]
    more = _events(org_ids, _campaign_ids(db))
    for row in more:
        row["uid"] = "more-" + str(row["uid"])
    db["calendar_events"].insert_all(more, batch_size=1000)
    db.close()
    clients = [logged_in_client(Settings(db_path=path, secret_key="bench-secret"), email)
               for path in (db_path, double)]
    samples: list[list[float]] = [[], []]
    for _ in range(4):  # interleaved: both seen at the same moments of a shared machine
        for client, sample in zip(clients, samples, strict=True):
            sample += timings(lambda c=client: c.get("/"), n=15, warmup=2)  # type: ignore[misc]
    for client in clients:
        client.__exit__(None, None, None)
    figures = [median(sample) for sample in samples]
    growth = figures[1] / figures[0]
    return [Row(AREA, "dashboard in-process, 10,000 events", figures[0], "ms"),
            Row(AREA, "dashboard in-process, 20,000 events", figures[1], "ms"),
            Row(AREA, "  cost at 20,000 / at 10,000 events (flat)", growth, "x", "<= 1.2",
                growth <= 1.2)]


def run(folder: Path) -> list[Row]:
    db_path, email = build(folder)
    bare = folder / "pages-bare"
    bare.mkdir(exist_ok=True)
    proc, port = _serve(db_path, bare)
    try:
        cookie = _login(f"http://127.0.0.1:{port}", email)
        rows = measure(port, cookie, bare, PAGES)
        month = (bare / "month.body").stat().st_size / 1024
        rows.append(Row(AREA, "month view HTML", month, "KB", "< 150 KB", month < 150))
        graph = httpx.get(f"http://127.0.0.1:{port}/network/graph.json",
                          headers={"cookie": cookie, "accept-encoding": "gzip"})
        etag = graph.headers.get("etag")
        rows.append(Row(AREA, "graph.json carries an ETag", float(bool(etag)), "yes=1", "1",
                        bool(etag)))
        if etag:
            rows += measure(port, cookie, bare, [
                ("graph304", "/network/graph.json", 304,
                 {"if-none-match": etag, "accept-encoding": "gzip"})])
    finally:
        proc.terminate()
        proc.wait(10)
    return rows + in_process(db_path, cookie, bare) + dashboard_flat(folder, db_path, email)


def in_process(db_path: Path, cookie: str, bare: Path) -> list[Row]:
    """CPU per request straight into the ASGI apps (no sockets, no other process): our stack's
    own cost beside a bare route's, steadier than loopback figures on a shared, loaded machine."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    from juntos.house import create_app
    from juntos.settings import Settings

    app = create_app(Settings(db_path=db_path, secret_key="bench-secret",
                              base_url="http://127.0.0.1"))

    def bare_app(name: str) -> Starlette:
        body = (bare / f"{name}.body").read_bytes()
        kind = (bare / f"{name}.type").read_text()
        encoding = (bare / f"{name}.encoding").read_text()

        async def endpoint(request: object) -> Response:
            return Response(body, media_type=kind,
                            headers={"content-encoding": encoding} if encoding else {})

        return Starlette(routes=[Route("/bare", endpoint)])

    async def call(target: object, path: str, headers: dict[str, str]) -> int:
        route, _, query = path.partition("?")
        status = 0
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "GET", "scheme": "http", "path": route, "raw_path": route.encode(),
                 "query_string": query.encode(), "root_path": "", "client": ("127.0.0.1", 1),
                 "server": ("127.0.0.1", 80),
                 "headers": [(k.encode(), v.encode()) for k, v in headers.items()]}

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, object]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])  # type: ignore[call-overload]

        await target(scope, receive, send)  # type: ignore[operator]
        return status

    async def cpu_ms(target: object, path: str, headers: dict[str, str], n: int) -> float:
        for _ in range(3):
            await call(target, path, headers)
        started = time.process_time()
        for _ in range(n):
            await call(target, path, headers)
        return (time.process_time() - started) * 1000 / n

    async def main() -> list[Row]:
        async with lifespan_of(app):
            rows = []
            for name, path, expect, extra in PAGES:
                headers = {"accept-encoding": "identity", "cookie": cookie, **extra}
                assert await call(app, path, headers) == expect, path
                ours = await cpu_ms(app, path, headers, 30)
                plain = await cpu_ms(bare_app(name), "/bare", headers, 300)
                # No target here: without HTTP parsing a bare route costs next to nothing, so the
                # ratio that counts is the one through uvicorn above.
                rows.append(Row(AREA, f"in-process CPU per request: {name} (bare {plain:.3f} ms)",
                                ours, "ms"))
        return rows

    return asyncio.run(main())
