"""Pages of the campaigns area."""

from __future__ import annotations

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
