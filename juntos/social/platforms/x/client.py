"""X through tweepy, OAuth 1.0a user context (user tokens do not expire; OAuth 2 ones last two
hours with single-use refresh tokens, a poor fit for a worker).

tweepy sets no HTTP timeout: its session is replaced by one that puts a timeout on every call.
``wait_on_rate_limit`` stays off (it sleeps inside the call). X charges per post: a 402, or a 429
saying the usage cap is reached, is "out of API credit" and not retried.

X has no idempotency key, so after an unknown outcome the account's recent posts are searched
for the exact text before anything is resent.
"""

from __future__ import annotations

import html
import io
from typing import Any

import requests
import tweepy

from juntos.settings import Settings
from juntos.social.platforms.identity import (
    REFUSED,
    TIMEOUT,
    UNREACHABLE,
    Identity,
    SignInFailed,
    VerificationFailed,
    refused,
)
from juntos.social.platforms.outcomes import (
    OUT_OF_CREDIT,
    Absent,
    Job,
    Outcome,
    Permanent,
    Sent,
    Transient,
    Unknown,
    after_sending,
    never_left,
    reset_time,
    short,
)

API_HOST = "https://api.twitter.com"
REPOST = "repost"
UPLOAD_HOST = "https://upload.twitter.com"
#: X's limit on an image's alt text.
MAX_ALT = 1000


