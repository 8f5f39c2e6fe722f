"""Bluesky through the atproto package.

- Sessions are kept (sealed with the credentials) and reused: Bluesky allows few logins per hour,
  so a worker logs in with the app password only when it has no session or the session is dead.
- The record key (a TID) is chosen and stored before the create call, so after an unknown
  outcome ``getRecord`` tells whether the post exists; a resend with the same key cannot make a
  second post either.
- Links and hashtags become facets (byte ranges): a plain string makes no clickable links.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from atproto import Client, models
from atproto_client.exceptions import (
    BadRequestError,
    InvokeTimeoutError,
    NetworkError,
    RequestErrorBase,
    UnauthorizedError,
)
from atproto_client.models.utils import get_response_model
from atproto_client.request import Request

from juntos.settings import Settings
from juntos.social.platforms.identity import (
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
    epoch,
    reset_time,
    short,
)

COLLECTION = "app.bsky.feed.post"
URL_RE = re.compile(r"https?://[^\s<>\"]+")
TAG_RE = re.compile(r"(?<![\w#])#([^\s#.,;:!?()\[\]{}\"']*[^\W\d][^\s#.,;:!?()\[\]{}\"']*)")


def facets(text: str) -> list[models.AppBskyRichtextFacet.Main]:
    """Links and hashtags as facets, indexed by UTF-8 byte offsets as the lexicon requires."""
    found: list[models.AppBskyRichtextFacet.Main] = []

    def span(start: int, end: int) -> models.AppBskyRichtextFacet.ByteSlice:
        return models.AppBskyRichtextFacet.ByteSlice(
            byte_start=len(text[:start].encode()), byte_end=len(text[:end].encode()))

    for m in URL_RE.finditer(text):
        uri = m.group(0).rstrip(".,;:!?)'\"")
        found.append(models.AppBskyRichtextFacet.Main(
            index=span(m.start(), m.start() + len(uri)),
            features=[models.AppBskyRichtextFacet.Link(uri=uri)]))
    urls = [(f.index.byte_start, f.index.byte_end) for f in found]
    for m in TAG_RE.finditer(text):
        s = span(m.start(), m.end())
        if any(a <= s.byte_start < b for a, b in urls):
            continue  # a #fragment inside a link
        found.append(models.AppBskyRichtextFacet.Main(
            index=s, features=[models.AppBskyRichtextFacet.Tag(tag=m.group(1))]))
    return sorted(found, key=lambda f: f.index.byte_start)


class BlueskyClient:
    def __init__(self, job: Job, settings: Settings) -> None:
        self.job = job
        self.base = (settings.social_api_base.rstrip("/") + "/xrpc"
                     if settings.social_api_base else None)
        self.timeout = settings.dispatch_timeout_seconds
        self._secret: dict[str, Any] | None = None
        self.client: Client | None = None
        self._made: list[Client] = []

    # --- session ---------------------------------------------------------------------------
    def new_secret(self) -> dict[str, Any] | None:
        return self._secret

    def close(self) -> None:
        for client in self._made:
            client.request.close()

    def _connect(self) -> Client:
        if self.client is not None:
            return self.client
        session = self.job.secret.get("session")
        if session:
            try:
                self.client = self._client(session_string=session)
                return self.client
            except UnauthorizedError:
                pass  # the session died (refresh token expired): log in again, once
            except BadRequestError as e:
                if not _is_expired(e):
                    raise
        self.client = self._client(login=self.job.secret["identifier"],
                                   password=self.job.secret["app_password"])
        return self.client

    def _client(self, **login: str) -> Client:
        client = Client(base_url=self.base, request=Request(timeout=self.timeout))
        self._made.append(client)
        client.on_session_change(lambda _event, _session: self._remember(client))
        client.login(**login, fetch_bsky_profile=False)
        if "session_string" not in login:
            self._remember(client)
        else:
            client.com.atproto.server.get_session()  # a cheap check that the session lives
        return client

    def _remember(self, client: Client) -> None:
        self._secret = {**self.job.secret, "session": client.export_session_string()}

    # --- calls -----------------------------------------------------------------------------
    def send(self) -> Outcome:
        try:
            client = self._connect()
            did = client._session.did  # the session's own repository
        except InvokeTimeoutError:
            return Transient("no answer in time while logging in")
        except RequestErrorBase as e:
            return _not_sent(_map_error(e))
        embed = self._upload(client)
        if not isinstance(embed, models.AppBskyEmbedImages.Main | None):
            return embed
        try:
            record = models.AppBskyFeedPost.Record(
                text=self.job.text, created_at=client.get_current_time_iso(),
                langs=[self.job.language] if self.job.language else None,
                facets=facets(self.job.text) or None, embed=embed)
            created = client.com.atproto.repo.create_record(models.ComAtprotoRepoCreateRecord.Data(
                repo=did, collection=COLLECTION, rkey=self.job.dispatch_key, record=record))
        except InvokeTimeoutError:
            return Unknown("no answer in time after sending")
        except RequestErrorBase as e:
            return after_sending(_map_error(e))
        return Sent(created.uri, self._url())

    def _upload(self, client: Client) -> models.AppBskyEmbedImages.Main | Outcome | None:
        """Upload the images as blobs and embed them with their alt text.

        A blob not referenced by a record is deleted by the server after a while, so an upload
        that fails (even by a timeout) leaves nothing behind: at worst Transient."""
        if not self.job.images:
            return None
        images = []
        try:
            for image in self.job.images:
                # What ``upload_blob`` does, but with the image's own type (it sends */*) and
                # the bytes as httpx's ``content`` (it passes ``data``, deprecated in httpx).
                response = client.invoke_procedure(
                    "com.atproto.repo.uploadBlob", content=image.data,
                    headers={"Content-Type": image.content_type},
                    output_encoding="application/json")
                uploaded = get_response_model(response, models.ComAtprotoRepoUploadBlob.Response)
                images.append(models.AppBskyEmbedImages.Image(alt=image.alt,
                                                              image=uploaded.blob))
        except InvokeTimeoutError:
            return Transient("no answer in time while uploading an image")
        except RequestErrorBase as e:
            return _not_sent(_map_error(e))
        return models.AppBskyEmbedImages.Main(images=images)

    def reconcile(self) -> Outcome:
        try:
            client = self._connect()
            client.com.atproto.repo.get_record(models.ComAtprotoRepoGetRecord.Params(
                repo=client._session.did, collection=COLLECTION, rkey=self.job.dispatch_key))
        except InvokeTimeoutError:
            return Transient("no answer in time while checking")
        except RequestErrorBase as e:
            if e.response is not None and _error_name(e) == "RecordNotFound":
                return Absent("no record with this key", e.response.status_code)
            outcome = _map_error(e)
            return outcome if not isinstance(outcome, Unknown) else Transient(outcome.reason)
        did = self.client._session.did if self.client else ""
        return Sent(f"at://{did}/{COLLECTION}/{self.job.dispatch_key}", self._url())

    def _url(self) -> str:
        return f"https://bsky.app/profile/{self.job.handle}/post/{self.job.dispatch_key}"


def verify(settings: Settings, identifier: str, app_password: str) -> Identity:
    """Log in once with the app password, on connecting, and keep the session it opens (the
    dispatcher reuses it: Bluesky allows few logins per hour). Raise VerificationFailed."""
    base = settings.social_api_base.rstrip("/") + "/xrpc" if settings.social_api_base else None
    client = Client(base_url=base, request=Request(timeout=settings.dispatch_timeout_seconds))
    try:
        try:
            client.login(login=identifier, password=app_password, fetch_bsky_profile=False)
        except InvokeTimeoutError:
            raise VerificationFailed(TIMEOUT) from None
        except RequestErrorBase as e:
            response = e.response
            if response is None:
                if isinstance(e.__context__, httpx.TimeoutException):
                    raise VerificationFailed(TIMEOUT) from None
                raise VerificationFailed(UNREACHABLE, short(e.__context__ or e)) from None
            raise refused(response.status_code, _message(e)) from None
        session = client._session
        handle = session.handle if session is not None else identifier
        display_name = ""
        try:  # a nicety: the login already proved the credentials
            profile = client.app.bsky.actor.get_profile(
                models.AppBskyActorGetProfile.Params(actor=session.did if session else handle))
            display_name = profile.display_name or ""
        except RequestErrorBase:
            pass
        return Identity(handle=handle, display_name=display_name,
                        keep={"session": client.export_session_string()})
    finally:
        client.request.close()


def _not_sent(outcome: Outcome) -> Outcome:
    """Before the create call nothing can have been posted: never Unknown."""
    return Transient(outcome.reason) if isinstance(outcome, Unknown) else outcome


def _error_name(e: RequestErrorBase) -> str:
    content = e.response.content if e.response is not None else None
    return str(getattr(content, "error", "") or "")


def _message(e: RequestErrorBase) -> str:
    content = e.response.content if e.response is not None else None
    return short(getattr(content, "message", "") or getattr(content, "error", "") or e)


def _is_expired(e: RequestErrorBase) -> bool:
    return _error_name(e) in {"ExpiredToken", "InvalidToken"}


def _map_error(e: RequestErrorBase) -> Outcome:
    response = e.response
    if response is None:
        if isinstance(e.__context__, httpx.TimeoutException):
            return Unknown("no answer in time after sending")
        return Transient(f"network error: {short(e.__context__ or e)}")
    code = response.status_code
    message = _message(e)
    if code == 401 or (_is_expired(e) and isinstance(e, UnauthorizedError)):
        return Permanent(f"app password or session no longer valid: {message}", 401, expired=True)
    if code == 429:
        headers = dict(response.headers)
        # Bluesky's own reset (epoch seconds), or a proxy's Retry-After: the later one.
        reset = max((t for t in (epoch(headers.get("ratelimit-reset")),
                                 reset_time(headers)) if t is not None), default=None)
        return Transient("rate limited", 429, reset, rate_limited=True)
    if code >= 500 or isinstance(e, NetworkError):
        return Transient(f"server error: {message}", code)
    return Permanent(message, code)
