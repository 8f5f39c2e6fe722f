"""Mastodon through Mastodon.py.

``ratelimit_method='throw'`` (its default sleeps inside the call, holding a worker), a timeout
on every call, and the post's random key as its Idempotency-Key. Mastodon scopes the key to the
account, checks it before creating and stores it after (no lock), and forgets it after 3,600 s:
so a resend with the key is safe only once the first request has ended (the dispatcher waits
for that) and while the key is certainly remembered (``KEY_WINDOW`` from the first attempt).
Later, the post is looked for among the account's recent statuses (exact text, time window).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from juntos.settings import Settings
from juntos.social.platforms.identity import (
    NOT_A_SERVER,
    TIMEOUT,
    UNREACHABLE,
    Identity,
    VerificationFailed,
    refused,
)
from juntos.social.platforms.outcomes import (
    Job,
    Outcome,
    Permanent,
    Sent,
    Transient,
    Unknown,
    never_left,
    reset_time,
    short,
)

#: Assumed rather than asked (asking costs a call per client): every call used here exists since
#: 3.x, and from 3.1.4 Mastodon.py uploads images through /api/v2/media.
ASSUMED_VERSION = "4.0.0"
#: Mastodon keeps idempotency keys for 3,600 s after storing them; a resend must arrive well
#: inside that, counted from the first attempt (which left before the key was stored).
KEY_WINDOW = timedelta(minutes=50)
#: Statuses read when looking for a post (Mastodon's page size), and the slack allowed between
#: our clock and the server's.
RECENT = 40
CLOCK_SLACK = timedelta(minutes=5)


class MastodonClient:
    def __init__(self, job: Job, settings: Settings) -> None:
        self.job = job
        self.timeout = settings.dispatch_timeout_seconds
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
            version_check_mode="created", mastodon_version=ASSUMED_VERSION,
            session=session,
        )

    def _keep_headers(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.last_headers = dict(response.headers)

    def new_secret(self) -> dict[str, Any] | None:
        return None

    def close(self) -> None:
        self.session.close()

    def upload(self) -> list[str] | Outcome:
        """Upload the images with their alt text (``description``); media ids, or why not.

        Uploading is not posting: a failure here, even a timeout, leaves no status behind, so
        it is at worst Transient and the images are uploaded again on the next attempt."""
        ids: list[str] = []
        for image in self.job.images:
            try:
                media = self.api.media_post(io.BytesIO(image.data), mime_type=image.content_type,
                                            description=image.alt, file_name=image.filename)
            except MastodonNetworkError as e:
                return Transient(f"could not upload an image: {short(e.__context__ or e)}")
            except MastodonError as e:
                outcome = self._error(e)
                if isinstance(outcome, Permanent) and outcome.code == 403:
                    return Permanent(f"{outcome.reason} (does the token have the write:media"
                                     " scope?)", 403)
                return outcome
            ids.append(str(media["id"]))
        return ids

    def send(self) -> Outcome:
        media_ids = self.upload() if self.job.images else []
        if not isinstance(media_ids, list):
            return media_ids
        try:
            status = self.api.status_post(self.job.text, language=self.job.language or None,
                                          media_ids=media_ids or None,
                                          idempotency_key=self.job.dispatch_key)
        except MastodonNetworkError as e:
            if never_left(e.__context__ or e):
                return Transient(f"network error before sending: {short(e.__context__ or e)}")
            # A timeout or a connection reset after the request left: the status may exist.
            return Unknown(f"no answer after sending ({short(e.__context__ or e, 120)})")
        except MastodonServerError as e:
            # A 5xx after the body was sent: the status may have been made before the error.
            return Unknown(f"server error after sending: {_reason(e)}", _code(e))
        except (MastodonAPIError, MastodonRatelimitError) as e:
            return self._error(e)
        return _sent(status)

    def _error(self, e: Exception) -> Outcome:
        """What an answer that is not a success means (network errors are handled apart)."""
        if isinstance(e, MastodonRatelimitError) or _code(e) == 429:
            retry_at = reset_time(self.last_headers, self.job.now)
            return Transient("rate limited", 429, retry_at, rate_limited=True)
        if isinstance(e, MastodonUnauthorizedError):
            return Permanent(f"token expired or revoked: {_reason(e)}", 401, expired=True)
        if isinstance(e, MastodonServerError):
            return Transient(f"server error: {_reason(e)}", _code(e))
        code = _code(e)
        if code == 401:
            return Permanent(f"token expired or revoked: {_reason(e)}", 401, expired=True)
        return Permanent(_reason(e), code)

    def reconcile(self) -> Outcome:
        """After an unknown outcome whose request has ended: resend with the same key while
        Mastodon certainly remembers it (it answers with the status it made, or makes it once);
        later, look for the status among the account's recent statuses."""
        first, now = self.job.first_sent_at, self.job.now or datetime.now(UTC)
        timeout = timedelta(seconds=self.timeout)
        if first is not None and now + timeout < first + KEY_WINDOW:
            return self.send()
        return self.look(first or now - KEY_WINDOW, now)

    def look(self, since: datetime, now: datetime) -> Outcome:
        """The status with exactly this text made between ``since`` and now, or a person."""
        try:
            me = self.api.account_verify_credentials()
            statuses = self.api.account_statuses(me["id"], limit=RECENT, exclude_reblogs=True,
                                                 exclude_replies=True)
            for status in statuses:
                made = _aware(status["created_at"])
                if made < since - CLOCK_SLACK or made > now + CLOCK_SLACK:
                    continue
                source = self.api.status_source(status["id"])
                if str(source.get("text", "")).strip() == self.job.text.strip():
                    return _sent(status)
        except MastodonNetworkError as e:
            return Transient(f"could not look at the account: {short(e.__context__ or e)}")
        except MastodonError as e:
            outcome = self._error(e)
            return outcome if not isinstance(outcome, Permanent) else Unknown(
                f"could not look at the account ({outcome.reason}; does the token have the"
                " read:statuses scope?)", outcome.code, in_flight=False)
        return Unknown(f"Mastodon no longer recognises the key, and no status with this text"
                       f" is among the account's {RECENT} latest since"
                       f" {since:%Y-%m-%d %H:%M} UTC", in_flight=False)


