"""Page numbers from the query string, and links that keep every other parameter."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request

from juntos.errors import JuntosError, Message
from juntos.validation import N_


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


#: Past this, a page number is refused (no list here has a million pages).
MAX_PAGE = 1_000_000


def current_page(request: Request) -> int:
    """``?page=`` as a number from 1; a negative, huge or non-numeric one is refused (400)
    with a message, never passed on to a query's OFFSET."""
    raw = request.query_params.get("page", "1").strip() or "1"
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 7 or not 1 <= int(raw) <= MAX_PAGE:
        raise JuntosError(Message(N_("The page number must be a whole number from 1 to"
                                     " %(max)s."), max=f"{MAX_PAGE:,}"))
    return int(raw)
