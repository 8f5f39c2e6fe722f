"""Facebook Pages through the Graph API, over httpx (no SDK: Meta's Python SDK is unmaintained).

- Every call carries the Page access token in the ``Authorization`` header (never in a URL,
  which proxies log) and the dispatcher's timeout.
- Text (and the first link, for its preview card): ``POST /{page-id}/feed`` with ``message``
  and ``link``. With images: each image first goes up unpublished (``POST /{page-id}/photos``,
  ``published=false``, its alt text as ``alt_text_custom``), then one feed post attaches them
  (``attached_media``). An unpublished photo is not a post: an upload that fails leaves
  nothing on the Page, so only the feed call can leave a post "needs check".
- Facebook has no idempotency key. After an unknown outcome the Page's recent posts
  (``GET /{page-id}/posts?fields=message,created_time``) are read for exactly this text, made
  since the first attempt; absent means sending again is safe; a Page that cannot be read
  leaves the decision to a person.
- Errors come as ``{"error": {"code", "error_subcode", "message", "is_transient"}}``, often
  with HTTP 400 whatever the cause: the code says what happened (190 an expired or revoked
  token; 4, 17, 32, 613 and 80001 rate limits; 1, 2 temporary trouble).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from juntos.settings import Settings
from juntos.social.platforms.identity import (
    NOT_A_SERVER,
    REFUSED,
    TIMEOUT,
    UNREACHABLE,
    Identity,
    VerificationFailed,
    refused,
)
from juntos.social.platforms.outcomes import (
    Absent,
    Job,
    Outcome,
    Permanent,
    Sent,
    Transient,
    Unknown,
    after_sending,
    reset_time,
    short,
)

HOST = "https://graph.facebook.com"
VERSION = "v25.0"
#: Posts read when looking for one, and the slack between our clock and Facebook's.
RECENT = 25
CLOCK_SLACK = timedelta(minutes=5)
#: Facebook's limit on an image's alt text is not published; Meta's own tools cut at 1,000.
MAX_ALT = 1000
EXPIRED_CODES = {190, 102}
RATE_CODES = {4, 17, 32, 613, 80001}
TEMPORARY_CODES = {1, 2}
_URL = re.compile(r"https?://[^\s<>\"]+")


def base_url(settings: Settings) -> str:
    """Where Graph API calls go: Facebook, or ``social_api_base`` (tests, staging)."""
    return f"{(settings.social_api_base or HOST).rstrip('/')}/{VERSION}"


def http(settings: Settings, token: str) -> httpx.Client:
    return httpx.Client(base_url=base_url(settings), timeout=settings.dispatch_timeout_seconds,
                        headers={"Authorization": f"Bearer {token}"}, follow_redirects=False)


def _error(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _reason(response: httpx.Response) -> str:
    error = _error(response)
    return short(error.get("message") or response.reason_phrase or response.status_code)


def answer(response: httpx.Response, now: datetime | None = None) -> Outcome | None:
    """What an error answer means (None: a success)."""
    if response.is_success:
        return None
    error = _error(response)
    code, status = error.get("code"), response.status_code
    reason = _reason(response)
    if code in EXPIRED_CODES or status == 401:
        return Permanent(f"token expired or revoked: {reason}", 401, expired=True)
    if code in RATE_CODES or status == 429:
        return Transient("rate limited", 429, _regain(response, now), rate_limited=True)
    if code in TEMPORARY_CODES or error.get("is_transient") or status >= 500:
        return Transient(f"server error: {reason}", status if status >= 500 else 503)
    return Permanent(reason, status)


def _regain(response: httpx.Response, now: datetime | None) -> datetime | None:
    """When a rate limit ends: ``Retry-After``, or the usage headers' minutes to regain access."""
    found = reset_time(response.headers, now)
    if found is not None:
        return found
    for name in ("x-business-use-case-usage", "x-page-usage", "x-app-usage"):
        try:
            usage = json.loads(response.headers.get(name, "") or "{}")
        except ValueError:
            continue
        minutes = _minutes(usage)
        if minutes:
            return (now or datetime.now(UTC)) + timedelta(minutes=minutes)
    return None


def _minutes(usage: Any) -> int:
    if isinstance(usage, dict):
        value = usage.get("estimated_time_to_regain_access")
        if isinstance(value, int):
            return value
        return max((_minutes(v) for v in usage.values()), default=0)
    if isinstance(usage, list):
        return max((_minutes(v) for v in usage), default=0)
    return 0


def _sent_before(error: httpx.HTTPError) -> bool:
    """The request cannot have reached Facebook (no connection, or none from the pool)."""
    return isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


