"""Mastodon through Mastodon.py.

``ratelimit_method='throw'`` (its default sleeps inside the call, holding a worker), a timeout
on every call, and an Idempotency-Key derived from the post: Mastodon remembers the key for about
an hour, so a resend within that window returns the status already made instead of a second one.
That resend is also how an unknown outcome is reconciled.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonNetworkError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from juntos.settings import Settings
from juntos.social.platforms.outcomes import (
    Job,
    Outcome,
    Permanent,
    Sent,
    Transient,
    Unknown,
    short,
)

#: Mastodon keeps idempotency keys for one hour; stay safely inside it.
IDEMPOTENCY_WINDOW = timedelta(minutes=55)


class MastodonClient:
    def __init__(self, job: Job, settings: Settings) -> None:
        self.job = job
        # Mastodon.py reads X-RateLimit-Reset against the machine's clock and drops a reset it
        # thinks has passed; keep the last answer's headers and read the reset ourselves.
        self.last_headers: dict[str, str] = {}
        self.session = session = requests.Session()
        session.hooks["response"].append(self._keep_headers)
        self.api = Mastodon(
            access_token=job.secret["access_token"],
            api_base_url=settings.social_api_base or job.instance_url,
            ratelimit_method="throw",
            request_timeout=settings.dispatch_timeout_seconds,
            version_check_mode="none",
            session=session,
        )

    def _keep_headers(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.last_headers = dict(response.headers)

    def new_secret(self) -> dict[str, Any] | None:
        return None

    def close(self) -> None:
        self.session.close()

    def send(self) -> Outcome:
        try:
            status = self.api.status_post(self.job.text, language=self.job.language or None,
                                          idempotency_key=self.job.dispatch_key)
        except MastodonRatelimitError:
            retry_at = _reset_time(self.last_headers.get("X-RateLimit-Reset", ""))
            return Transient("rate limited", 429, retry_at, rate_limited=True)
        except MastodonUnauthorizedError as e:
            return Permanent(f"token expired or revoked: {_reason(e)}", 401, expired=True)
        except MastodonServerError as e:
            return Transient(f"server error: {_reason(e)}", _code(e))
        except MastodonAPIError as e:
            code = _code(e)
            if code == 401:
                return Permanent(f"token expired or revoked: {_reason(e)}", 401, expired=True)
            if code == 429:
                return Transient("rate limited", 429)
            return Permanent(_reason(e), code)
        except MastodonNetworkError as e:
            if isinstance(e.__context__, requests.exceptions.ReadTimeout):
                return Unknown("no answer in time after sending")
            return Transient(f"network error: {short(e)}")
        return Sent(str(status["id"]), status.get("url") or status.get("uri") or "")

    def reconcile(self) -> Outcome:
        """Resend with the same key while the server still remembers it; else ask a person."""
        first, now = self.job.first_sent_at, self.job.now or datetime.now(UTC)
        if first is None or now - first > IDEMPOTENCY_WINDOW:
            return Unknown("too long since the first attempt for Mastodon to recognise a resend")
        return self.send()


def _reset_time(raw: str) -> datetime | None:
    """X-RateLimit-Reset: an ISO 8601 time (Mastodon) or epoch seconds (some other servers)."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        if raw.isdigit():
            return datetime.fromtimestamp(int(raw), UTC)
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def _code(e: Exception) -> int | None:
    args = getattr(e, "args", ())
    return args[1] if len(args) > 1 and isinstance(args[1], int) else None


def _reason(e: Exception) -> str:
    args = getattr(e, "args", ())
    if len(args) > 3 and args[3]:
        return short(args[3])
    return short(args[0] if args else e)
