"""The fake platform's Facebook Graph API (``/vNN.N/...``) and Telegram Bot API
(``/bot<token>/...``), served by ``fake_platform``'s server on 127.0.0.1.

Facebook: ``GET /me`` and ``GET /{page}`` answer as the Page the token opens (tokens look like
``page-<id>-...``; any other token is a person's, not a Page's); ``POST /{page}/photos`` keeps
an unpublished photo with its ``alt_text_custom``; ``POST /{page}/feed`` makes a post (every
call one post: Facebook has no idempotency key); ``GET /{page}/posts`` lists them, newest
first. Telegram: ``getMe``, ``getChat``, ``getChatMember`` (the bot administers every channel
in ``fake.telegram_channels``, allowed to post), ``sendMessage``, ``sendPhoto`` and
``sendMediaGroup``; nothing to read a channel's messages, as in the real Bot API.

Created items go into ``fake.created`` with ``key`` ``fb:<text>`` or ``tg:<text>``, so the
crash test counts posts per text as it does for X.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import parse_qs

GRAPH = re.compile(r"^/v\d+\.\d+(/.*)$")
BOT = re.compile(r"^/bot([^/]+)/(\w+)$")


class Handler(Protocol):
    headers: Any

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None: ...

    def _answered_as_scripted(self) -> bool: ...


def page_of(token: str) -> str:
    """The Page a fake Page token opens (``page-<id>-...``), or "" for a person's token."""
    parts = token.split("-")
    return parts[1] if len(parts) > 2 and parts[0] == "page" else ""


def graph_get(h: Handler, fake: Any, path: str, query: str) -> None:
    token = h.headers.get("Authorization", "").removeprefix("Bearer ")
    page = page_of(token)
    if fake.verify_answer is not None and path in ("/me", f"/{page}"):
        status, body = fake.verify_answer
        return h._send(status, body)
    if not token or (not page and path != "/me"):
        return h._send(400, {"error": {"message": "Invalid OAuth access token.", "code": 190,
                                       "type": "OAuthException"}})
    if path == "/me":
        return h._send(200, {"id": page, "name": fake.display_name} if page
                       else {"id": "555", "name": "A Person"})
    if path in (f"/{page}", f"/{fake.facebook_usernames.get(page, '')}"):
        return h._send(200, {"id": page, "name": fake.display_name})
    if path == f"/{page}/posts":
        if fake.facebook_read_answer is not None:
            return h._send(*fake.facebook_read_answer)
        limit = int(parse_qs(query).get("limit", ["25"])[0])
        with fake.lock:
            mine = [i for i in reversed(fake.created) if i.get("page") == page][:limit]
        return h._send(200, {"data": [
            {"id": i["id"], "message": i["text"], "permalink_url": f"https://fb.test/{i['id']}",
             "created_time": datetime.fromtimestamp(i["at"], UTC).strftime(
                 "%Y-%m-%dT%H:%M:%S+0000")} for i in mine]})
    return h._send(404, {"error": {"message": "Unknown path", "code": 803}})


def graph_post(h: Handler, fake: Any, path: str, body: dict[str, Any]) -> None:
    token = h.headers.get("Authorization", "").removeprefix("Bearer ")
    page = page_of(token)
    if path == f"/{page}/photos":
        if fake.media_answer is not None:
            return h._send(*fake.media_answer)
        file = body["source"]
        with fake.lock:
            media_id = f"f{len(fake.media) + 1}"
            fake.media.append({"platform": "facebook", "id": media_id, "data": file["data"],
                               "content_type": file["content_type"],
                               "alt": body.get("alt_text_custom", ""),
                               "published": body.get("published")})
        return h._send(200, {"id": media_id})
    if path != f"/{page}/feed" or not page:
        return h._send(400, {"error": {"message": "Invalid OAuth access token.", "code": 190}})
    if h._answered_as_scripted():
        return None
    attached = [json.loads(v)["media_fbid"] for k, v in sorted(body.items())
                if k.startswith("attached_media[")]
    with fake.lock:
        n = len(fake.created) + 1
        item = {"n": n, "key": f"fb:{body['message']}", "at": time.time(),
                "id": f"{page}_{9000 + n}", "text": body["message"], "page": page,
                "link": body.get("link"), "media_ids": attached}
        fake.created.append(item)
    if fake.hang_after_create:
        time.sleep(fake.hang_after_create)
    return h._send(200, {"id": item["id"]})


def bot(h: Handler, fake: Any, token: str, method: str, body: dict[str, Any]) -> None:
    if token not in fake.telegram_bots:
        return h._send(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    bot_id = fake.telegram_bots[token]
    if method == "getMe":
        return h._send(200, {"ok": True, "result": {"id": bot_id, "is_bot": True,
                                                    "username": "juntos_test_bot"}})
    chat = str(body.get("chat_id", ""))
    channel = fake.telegram_channels.get(chat.lstrip("@").lower()) or next(
        (c for c in fake.telegram_channels.values() if str(c["id"]) == chat), None)
    if channel is None:
        return h._send(400, {"ok": False, "error_code": 400,
                             "description": "Bad Request: chat not found"})
    if method == "getChat":
        return h._send(200, {"ok": True, "result": channel})
    if method == "getChatMember":
        admin = bot_id in fake.telegram_admins.get(channel["username"], {bot_id})
        return h._send(200, {"ok": True, "result": {
            "user": {"id": bot_id, "is_bot": True},
            "status": "administrator" if admin else "member",
            **({"can_post_messages": True} if admin else {})}})
    if method not in ("sendMessage", "sendPhoto", "sendMediaGroup"):
        return h._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
    if h._answered_as_scripted():
        return None
    return _message(h, fake, channel, method, body)


def _message(h: Handler, fake: Any, channel: dict[str, Any], method: str,
             body: dict[str, Any]) -> None:
    photos: list[dict[str, Any]] = []
    text = body.get("text")
    if method == "sendPhoto":
        photos, text = [body["photo"]], body.get("caption", "")
    elif method == "sendMediaGroup":
        media = json.loads(body["media"])
        photos = [body[m["media"].removeprefix("attach://")] for m in media]
        text = media[0].get("caption", "")
    with fake.lock:
        n = len(fake.created) + 1
        item = {"n": n, "key": f"tg:{text}", "at": time.time(), "id": str(n),
                "text": text, "parse_mode": body.get("parse_mode") or (
                    json.loads(body["media"])[0].get("parse_mode") if "media" in body else None),
                "channel": channel["username"], "photos": photos, "method": method}
        fake.created.append(item)
    if fake.hang_after_create or channel["username"] in fake.slow_channels:
        time.sleep(fake.hang_after_create or 1.5)
    message = {"message_id": int(item["id"]), "date": int(item["at"]),
               "chat": {"id": channel["id"], "type": "channel",
                        "username": channel["username"]}}
    result: Any = [dict(message, message_id=int(item["id"]) + i) for i in range(len(photos))] \
        if method == "sendMediaGroup" else message
    return h._send(200, {"ok": True, "result": result})


def channel(username: str, chat_id: int, title: str = "") -> dict[str, Any]:
    return {"id": chat_id, "type": "channel", "username": username,
            "title": title or username.title()}