class TimeoutSession(requests.Session):
    """A requests session with a default timeout on every request (and, for staging and the
    crash test, another address in place of X's: tweepy has its host written in)."""

    def __init__(self, timeout: float, base: str = "") -> None:
        super().__init__()
        self.timeout = timeout
        self.base = base.rstrip("/")

    def request(self, method: str, url: str, *args: Any,  # type: ignore[override]
                **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        for host in (API_HOST, UPLOAD_HOST):
            if self.base and url.startswith(host):
                url = self.base + url[len(host):]
        return super().request(method, url, *args, **kwargs)


def client(consumer_key: str, consumer_secret: str, access_token: str, access_secret: str, *,
           timeout: float, base: str = "") -> tweepy.Client:
    api = tweepy.Client(consumer_key=consumer_key, consumer_secret=consumer_secret,
                        access_token=access_token, access_token_secret=access_secret,
                        wait_on_rate_limit=False)
    api.session = TimeoutSession(timeout, base)
    return api


def v1_api(consumer_key: str, consumer_secret: str, access_token: str, access_secret: str, *,
           timeout: float, base: str = "") -> tweepy.API:
    """The v1.1 API, for media upload only (X has no v2 endpoint tweepy wraps for it)."""
    auth = tweepy.OAuth1UserHandler(consumer_key, consumer_secret, access_token, access_secret)
    api = tweepy.API(auth, timeout=timeout, wait_on_rate_limit=False)
    api.session = TimeoutSession(timeout, base)
    return api


def _handler(settings: Settings, callback: str | None = None) -> tweepy.OAuth1UserHandler:
    handler = tweepy.OAuth1UserHandler(settings.x_consumer_key, settings.x_consumer_secret,
                                       callback=callback)
    # tweepy's OAuth session has no timeout either: give its requests one.
    request = handler.oauth.request
    timeout = settings.dispatch_timeout_seconds
    handler.oauth.request = lambda *a, **kw: request(*a, **{"timeout": timeout, **kw})
    return handler


def sign_in_url(settings: Settings, callback: str) -> tuple[str, dict[str, str]]:
    """Where to send a person to authorise the app, and the request token to keep until the
    callback (OAuth 1.0a, "Sign in with X")."""
    handler = _handler(settings, callback)
    try:
        url = handler.get_authorization_url(signin_with_twitter=True)
    except (tweepy.TweepyException, requests.exceptions.RequestException) as e:
        raise SignInFailed(short(e)) from None
    return url, dict(handler.request_token)


def access_tokens(settings: Settings, request_token: dict[str, str],
                  verifier: str) -> dict[str, str]:
    """Exchange the callback's verifier for the account's access token and secret."""
    handler = _handler(settings)
    handler.request_token = request_token
    try:
        token, secret = handler.get_access_token(verifier)
    except (tweepy.TweepyException, requests.exceptions.RequestException) as e:
        raise SignInFailed(short(e)) from None
    return {"access_token": token, "access_token_secret": secret, "user_id": user_id_of(token)}


def verify(settings: Settings, secret: dict[str, str]) -> Identity:
    """Ask X who the access token belongs to (``Client.get_me``, user context), once, on
    connecting; raise VerificationFailed naming the problem."""
    api = client(settings.x_consumer_key, settings.x_consumer_secret, secret["access_token"],
                 secret["access_token_secret"], timeout=settings.dispatch_timeout_seconds,
                 base=settings.social_api_base)
    try:
        response = api.get_me(user_auth=True, user_fields=["name", "username"])
    except requests.exceptions.Timeout:
        raise VerificationFailed(TIMEOUT) from None
    except requests.exceptions.RequestException as e:
        raise VerificationFailed(UNREACHABLE, short(e)) from None
    except tweepy.HTTPException as e:
        raise refused(getattr(e.response, "status_code", None), _message(e),
                      not_found=REFUSED) from None
    finally:
        api.session.close()
    data = response.data
    if data is None or not data.username:
        raise VerificationFailed(REFUSED, "X did not say whose token this is")
    return Identity(handle=str(data.username), display_name=str(data.name or ""))


def user_id_of(access_token: str) -> str:
    """OAuth 1.0a access tokens start with the user's numeric id."""
    return access_token.split("-", 1)[0]


class XClient:
    def __init__(self, job: Job, settings: Settings) -> None:
        self.job = job
        secret = job.secret
        keys = (settings.x_consumer_key, settings.x_consumer_secret, secret["access_token"],
                secret["access_token_secret"])
        self.api = client(*keys, timeout=settings.dispatch_timeout_seconds,
                          base=settings.social_api_base)
        self.v1 = v1_api(*keys, timeout=settings.dispatch_timeout_seconds,
                         base=settings.social_api_base) if job.images else None

    def new_secret(self) -> dict[str, Any] | None:
        return None

    def close(self) -> None:
        self.api.session.close()
        if self.v1 is not None:
            self.v1.session.close()

    def upload(self) -> list[str] | Outcome:
        """Upload the images, each with its alt text; media ids, or why not.

        Uploading is not posting: whatever goes wrong here (a timeout too) leaves no post
        behind, so it is at worst Transient and the images are uploaded again next time.
        ``simple_upload`` is what ``media_upload`` calls for images; called directly, it does
        not guess the type from the file name (``media_upload`` imports ``imghdr``, deprecated
        and gone in Python 3.13)."""
        ids: list[str] = []
        try:
            for image in self.job.images:
                assert self.v1 is not None
                media = self.v1.simple_upload(image.filename, file=io.BytesIO(image.data),
                                              media_category="tweet_image")
                self.v1.create_media_metadata(media.media_id_string, image.alt[:MAX_ALT])
                ids.append(media.media_id_string)
        except tweepy.HTTPException as e:
            outcome = _map_error(e)
            return outcome if not isinstance(outcome, Unknown) else Transient(outcome.reason)
        except (tweepy.TweepyException, requests.exceptions.RequestException) as e:
            return Transient(f"could not upload an image: {short(e)}")
        return ids

    def send(self) -> Outcome:
        if self.job.kind == REPOST:
            return self.repost()
        media_ids = self.upload() if self.job.images else []
        if not isinstance(media_ids, list):
            return media_ids
        try:
            response = self.api.create_tweet(text=self.job.text, media_ids=media_ids or None,
                                             user_auth=True)
        except requests.exceptions.ReadTimeout:
            return Unknown("no answer in time after sending")
        except requests.exceptions.RequestException as e:
            if never_left(e):
                return Transient(f"network error before sending: {short(e)}")
            return Unknown(f"no answer after sending ({short(e, 120)})")
        except tweepy.HTTPException as e:
            return after_sending(_map_error(e))
        tweet_id = str(response.data["id"])
        return Sent(tweet_id, self._url(tweet_id), 201)

    def repost(self) -> Outcome:
        """Retweet the lead's post (user context). A retweet is idempotent on X: retweeting a
        post already retweeted makes nothing new, so an "already" answer means it is done."""
        try:
            response = self.api.retweet(self.job.repost_of_id, user_auth=True)
        except requests.exceptions.ReadTimeout:
            return Unknown("no answer in time after reposting")
        except requests.exceptions.RequestException as e:
            return Transient(f"network error: {short(e)}")
        except tweepy.HTTPException as e:
            if _already_reposted(e):
                return self._reposted(getattr(e.response, "status_code", None))
            return _map_error(e)
        data = response.data or {}
        if data.get("retweeted") is False:
            return Permanent("X answered that the post was not reposted", 200)
        return self._reposted(200)

    def _reposted(self, code: int | None) -> Sent:
        return Sent(f"retweet:{self.job.repost_of_id}", self.job.repost_of_url, code)

    def _user_id(self) -> str:
        return self.job.secret.get("user_id") or user_id_of(self.job.secret["access_token"])

    def reconcile_repost(self) -> Outcome:
        """Is this account among the lead post's reposters? (First pages only: else Absent,
        and reposting again is harmless, a retweet cannot be doubled.)"""
        me, token = self._user_id(), None
        try:
            for _ in range(3):
                response = self.api.get_retweeters(self.job.repost_of_id, max_results=100,
                                                   pagination_token=token, user_auth=True)
                if any(str(user.id) == me for user in response.data or []):
                    return self._reposted(200)
                token = (response.meta or {}).get("next_token")
                if not token:
                    break
        except (requests.exceptions.RequestException, tweepy.HTTPException) as e:
            return _check_failed(e)
        return Absent("not among the lead post's reposters")

    def reconcile(self) -> Outcome:
        """Look for the exact text among the account's recent posts."""
        if self.job.kind == REPOST:
            return self.reconcile_repost()
        user_id = self.job.secret.get("user_id") or user_id_of(self.job.secret["access_token"])
        try:
            response = self.api.get_users_tweets(user_id, max_results=50, user_auth=True,
                                                 start_time=self.job.first_sent_at)
        except (requests.exceptions.RequestException, tweepy.HTTPException) as e:
            return _check_failed(e)
        wanted = _normal(self.job.text)
        for tweet in response.data or []:
            if _normal(tweet.text) == wanted:
                return Sent(str(tweet.id), self._url(str(tweet.id)))
        return Absent("not among the account's recent posts")

    def _url(self, tweet_id: str) -> str:
        return f"https://x.com/{self.job.handle}/status/{tweet_id}"


def _already_reposted(e: tweepy.HTTPException) -> bool:
    code = getattr(e.response, "status_code", None)
    words = " ".join([*e.api_messages, getattr(e.response, "text", "") or ""]).lower()
    return code in (403, 409) and "already" in words and ("retweet" in words
                                                          or "repost" in words)


def _check_failed(e: Exception) -> Outcome:
    """A check that could not be made is retried later, unless the platform refused for good
    (an expired token): it never counts as "not sent"."""
    if isinstance(e, tweepy.HTTPException):
        outcome = _map_error(e)
        return outcome if isinstance(outcome, Permanent) else Transient(
            getattr(outcome, "reason", "could not check"))
    return Transient(f"network error while checking: {short(e)}")


def _normal(text: str) -> str:
    # X returns text HTML-escaped and links shortened; compare what survives: the words.
    words = [w for w in html.unescape(text).split() if not w.startswith("http")]
    return " ".join(words)


def _message(e: tweepy.HTTPException) -> str:
    return short("; ".join(e.api_messages) or getattr(e.response, "reason", "") or e)


def _map_error(e: tweepy.HTTPException) -> Outcome:
    response = e.response
    code = getattr(response, "status_code", None)
    message = _message(e)
    body = (getattr(response, "text", "") or "").lower()
    if code == 402 or (code == 429 and ("usagecap" in body or "usage cap" in body)):
        return Permanent(f"{OUT_OF_CREDIT}: {message}", code, out_of_credit=True)
    if code == 429:
        headers = dict(response.headers) if response is not None else {}
        return Transient("rate limited", 429, reset_time(headers), rate_limited=True)
    if code == 401:
        return Permanent(f"token expired or revoked: {message}", 401, expired=True)
    if code is not None and code >= 500:
        return Transient(f"server error: {message}", code)
    return Permanent(message, code)
