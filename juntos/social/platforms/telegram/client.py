"""Telegram channels through the Bot API, over httpx.

- Calls go to ``/bot<token>/<method>`` (the Bot API puts the token in the path; we never log a
  URL, and scrub the token from any error's words).
- Text: ``sendMessage`` in HTML parse mode, the text escaped (``&``, ``<``, ``>``) so what the
  writer typed is what the channel shows, links made clickable by Telegram. Images:
  ``sendPhoto`` (one) or ``sendMediaGroup`` (an album, up to ten) with the text as the caption.
  Telegram takes no alt text for photos.
- Exactly once: the Bot API has no idempotency key and cannot read a channel's history. A
  create call whose outcome is unknown (a timeout after sending, a reset, a 5xx) leaves the post
  in "needs check" for a person; ``reconcile`` never resends.
"""

from __future__ import annotations

import html
import json
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
    Job,
    Outcome,
    Permanent,
    Sent,
    Transient,
    Unknown,
    after_sending,
    short,
)
from juntos.social.platforms.telegram import CAPTION_LIMIT, telegram_length

HOST = "https://api.telegram.org"
MAX_ALBUM = 10


def http(settings: Settings, token: str) -> httpx.Client:
    base = (settings.social_api_base or HOST).rstrip("/")
    return httpx.Client(base_url=f"{base}/bot{token}", timeout=settings.dispatch_timeout_seconds,
                        follow_redirects=False)


def formatted(text: str) -> str:
    """The text for HTML parse mode: escaped, so ``<`` or ``&`` in it stay as written."""
    return html.escape(text, quote=False)


class _Scrub:
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, words: object, limit: int = 300) -> str:
        return short(str(words).replace(self.token, "…") if self.token else words, limit)


def answer(response: httpx.Response, now: datetime | None = None) -> Outcome | None:
    """What a Bot API answer means (None: ``ok``)."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if response.is_success and body.get("ok"):
        return None
    code = int(body.get("error_code") or response.status_code)
    reason = short(body.get("description") or response.reason_phrase or code)
    if code == 429:
        wait = (body.get("parameters") or {}).get("retry_after")
        at = (now or datetime.now(UTC)) + timedelta(seconds=int(wait)) \
            if isinstance(wait, int) else None
        return Transient("rate limited", 429, at, rate_limited=True)
    if code == 401:
        return Permanent(f"bot token revoked: {reason}", 401, expired=True)
    if code >= 500:
        return Transient(f"server error: {reason}", code)
    if response.is_success:  # 200 without ok: not the Bot API
        return Permanent(f"unexpected answer: {reason}", code)
    return Permanent(reason, code)


class TelegramClient:
    def __init__(self, job: Job, settings: Settings) -> None:
        self.job = job
        token = job.secret["bot_token"]
        self.scrub = _Scrub(token)
        self.chat = str(job.secret.get("chat_id") or f"@{job.secret.get('channel') or job.handle}")
        self.http = http(settings, token)

    def new_secret(self) -> dict[str, Any] | None:
        return None

    def close(self) -> None:
        self.http.close()

    def _request(self) -> tuple[str, dict[str, str], dict[str, Any]] | Outcome:
        """The one create call: method, form fields, files."""
        text, images = self.job.text, self.job.images[:MAX_ALBUM]
        fields = {"chat_id": self.chat, "parse_mode": "HTML"}
        if not images:
            return "sendMessage", {**fields, "text": formatted(text)}, {}
        if telegram_length(text) > CAPTION_LIMIT:
            return Permanent(f"Telegram allows {CAPTION_LIMIT} characters in a photo's caption"
                             f" and this text has {telegram_length(text)}: shorten it, or post"
                             " it without images", 400)
        if len(images) == 1:
            image = images[0]
            return "sendPhoto", {**fields, "caption": formatted(text)}, {
                "photo": (image.filename, image.data, image.content_type)}
        media = [{"type": "photo", "media": f"attach://photo{i}",
                  **({"caption": formatted(text), "parse_mode": "HTML"} if i == 0 else {})}
                 for i in range(len(images))]
        files = {f"photo{i}": (image.filename, image.data, image.content_type)
                 for i, image in enumerate(images)}
        return "sendMediaGroup", {"chat_id": self.chat, "media": json.dumps(media)}, files

    def send(self) -> Outcome:
        request = self._request()
        if not isinstance(request, tuple):
            return request
        method, data, files = request
        try:
            response = self.http.post(f"/{method}", data=data, files=files or None)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as e:
            return Transient(f"network error before sending: {self.scrub(e)}")
        except httpx.HTTPError as e:
            return Unknown(f"no answer after sending ({self.scrub(e, 120)})")
        problem = answer(response, self.job.now)
        if problem is not None:
            return after_sending(problem)
        result = response.json()["result"]
        message = result[0] if isinstance(result, list) else result
        message_id = str(message.get("message_id", ""))
        chat = message.get("chat") or {}
        username = chat.get("username") or self.job.secret.get("channel") or self.job.handle
        return Sent(f"{chat.get('id', self.chat)}:{message_id}",
                    f"https://t.me/{username}/{message_id}", response.status_code)

    def reconcile(self) -> Outcome:
        """Bots cannot read a channel's history: after an unknown outcome, a person looks."""
        return Unknown("Telegram gives bots no way to read the channel's messages",
                       in_flight=False)


def verify(settings: Settings, channel: str, token: str) -> Identity:
    """Check the bot's token (``getMe``), the channel (``getChat``: a channel) and the bot's
    rights there (``getChatMember``: an administrator allowed to post); raise
    VerificationFailed naming the problem."""
    scrub = _Scrub(token)
    client = http(settings, token)
    chat_id = f"@{channel.lstrip('@')}"
    try:
        bot = _call(client, "getMe", {})
        chat = _call(client, "getChat", {"chat_id": chat_id})
        member = _call(client, "getChatMember", {"chat_id": chat_id, "user_id": str(bot["id"])})
    except httpx.TimeoutException:
        raise VerificationFailed(TIMEOUT) from None
    except httpx.HTTPError as e:
        raise VerificationFailed(UNREACHABLE, scrub(e)) from None
    except (ValueError, KeyError, TypeError):
        raise VerificationFailed(NOT_A_SERVER, "not a Bot API answer") from None
    finally:
        client.close()
    if chat.get("type") != "channel":
        raise VerificationFailed(REFUSED, f"{chat_id} is a {chat.get('type')}, not a channel")
    if member.get("status") != "administrator" or not member.get("can_post_messages"):
        raise VerificationFailed(REFUSED, f"the bot @{bot.get('username')} is not an"
                                          f" administrator of {chat_id} allowed to post")
    return Identity(handle=str(chat.get("username") or channel).lower(),
                    display_name=str(chat.get("title") or ""),
                    keep={"chat_id": str(chat["id"]), "bot": str(bot.get("username") or "")})


def _call(client: httpx.Client, method: str, data: dict[str, str]) -> dict[str, Any]:
    response = client.post(f"/{method}", data=data)
    problem = answer(response)
    if problem is not None:
        code = problem.code
        # 401: the token; 400/403 ("chat not found", "bot is not a member"): refused.
        raise refused(code if code in (429,) or (code or 0) >= 500 else 400,
                      getattr(problem, "reason", ""), not_found=REFUSED)
    result = response.json()["result"]
    if not isinstance(result, dict):
        raise ValueError("not an object")
    return result
