"""Views run on worker threads: a slow page does not hold up the others."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from juntos.web.routing import page
from tests.support.web import post_form


class _Anonymous:
    """What the request context sets, reduced to the part ``page`` reads."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope.setdefault("state", {})["user"] = None
        await self.app(scope, receive, send)


def test_a_slow_view_does_not_hold_up_the_others() -> None:
    started, released = threading.Event(), threading.Event()

    async def slow(request: Request) -> Response:
        started.set()
        released.wait(5)  # blocking, as database work and rendering are
        return PlainTextResponse("slow")

    async def fast(request: Request) -> Response:
        released.set()
        return PlainTextResponse("fast")

    app = _Anonymous(Starlette(routes=[page("/slow", slow, public=True),
                                       page("/fast", fast, public=True)]))
    with TestClient(app) as client, ThreadPoolExecutor(1) as pool:
        began = time.monotonic()
        pending = pool.submit(client.get, "/slow")
        assert started.wait(5)
        assert client.get("/fast").text == "fast"
        assert pending.result(10).text == "slow"
        assert time.monotonic() - began < 4  # not the slow view's five-second wait


def test_a_form_post_reaches_the_view_on_its_thread(as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("member")
    assert client.post("/account/language", data={"language": "pt"}).status_code == 403
    r = post_form(client, "/account/language", {"language": "pt"}, form_page="/account")
    assert r.status_code == 200
    assert client.get("/account").headers["content-language"] == "pt"


def test_pages_take_turns_on_their_threads_and_changes_do_not_wait() -> None:
    """With one page thread, a second page waits for the first (in order, instead of taking
    turns on the interpreter lock); a change (POST), and a page that waits on another server,
    have threads of their own and go through while every page thread is busy."""
    from juntos.web.routing import PageThreads

    started, released = threading.Event(), threading.Event()

    async def slow(request: Request) -> Response:
        started.set()
        released.wait(5)
        return PlainTextResponse("slow")

    async def quick(request: Request) -> Response:
        return PlainTextResponse("quick")

    inner = Starlette(routes=[page("/slow", slow, public=True),
                              page("/quick", quick, public=True),
                              page("/callback", quick, public=True, waits=True),
                              page("/change", quick, public=True, methods=["POST"], csrf=False)])
    inner.state.page_threads = PageThreads(1)
    with TestClient(_Anonymous(inner)) as client, ThreadPoolExecutor(2) as pool:
        first = pool.submit(client.get, "/slow")
        assert started.wait(5)
        second = pool.submit(client.get, "/quick")
        assert client.post("/change").text == "quick"  # not held up by the busy page thread
        assert client.get("/callback").text == "quick"  # waits on a server: not a page thread
        time.sleep(0.3)
        assert not second.done()  # waits for the one page thread
        released.set()
        assert first.result(10).text == "slow" and second.result(10).text == "quick"
