"""App factories for ``bench_calendar``: the real app and a plain Starlette endpoint serving
the same bytes, each run by uvicorn in its own process (``--factory``)."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from juntos.house import create_app
from juntos.settings import Settings


def juntos_app() -> Starlette:
    return create_app(Settings(db_path=Path(os.environ["BENCH_DB"]),
                               secret_key="bench-secret", base_url="http://127.0.0.1"))


def plain_app() -> Starlette:
    body = Path(os.environ["BENCH_BODY"]).read_bytes()

    async def endpoint(request: Request) -> Response:
        return Response(body, media_type="text/calendar; charset=utf-8")

    return Starlette(routes=[Route("/feed.ics", endpoint)])
