"""Who a set of credentials belongs to, as the platform says when asked once on connecting.

Connecting checks the credentials against the platform before storing anything: a typo in a
token would otherwise surface only at 09:00 on the day of action, as a failed post.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from juntos.errors import JuntosError

# What went wrong, in words a page can translate (the view maps each to a message).
REFUSED = "refused"  # the platform rejected the credentials (wrong, revoked, too few scopes)
UNREACHABLE = "unreachable"  # no connection (wrong address, DNS, network down)
TIMEOUT = "timeout"  # connected, but no answer in time
SERVER_ERROR = "server_error"  # the platform answered 5xx
RATE_LIMITED = "rate_limited"  # too many attempts (Bluesky allows few logins an hour)
NOT_A_SERVER = "not_a_server"  # the address answered, but not as this platform would
INSIDE = "inside"  # the address is inside the server's own network (refused, never asked)


@dataclass(frozen=True)
class Identity:
    """The account the credentials open, and anything to keep with them (a Bluesky session)."""

    handle: str
    display_name: str = ""
    keep: dict[str, Any] = field(default_factory=dict, repr=False)


class VerificationFailed(JuntosError):
    """The platform did not confirm the credentials; ``problem`` is one of the constants above,
    ``detail`` the platform's own words (never a secret)."""

    def __init__(self, problem: str, detail: str = "", code: int | None = None) -> None:
        super().__init__(f"{problem}: {detail}" if detail else problem)
        self.problem = problem
        self.detail = detail
        self.code = code


class SignInFailed(JuntosError):
    """The platform's sign-in did not hand out a request or access token (network, wrong app
    keys, a refused sign-in)."""


def refused(code: int | None, detail: str, *, not_found: str = NOT_A_SERVER) -> VerificationFailed:
    """What an error answer to a credentials check means: too many attempts, the platform's
    own trouble, no such server (``not_found``), or the credentials refused."""
    if code == 429:
        return VerificationFailed(RATE_LIMITED, detail, code)
    if code is not None and code >= 500:
        return VerificationFailed(SERVER_ERROR, detail, code)
    if code == 404:
        return VerificationFailed(not_found, detail, code)
    return VerificationFailed(REFUSED, detail, code)
