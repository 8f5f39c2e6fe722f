"""Browser tests: the real app under uvicorn on 127.0.0.1, driven by Chromium via Playwright.

The browser is Debian's ``chromium`` (or ``$CHROMIUM``); Playwright's pip package is only the
driver. Without a browser these tests fail with instructions; they are never skipped.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from juntos import demo, house
from juntos.house import create_app
from juntos.settings import Settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def find_chromium(playwright) -> str | None:  # type: ignore[no-untyped-def]
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    bundled = playwright.chromium.executable_path  # present after `playwright install chromium`
    return bundled if bundled and Path(bundled).exists() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    settings: Settings


def start_server(settings: Settings) -> tuple[uvicorn.Server, threading.Thread]:
    config = uvicorn.Config(create_app(settings), host=settings.host, port=settings.port,
                            log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    return server, thread


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app with the demo data, served on a free loopback port for the whole session."""
    folder = tmp_path_factory.mktemp("live")
    settings = Settings(db_path=folder / "juntos.db", secret_key="e2e-secret",
                        host="127.0.0.1", port=free_port())
    db = house.open_db(settings.db_path)
    from juntos.clock import system_clock

    demo.load(db, house.areas(), now=system_clock())
    db.close()
    server, thread = start_server(settings)
    yield LiveServer(f"http://127.0.0.1:{settings.port}", settings)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        executable = find_chromium(p)
        if executable is None:
            pytest.fail(
                "No Chromium found for the browser tests. Install Debian's package "
                "(apt-get install chromium), set CHROMIUM=/path/to/chrome, or run "
                "'playwright install chromium' where downloads are allowed.",
                pytrace=False,
            )
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.stash.setdefault("failed", report.failed)
        if report.failed:
            item.stash["failed"] = True
    return report


def _page(browser: Browser, request: pytest.FixtureRequest, *, javascript: bool) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    if request.node.stash.get("failed", False):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from _page(browser, request, javascript=True)


@pytest.fixture
def nojs_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page with JavaScript disabled: everything must still work."""
    yield from _page(browser, request, javascript=False)


def log_in(page: Page, base: str, email: str = demo.org_demo.COORDINATOR_EMAIL,
           password: str = demo.org_demo.DEMO_PASSWORD) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/")
