"""Hostile input against a live server: probe latency while each input is handled.

A real ``juntos serve`` runs in a subprocess on a fresh database. For each hostile input in
``SCENARIOS`` (sent as a signed-in member would), a probe thread asks for ``/healthz`` and a
static file every 20 ms; the figures are the probes' worst and 95th-percentile latency, how
long the input took to get its answer and whether that answer was a 5xx, whether
``/calendar.ics`` and a private feed still answer 200 afterwards, and the server's peak
memory. Targets (issue 16): probes within 100 ms on an idle machine (2 s at worst), an answer
that is not a 5xx within 30 s, feeds 200, under 1.5 GB.

Areas add their own inputs: a ``Hostile`` appended to ``SCENARIOS`` (``prepare`` writes to
the database before the server is asked, ``act`` sends the input and returns the statuses).
``python -m bench.run hostile``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from bs4 import BeautifulSoup

from bench.support import NOW, Row, free_port, fresh_db, generate_organisations, generate_users
from juntos import house
from juntos.calendar import store
from juntos.calendar import tokens as feed_tokens
from juntos.calendar.models import Event
from juntos.db import Database

PROBES = ("/healthz", "/static/app.css")
ANSWER_WITHIN = 30.0
MEMORY_LIMIT_MB = 1536


@dataclass
class Live:
    """The running server and what scenarios need to talk to it."""

    base: str
    db_path: Path
    pid: int
    member: httpx.Client
    private_feed: str
    fake_feeds: str  # http://127.0.0.1:port of the fake remote calendar server
    notes: dict[str, object] = field(default_factory=dict)

    def csrf(self, path: str) -> str:
        page = BeautifulSoup(self.member.get(path).text, "html.parser")
        found = page.find("input", {"name": "csrf_token"})
        assert found is not None, f"no CSRF field on {path}"
        return str(found["value"])

    def db(self) -> Database:
        return house.open_db(self.db_path)


@dataclass(frozen=True)
class Hostile:
    area: str
    name: str
    act: Callable[[Live], list[int]]
    prepare: Callable[[Live], None] | None = None


#: Every hostile input the benchmark sends; each area appends its own below.
SCENARIOS: list[Hostile] = []


# --- calendar and subscriptions ---------------------------------------------------------


def _ics(rule: str, start: str) -> bytes:
    return (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:{rule[:12]}@x"
            f"\r\nDTSTART:{start}T000000Z\r\nRRULE:{rule}\r\nSUMMARY:s\r\nEND:VEVENT\r\n"
            "END:VCALENDAR\r\n").encode()


def _upload(live: Live, data: bytes) -> int:
    token = live.csrf("/calendar/import")
    return live.member.post("/calendar/import", data={"csrf_token": token,
                                                      "visibility": "network"},
                            files={"file": ("hostile.ics", data, "text/calendar")}).status_code


def _view(live: Live) -> list[int]:
    return [live.member.get(path).status_code for path in (
        "/calendar", "/calendar?month=2000-01", "/calendar/agenda", "/calendar.ics",
        "/calendar/opportunities", "/")]


def _raw_event(live: Live, *, uid: str, deleted: bool = False, **values: object) -> None:
    """A row as written before the input checks: saved, then changed by SQL."""
    db = live.db()
    try:
        saved = store.save(db, Event(uid=uid, title="Stored before the checks",
                                     start=datetime(2026, 11, 30, 10),
                                     end=datetime(2026, 11, 30, 11), all_day=False,
                                     tzid="UTC", rrule="FREQ=DAILY", visibility="public"),
                           now=NOW)
        assert saved.id is not None
        with db.atomic():
            db["calendar_events"].update(saved.id, values)
            db.execute("delete from calendar_rendered where event_id = ?", [saved.id])
        if deleted:
            store.delete(db, saved.id, now=NOW)
    finally:
        db.close()


def _form(live: Live, url: str, rrule: str = "") -> int:
    token = live.csrf("/calendar/events/new")
    return live.member.post("/calendar/events/new", data={
        "csrf_token": token, "title": "Hostile", "start": "2026-12-01T10:00",
        "end": "2026-12-01T11:00", "tzid": "UTC", "url": url, "rrule": rrule,
        "category": "meeting", "visibility": "public", "status": "confirmed"}).status_code


def _subscribe(live: Live, url: str) -> int:
    token = live.csrf("/calendar/import")
    return live.member.post("/calendar/subscriptions", data={
        "csrf_token": token, "url": url, "visibility": "network"}).status_code


def _trickling(live: Live) -> list[int]:
    urls = [f"{live.fake_feeds}/trickle/{i}.ics" for i in range(42)]
    token = live.csrf("/calendar/import")

    def one(url: str) -> int:
        with httpx.Client(base_url=live.base, cookies=live.member.cookies,
                          timeout=ANSWER_WITHIN + 30) as c:
            began = time.perf_counter()
            status = c.post("/calendar/subscriptions", data={
                "csrf_token": token, "url": url, "visibility": "network"}).status_code
            print(f"    subscribe {url[-12:]}: {status} in"
                  f" {time.perf_counter() - began:.1f} s", file=sys.stderr)
            return status

    with ThreadPoolExecutor(42) as pool:
        return list(pool.map(one, urls))


def _bad_sources(live: Live) -> None:
    db = live.db()
    try:
        org_id = db.execute("select organisation_id from users where email ="
                            " 'user0@bench.example'").fetchone()[0]
        ids = []
        for url in ("https://" + "a" * 70 + ".example.org/x.ics",
                    "https://" + "é" * 70 + ".example.org/x.ics",
                    f"{live.fake_feeds}/newline-url.ics", f"{live.fake_feeds}/hostile.ics",
                    f"{live.fake_feeds}/good.ics"):
            ids.append(db["calendar_sources"].insert({
                "kind": "subscription", "label": url[-16:], "url": url,
                "organisation_id": org_id, "visibility": "network",
                "created_at": NOW.isoformat()}).last_pk)
        live.notes["bad_sources"] = ids
    finally:
        db.close()


def _sync_bad_sources(live: Live) -> list[int]:
    statuses = []
    for source_id in live.notes["bad_sources"]:  # type: ignore[attr-defined]
        token = live.csrf("/calendar/import")
        statuses.append(live.member.post(f"/calendar/subscriptions/{source_id}/sync",
                                         data={"csrf_token": token}).status_code)
    return statuses


SCENARIOS += [
    Hostile("baseline", "idle (no hostile input), 3 s", lambda live: [time.sleep(3) or 200]),
    Hostile("calendar", "200-byte .ics, RRULE:FREQ=SECONDLY, imported and viewed",
            lambda live: [_upload(live, _ics("FREQ=SECONDLY", "20261201")), *_view(live)]),
    Hostile("calendar", "SECONDLY from DTSTART 2000, stored before the checks, viewed",
            lambda live: _view(live),
            prepare=lambda live: _raw_event(live, uid="secondly-2000@x", rrule="FREQ=SECONDLY",
                                            start="2000-01-01T00:00:00",
                                            end="2000-01-01T00:00:01")),
    Hostile("calendar", ".ics with RRULE:FREQ=DAILY;COUNT=5000000 imported",
            lambda live: [_upload(live, _ics("FREQ=DAILY;COUNT=5000000", "20000101")),
                          *_view(live)]),
    Hostile("calendar", "CR/LF in the event form's URL (and one stored before)",
            lambda live: [_form(live, "https://e.org/\r\nX-Evil: 1"),
                          _form(live, "javascript:alert(1)"), *_view(live)],
            prepare=lambda live: _raw_event(live, uid="crlf@x", deleted=True,
                                            url="https://e.org/\r\nX-Evil: 1")),
    Hostile("calendar", "month=9999-12 and other out-of-range pages",
            lambda live: [live.member.get(p).status_code for p in (
                "/calendar?month=9999-12", "/calendar?month=1-1",
                "/calendar/opportunities?from=9999-12-31", "/calendar/events/" + "9" * 30)]),
    Hostile("calendar", "42 trickling feeds subscribed at once", _trickling),
    Hostile("calendar", "a sync over bad sources (IDNA, newline URL, hostile content)",
            _sync_bad_sources, prepare=_bad_sources),
]


# --- the fake remote calendar server ------------------------------------------------------


class _Remote(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path.startswith("/trickle/"):
            self.send_response(200)
            self.send_header("content-type", "text/calendar")
            self.end_headers()
            try:
                for _ in range(60):  # a byte every 2 s: no read ever times out
                    self.wfile.write(b"B")
                    self.wfile.flush()
                    time.sleep(2)
            except OSError:
                pass
            return
        body = {
            "/good.ics": _ics("FREQ=WEEKLY;COUNT=3", "20261201"),
            "/newline-url.ics": _ics("FREQ=WEEKLY;COUNT=3", "20261201").replace(
                b"SUMMARY:s", b"SUMMARY:s\r\nURL;VALUE=TEXT:https://e.org/\\nX-Evil: 1"),
            "/hostile.ics": b"BEGIN:VCALENDAR\r\n<script>remote secret</script>\r\n",
        }.get(self.path, b"")
        self.send_response(200 if body else 404)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


# --- the harness ------------------------------------------------------------------------------


@contextmanager
def _server(folder: Path) -> Iterator[Live]:
    settings, db = fresh_db(folder, "hostile")
    org_ids = generate_organisations(db, 20)
    (user_id,) = generate_users(db, org_ids[:1], 1, role="member")
    token = feed_tokens.regenerate(db, user_id, now=NOW)
    db.close()
    remote = ThreadingHTTPServer(("127.0.0.1", 0), _Remote)
    remote.daemon_threads = True
    threading.Thread(target=remote.serve_forever, daemon=True).start()
    port = free_port()
    env = {**os.environ, "JUNTOS_SECRET_KEY": "bench-secret",
           "JUNTOS_CALENDAR_PRIVATE_FEEDS": "1"}  # the fake remote is on 127.0.0.1
    proc = subprocess.Popen([sys.executable, "-m", "juntos", "serve", "--port", str(port),
                             "--no-dispatch", "--db", str(settings.db_path)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base)
        member = httpx.Client(base_url=base, timeout=ANSWER_WITHIN + 30, follow_redirects=True)
        login = BeautifulSoup(member.get("/login").text, "html.parser")
        csrf = login.find("input", {"name": "csrf_token"})["value"]  # type: ignore[index]
        from bench.support import BENCH_PASSWORD

        member.post("/login", data={"email": "user0@bench.example",
                                    "password": BENCH_PASSWORD, "csrf_token": csrf})
        yield Live(base, settings.db_path, proc.pid, member,
                   f"/calendar/feeds/{token}.ics", f"http://127.0.0.1:{remote.server_port}")
        member.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:  # a fetch still trickling: the bench's own server
            proc.kill()
            proc.wait(10)
        remote.shutdown()


def _wait_up(base: str) -> None:
    for _ in range(200):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


def _memory_mb(pid: int, key: str = "VmHWM") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


class _Probe:
    """Asks for ``/healthz`` and a static file every 20 ms until stopped; their latencies."""

    def __init__(self, base: str) -> None:
        self.base, self.failures = base, 0
        self.latencies: dict[str, list[float]] = {path: [] for path in PROBES}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=5) as client:
            while not self._stop.is_set():
                for path in PROBES:
                    began = time.perf_counter()
                    try:
                        ok = client.get(path).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    self.latencies[path].append((time.perf_counter() - began) * 1000)
                    self.failures += not ok
                time.sleep(0.02)

    def __enter__(self) -> _Probe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _scenario(live: Live, hostile: Hostile) -> list[Row]:
    print(f"  {hostile.area}: {hostile.name}", file=sys.stderr, flush=True)
    if hostile.prepare is not None:
        hostile.prepare(live)
    with _Probe(live.base) as probe:
        began = time.perf_counter()
        try:
            statuses = hostile.act(live)
        except httpx.HTTPError:
            statuses = [599]  # no answer in time
        took = time.perf_counter() - began
        time.sleep(0.2)
    feeds = [live.member.get(path).status_code for path in
             ("/calendar.ics", live.private_feed, "/account/calendar")]
    name = f"{hostile.area}: {hostile.name}"[:52]
    rows = []
    for path, latencies in probe.latencies.items():
        worst = max(latencies or [0.0])
        p95 = statistics.quantiles(latencies, n=20, method="inclusive")[18] if len(
            latencies) > 2 else worst
        rows += [Row("hostile", f"{name} · {path} p95", p95, "ms", "< 100 ms", p95 < 100),
                 Row("hostile", f"{name} · {path} max", worst, "ms", "< 2000 ms",
                     worst < 2000)]
    answered = took <= ANSWER_WITHIN and max(statuses) < 500
    return [
        *rows,
        Row("hostile", f"{name} · answer (worst {max(statuses)})", took, "s", "< 30 s, no 5xx",
            answered),
        Row("hostile", f"{name} · feeds {'/'.join(map(str, feeds))}", float(max(feeds)),
            "status", "200", set(feeds) == {200} and probe.failures == 0),
    ]


def run(folder: Path) -> list[Row]:
    rows: list[Row] = []
    with _server(folder) as live:
        for hostile in SCENARIOS:
            rows += _scenario(live, hostile)
        peak = _memory_mb(live.pid)
    rows.append(Row("hostile", "server peak memory (VmHWM)", peak, "MB", "< 1536 MB",
                    peak < MEMORY_LIMIT_MB))
    return rows


if __name__ == "__main__":
    from bench.run import print_table

    print_table(run(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp")))
