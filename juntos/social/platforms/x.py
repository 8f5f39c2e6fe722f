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
from datetime import UTC, datetime
from typing import Any

import requests
import tweepy

from juntos.settings import Settings
from juntos.social.platforms.outcomes import (
    OUT_OF_CREDIT,
    Absent,
    Job,
    Outcome,
    Permanent,
    Sent,
    Transient,
    Unknown,
    short,
)

API_HOST = "https://api.twitter.com"


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
        if self.base and url.startswith(API_HOST):
            url = self.base + url[len(API_HOST):]
        return super().request(method, url, *args, **kwargs)


def client(consumer_key: str, consumer_secret: str, access_token: str, access_secret: str, *,
           timeout: float, base: str = "") -> tweepy.Client:
    api = tweepy.Client(consumer_key=consumer_key, consumer_secret=consumer_secret,
                        access_token=access_token, access_token_secret=access_secret,
                        wait_on_rate_limit=False)
    api.session = TimeoutSession(timeout, base)
    return api


class SignInFailed(Exception):
    """X did not hand out a request or access token (network, wrong keys, a refused sign-in)."""


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


def user_id_of(access_token: str) -> str:
    """OAuth 1.0a access tokens start with the user's numeric id."""
    return access_token.split("-", 1)[0]


class XClient:
    def __init__(self, job: Job, settings: Settings) -> None:
        self.job = job
        secret = job.secret
        self.api = client(settings.x_consumer_key, settings.x_consumer_secret,
                          secret["access_token"], secret["access_token_secret"],
                          timeout=settings.dispatch_timeout_seconds,
                          base=settings.social_api_base)

    def new_secret(self) -> dict[str, Any] | None:
        return None

    def close(self) -> None:
        self.api.session.close()

    def send(self) -> Outcome:
        try:
            response = self.api.create_tweet(text=self.job.text, user_auth=True)
        except requests.exceptions.ReadTimeout:
            return Unknown("no answer in time after sending")
        except requests.exceptions.RequestException as e:
            return Transient(f"network error: {short(e)}")
        except tweepy.HTTPException as e:
            return _map_error(e)
        tweet_id = str(response.data["id"])
        return Sent(tweet_id, self._url(tweet_id), 201)

    def reconcile(self) -> Outcome:
        """Look for the exact text among the account's recent posts."""
        user_id = self.job.secret.get("user_id") or user_id_of(self.job.secret["access_token"])
        try:
            response = self.api.get_users_tweets(user_id, max_results=50, user_auth=True,
                                                 start_time=self.job.first_sent_at)
        except requests.exceptions.RequestException as e:
            return Transient(f"network error while checking: {short(e)}")
        except tweepy.HTTPException as e:
            outcome = _map_error(e)
            return outcome if isinstance(outcome, Permanent) else Transient(
                getattr(outcome, "reason", "could not check"))
        wanted = _normal(self.job.text)
        for tweet in response.data or []:
            if _normal(tweet.text) == wanted:
                return Sent(str(tweet.id), self._url(str(tweet.id)))
        return Absent("not among the account's recent posts")

    def _url(self, tweet_id: str) -> str:
        return f"https://x.com/{self.job.handle}/status/{tweet_id}"


def _normal(text: str) -> str:
    # X returns text HTML-escaped and links shortened; compare what survives: the words.
    words = [w for w in html.unescape(text).split() if not w.startswith("http")]
    return " ".join(words)


def _map_error(e: tweepy.HTTPException) -> Outcome:
    response = e.response
    code = getattr(response, "status_code", None)
    message = short("; ".join(e.api_messages) or getattr(response, "reason", "") or e)
    body = (getattr(response, "text", "") or "").lower()
    if code == 402 or (code == 429 and ("usagecap" in body or "usage cap" in body)):
        return Permanent(f"{OUT_OF_CREDIT}: {message}", code, out_of_credit=True)
    if code == 429:
        reset = response.headers.get("x-rate-limit-reset") if response is not None else None
        retry_at = datetime.fromtimestamp(int(reset), UTC) if reset and reset.isdigit() else None
        return Transient("rate limited", 429, retry_at, rate_limited=True)
    if code == 401:
        return Permanent(f"token expired or revoked: {message}", 401, expired=True)
    if code is not None and code >= 500:
        return Transient(f"server error: {message}", code)
    return Permanent(message, code)
