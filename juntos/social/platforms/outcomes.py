"""What a platform call can come to, in the dispatcher's terms.

- ``Sent``: the platform has the post (its id and public URL).
- ``Transient``: try again later (network error before sending, 5xx, 429), maybe not before
  ``retry_at`` (the platform's reset time).
- ``Permanent``: do not retry; ``reason`` is the platform's own words, shown to the organisation.
- ``Unknown``: the request may have reached the platform but no answer came (a timeout after
  sending): the post needs checking before anything is sent again.
- ``Absent``: (reconciliation only) the platform certainly does not have the post.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

OUT_OF_CREDIT = "out of API credit"


@dataclass(frozen=True)
class Sent:
    platform_id: str
    url: str
    code: int | None = 200


@dataclass(frozen=True)
class Transient:
    reason: str
    code: int | None = None
    retry_at: datetime | None = None
    rate_limited: bool = False  # the account itself is limited until retry_at


@dataclass(frozen=True)
class Permanent:
    reason: str
    code: int | None = None
    expired: bool = False  # 401: token expired or revoked; the account must reconnect
    out_of_credit: bool = False  # X: 402 or usage cap; the wave's other X posts fail too


@dataclass(frozen=True)
class Unknown:
    reason: str
    code: int | None = None
    #: The request may still be running on the server (a timeout, a reset after sending, a
    #: 5xx): check again once it cannot be. False: we looked and cannot tell (ask a person).
    in_flight: bool = True


@dataclass(frozen=True)
class Absent:
    reason: str = "not found on the platform"
    code: int | None = None


Outcome = Sent | Transient | Permanent | Unknown | Absent


@dataclass(frozen=True)
class Image:
    """One of the kit's images, with the alt text that must travel with it."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)
    alt: str


@dataclass(frozen=True, kw_only=True)
class Job:
    """One post to send (or check), with everything a client needs and nothing else."""

    post_id: int
    platform: str
    text: str
    language: str
    dispatch_key: str  # Bluesky record key / Mastodon idempotency key, stored before sending
    handle: str
    instance_url: str
    secret: dict[str, Any] = field(repr=False)
    first_sent_at: datetime | None = None
    now: datetime | None = None
    images: tuple[Image, ...] = ()
    # A repost (X's "lead posts once, partners repost"): the lead post's platform id and URL.
    kind: str = "post"
    repost_of_id: str = ""
    repost_of_url: str = ""

    def __repr__(self) -> str:  # the secret never reaches a log line
        return f"Job(post_id={self.post_id}, platform={self.platform!r})"


class PlatformClient(Protocol):
    def send(self) -> Outcome: ...

    def reconcile(self) -> Outcome:
        """After an unknown outcome: Sent (found), Absent (safe to send), Unknown (ask a person),
        Transient (could not look now)."""
        ...

    def new_secret(self) -> dict[str, Any] | None:
        """Credentials to store after the call (a refreshed session), or None."""
        ...

    def close(self) -> None:
        """Release connections (a worker makes many clients; sockets must not pile up)."""
        ...


def after_sending(outcome: Outcome) -> Outcome:
    """An answer to a create call: a 5xx may come after the post was made (a proxy's timeout,
    a crash after saving), so it is an unknown outcome, never a reason to resend blindly."""
    if isinstance(outcome, Transient) and not outcome.rate_limited and (outcome.code or 0) >= 500:
        return Unknown(f"{outcome.reason} (after sending)", outcome.code)
    return outcome


def never_left(error: BaseException) -> bool:
    """A ``requests`` error raised before the request could reach the server (connection
    refused, name not resolved, connect timeout). Anything else (a reset, a read timeout) may
    have come after the server received it."""
    if type(error).__name__ == "ConnectTimeout":
        return True
    if type(error).__name__ == "ConnectionError":
        reason = getattr(error.args[0], "reason", None) if error.args else None
        return type(reason).__name__ in ("NewConnectionError", "NameResolutionError")
    return False


def short(text: object, limit: int = 300) -> str:
    return " ".join(str(text).split())[:limit]


def epoch(value: str | None) -> datetime | None:
    """A rate limit's reset time given as epoch seconds (a header), or None."""
    return datetime.fromtimestamp(int(value), UTC) if value and value.isdigit() else None


def retry_after(value: str | None, now: datetime | None = None) -> datetime | None:
    """``Retry-After`` (RFC 9110 §10.2.3): delay seconds or an HTTP date; None if absent or
    unreadable. Proxies in front of a platform send it without any X-RateLimit header."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return (now or datetime.now(UTC)) + timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def reset_time(headers: Mapping[str, str], now: datetime | None = None) -> datetime | None:
    """When a rate limit ends, from whichever of ``Retry-After`` and ``X-RateLimit-Reset``
    (ISO 8601 as Mastodon sends it, or epoch seconds) the answer carries: the later one."""
    lower = {k.lower(): v for k, v in headers.items()}
    times = [t for t in (retry_after(lower.get("retry-after"), now),
                         _reset_header(lower.get("x-ratelimit-reset", "")
                                       or lower.get("x-rate-limit-reset", "")))
             if t is not None]
    return max(times) if times else None


def _reset_header(raw: str) -> datetime | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        if raw.isdigit():
            return datetime.fromtimestamp(int(raw), UTC)
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None