class FacebookClient:
    def __init__(self, job: Job, settings: Settings) -> None:
        self.job = job
        self.page = str(job.secret.get("page_id") or job.secret.get("page") or job.handle)
        self.http = http(settings, job.secret["page_token"])

    def new_secret(self) -> dict[str, Any] | None:
        return None

    def close(self) -> None:
        self.http.close()

    def upload(self) -> list[str] | Outcome:
        """Each image up, unpublished, with its alt text; the photo ids, or why not."""
        ids: list[str] = []
        for image in self.job.images:
            try:
                response = self.http.post(
                    f"/{self.page}/photos",
                    data={"published": "false", "alt_text_custom": image.alt[:MAX_ALT]},
                    files={"source": (image.filename, image.data, image.content_type)})
            except httpx.HTTPError as e:
                return Transient(f"could not upload an image: {short(e)}")
            refused_upload = answer(response, self.job.now)
            if refused_upload is not None:
                return refused_upload
            ids.append(str(response.json()["id"]))
        return ids

    def send(self) -> Outcome:
        photos = self.upload() if self.job.images else []
        if not isinstance(photos, list):
            return photos
        data: dict[str, str] = {"message": self.job.text}
        if photos:
            for i, photo in enumerate(photos):
                data[f"attached_media[{i}]"] = json.dumps({"media_fbid": photo})
        else:
            link = _URL.search(self.job.text)
            if link:
                data["link"] = link.group(0).rstrip(".,;:!?)'\"")
        try:
            response = self.http.post(f"/{self.page}/feed", data=data)
        except httpx.HTTPError as e:
            if _sent_before(e):
                return Transient(f"network error before sending: {short(e)}")
            return Unknown(f"no answer after sending ({short(e, 120)})")
        refused_post = answer(response, self.job.now)
        if refused_post is not None:
            return after_sending(refused_post)
        post_id = str(response.json().get("id", ""))
        return Sent(post_id, _permalink(post_id), response.status_code)

    def reconcile(self) -> Outcome:
        """Look for exactly this text among the Page's recent posts since the first attempt."""
        now = self.job.now or datetime.now(UTC)
        since = (self.job.first_sent_at or now - timedelta(hours=2)) - CLOCK_SLACK
        try:
            response = self.http.get(f"/{self.page}/posts", params={
                "fields": "id,message,created_time,permalink_url", "limit": str(RECENT),
                "since": str(int(since.timestamp()))})
        except httpx.HTTPError as e:
            return Transient(f"could not read the Page: {short(e)}")
        problem = answer(response, now)
        if isinstance(problem, Permanent) and not problem.expired:
            return Unknown(f"could not read the Page's posts ({problem.reason}; does the token"
                           " allow pages_read_engagement?)", problem.code, in_flight=False)
        if problem is not None:
            return problem if isinstance(problem, Permanent) else Transient(
                getattr(problem, "reason", "could not read the Page"))
        wanted = _normal(self.job.text)
        for post in response.json().get("data") or []:
            if _normal(str(post.get("message") or "")) == wanted:
                post_id = str(post.get("id", ""))
                return Sent(post_id, str(post.get("permalink_url") or _permalink(post_id)))
        return Absent("not among the Page's recent posts")


def _permalink(post_id: str) -> str:
    # A feed post's id is PAGEID_POSTID; facebook.com finds it by that id.
    return f"https://www.facebook.com/{post_id}" if post_id else ""


def _normal(text: str) -> str:
    return " ".join(text.split())


def verify(settings: Settings, page: str, token: str) -> Identity:
    """Ask the Graph API which Page the token opens (``GET /me``: a Page token answers as the
    Page, a user token as the person) and check it is the Page named by its id or username;
    raise VerificationFailed naming the problem."""
    client = http(settings, token)
    try:
        found = _read(client, "/me")
        asked = found if page.isdigit() else _read(client, f"/{page}")
    except httpx.TimeoutException:
        raise VerificationFailed(TIMEOUT) from None
    except httpx.HTTPError as e:
        raise VerificationFailed(UNREACHABLE, short(e)) from None
    except ValueError:
        raise VerificationFailed(NOT_A_SERVER, "the answer was not JSON") from None
    finally:
        client.close()
    page_id = str(found.get("id") or "")
    wanted = page if page.isdigit() else str(asked.get("id") or "")
    if not page_id or page_id != wanted:
        raise VerificationFailed(REFUSED, f"this token opens {found.get('name') or page_id!r},"
                                          f" not the Page {page!r}")
    return Identity(handle=page, display_name=str(found.get("name") or ""),
                    keep={"page_id": page_id})


def _read(client: httpx.Client, path: str) -> dict[str, Any]:
    response = client.get(path, params={"fields": "id,name"})
    problem = answer(response)
    if problem is not None:
        raise refused(problem.code, _reason(response), not_found=REFUSED)
    body = response.json()
    if not isinstance(body, dict):
        raise ValueError("not an object")
    return body
