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
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.bench_calendar import _events, _free_port
from bench.bench_campaigns import generate_campaigns
from bench.bench_catalogue import generate as generate_ideas
from bench.bench_network_map import generate_ties
from bench.support import (
    BENCH_PASSWORD,
    Row,
    fresh_db,
    generate_organisations,
    generate_users,
)
from juntos.catalogue import store as ideas

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
    db["calendar_events"].insert_all(_events(org_ids), batch_size=1000)
    db.execute("analyze")
    db.conn.commit()
    db.close()
    done.touch()
    return settings.db_path, "user0@bench.example"


def _serve(db_path: Path, bare: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "bench.pages_server:app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--no-access-log"],
        env={**os.environ, "BENCH_DB": str(db_path), "BENCH_BARE": str(bare)})
    deadline = time.monotonic() + 30
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
    started = time.perf_counter()
    r = httpx.get(f"http://127.0.0.1:{port}{path}",
                  headers={"accept-encoding": "identity"} | headers)
    assert r.status_code == expect
    return (time.perf_counter() - started) * 1000


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
    return rows
