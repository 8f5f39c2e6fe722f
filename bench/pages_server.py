"""App factory for ``bench_pages``: the real app, with a bare Starlette route beside it in the
same process (``/__bare/<name>``) that serves the bytes a page served, as fetched by the bench.

Run by uvicorn (``--factory bench.pages_server:app``); ``BENCH_DB`` is the database and
``BENCH_BARE`` the folder where the bench writes each page's body (``<name>.body``) and media
type (``<name>.type``) before it measures.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from juntos.house import create_app
from juntos.settings import Settings


def app() -> object:
    juntos = create_app(Settings(db_path=Path(os.environ["BENCH_DB"]),
                                 secret_key="bench-secret", base_url="http://127.0.0.1"))
    folder = Path(os.environ["BENCH_BARE"])
    bodies: dict[str, tuple[bytes, str, dict[str, str]]] = {}

    async def bare(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in bodies:  # read once, then served from memory like any bare endpoint
            encoding = (folder / f"{name}.encoding").read_text()
            bodies[name] = ((folder / f"{name}.body").read_bytes(),
                            (folder / f"{name}.type").read_text(),
                            {"content-encoding": encoding} if encoding else {})
        body, media_type, headers = bodies[name]
        return Response(body, media_type=media_type, headers=headers)

    plain = Starlette(routes=[Route("/__bare/{name}", bare)])

    async def both(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/__bare/"):
            await plain(scope, receive, send)
        else:
            await juntos(scope, receive, send)

    return both
