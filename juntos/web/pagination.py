"""Page numbers from the query string, and links that keep every other parameter."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request


@dataclass(frozen=True)
class Pagination:
    page: int
    per_page: int
    total: int
    base: str
    params: dict[str, str]

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def url(self, page: int) -> str:
        params = {k: v for k, v in self.params.items() if v and k != "page"}
        if page > 1:
            params["page"] = str(page)
        return self.base + ("?" + urlencode(params) if params else "")


def current_page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1