def _sent(status: dict[str, Any]) -> Sent:
    return Sent(str(status["id"]), status.get("url") or status.get("uri") or "")


def _aware(value: Any) -> datetime:
    when = value if isinstance(value, datetime) else datetime.fromisoformat(
        str(value).replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def verify(settings: Settings, instance_url: str, access_token: str) -> Identity:
    """Ask the instance whose token this is (``GET /api/v1/accounts/verify_credentials``, scope
    ``read:accounts``), once, on connecting; raise VerificationFailed naming the problem."""
    session = requests.Session()
    api = Mastodon(access_token=access_token,
                   api_base_url=settings.social_api_base or instance_url,
                   ratelimit_method="throw", request_timeout=settings.dispatch_timeout_seconds,
                   version_check_mode="created", mastodon_version=ASSUMED_VERSION, session=session)
    try:
        me = api.account_verify_credentials()
    except (MastodonUnauthorizedError, MastodonNotFoundError, MastodonServerError,
            MastodonRatelimitError, MastodonAPIError) as e:
        code = _code(e)
        # Mastodon.py's error classes say what the code would (when it kept no code).
        said = (429 if isinstance(e, MastodonRatelimitError) else
                500 if isinstance(e, MastodonServerError) else
                404 if isinstance(e, MastodonNotFoundError) else code)
        raise VerificationFailed(refused(said, "").problem, _reason(e), code) from None
    except MastodonNetworkError as e:
        if isinstance(e.__context__, requests.exceptions.Timeout):
            raise VerificationFailed(TIMEOUT) from None
        raise VerificationFailed(UNREACHABLE, short(e.__context__ or e)) from None
    except MastodonError as e:  # e.g. an answer that is not JSON: not a Mastodon server
        raise VerificationFailed(NOT_A_SERVER, short(e)) from None
    finally:
        session.close()
    handle = str(me.get("username") or me.get("acct") or "")
    if not handle:
        raise VerificationFailed(NOT_A_SERVER, "no account in the answer")
    return Identity(handle=handle, display_name=str(me.get("display_name") or ""))


def _code(e: Exception) -> int | None:
    # Mastodon.py's API errors carry (message, status code, reason, description).
    args: tuple[Any, ...] = tuple(getattr(e, "args", ()))
    return args[1] if len(args) > 1 and isinstance(args[1], int) else None


def _reason(e: Exception) -> str:
    args: tuple[Any, ...] = tuple(getattr(e, "args", ()))
    if len(args) > 3 and args[3]:
        return short(args[3])
    return short(args[0] if args else e)
