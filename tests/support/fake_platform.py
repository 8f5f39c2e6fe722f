"""A fake Mastodon, Bluesky, X, Facebook Graph API and Telegram Bot API on 127.0.0.1 that
records every post it receives (the last two in ``fake_pages``).

Real HTTP on loopback, so Mastodon.py (requests) and atproto (httpx) run unchanged.

Its Mastodon keeps Idempotency-Keys as the real one does (``PostStatusService``): scoped to the
account (the token), looked up *before* creating and stored *after*, with no lock between the
two (two overlapping requests with one key both create), and forgotten 3,600 s after being
stored, by ``clock`` (injectable). ``processing`` is the server's time between the check and
the store (a slow server); ``reset_after_create`` makes the next N statuses, then drops the
connection without an answer (a lost reply). Statuses are listed per account, with their source.

Like the real Bluesky it refuses a second record with the same key. X has no such key: every
create call makes a post, and the account's recent posts are listed for reconciliation. Tests
script answers with ``respond_next``; the crash test and the benchmark count ``created`` per
post.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy as email_policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.support import fake_pages

DID = "did:plc:fakefakefakefakefake"


def _jwt(exp_in: int = 7200) -> str:
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    now = int(time.time())
    return ".".join([part({"alg": "HS256", "typ": "JWT"}),
                     part({"sub": DID, "iat": now, "exp": now + exp_in,
                           "scope": "com.atproto.appPass", "aud": "did:web:fake"}),
                     "c2ln"])


@dataclass
class FakePlatform:
    delay: float = 0.0
    created: list[dict[str, Any]] = field(default_factory=list)  # every status/record made
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    scripted: list[tuple[int, dict[str, str], dict[str, Any]]] = field(default_factory=list)
    logins: int = 0
    hang_after_create: float = 0.0  # make the post, then answer too late (a timeout after send)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _by_key: dict[str, dict[str, Any]] = field(default_factory=dict)
    base: str = ""
    # Media received before posts (Mastodon /api/v2/media, Bluesky uploadBlob, X media upload):
    # {"platform", "id", "data", "content_type", "alt"}; X's alt text arrives separately.
    media: list[dict[str, Any]] = field(default_factory=list)
    # Connecting: answer the credentials check with this (status, body) instead of success.
    verify_answer: tuple[int, dict[str, Any]] | None = None
    hang_verify: float = 0.0
    media_answer: tuple[int, dict[str, Any]] | None = None  # refuse media uploads with this
    display_name: str = "Ubuntu Labour"
    # --- Facebook Pages and Telegram channels (``fake_pages``) -----------------------------
    facebook_usernames: dict[str, str] = field(default_factory=dict)  # page id -> username
    facebook_read_answer: tuple[int, dict[str, Any]] | None = None  # refuse reading posts
    telegram_bots: dict[str, int] = field(default_factory=dict)  # token -> the bot's user id
    telegram_channels: dict[str, dict[str, Any]] = field(default_factory=dict)  # by @name
    telegram_admins: dict[str, set[int]] = field(default_factory=dict)  # else: every bot
    slow_channels: set[str] = field(default_factory=set)  # post, then answer after 1.5 s
    # --- Mastodon's Idempotency-Key, as the real server keeps it --------------------------
    clock: Callable[[], float] = time.time  # the server's clock: keys expire by it
    key_ttl: float = 3600.0
    processing: float = 0.0  # between checking the key and storing it, unlocked
    reset_after_create: int = 0  # next N creates: make the status, then drop the connection
    in_progress: int = 0  # create requests the server is still working on
    _keys: dict[tuple[str, str], tuple[dict[str, Any], float]] = field(default_factory=dict)

    def statuses(self, auth: str) -> list[dict[str, Any]]:
        """One Mastodon account's statuses, newest first."""
        with self.lock:
            return [i for i in reversed(self.created)
                    if i.get("mastodon") and i.get("auth") == auth]

    def media_by_id(self, media_id: str) -> dict[str, Any]:
        return next(m for m in self.media if m["id"] == media_id)

    def respond_next(self, status: int, body: dict[str, Any] | None = None,
                     headers: dict[str, str] | None = None) -> None:
        """Answer the next create call with this instead of creating anything."""
        self.scripted.append((status, headers or {}, body or {}))

    def count_by_key(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.created:
            counts[item["key"]] = counts.get(item["key"], 0) + 1
        return counts


def _handler(fake: FakePlatform) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: dict[str, Any],
                  headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _raw(self) -> bytes | None:
            """The request body; ``None`` when the client went away before sending all of it
            (a worker killed mid-request): like a real server, act on no partial request."""
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length) if length else b""
            return data if len(data) == length else None

        def _body(self, raw: bytes) -> dict[str, Any]:
            if not raw:
                return {}
            kind = self.headers.get("Content-Type") or ""
            if "json" in kind:
                return json.loads(raw)
            if kind.startswith("multipart/form-data"):
                return _multipart(kind, raw)
            return {k: (v if k.endswith("[]") else v[0])
                    for k, v in parse_qs(raw.decode()).items()}

        def _verify(self, answer: dict[str, Any]) -> None:
            """The credentials check on connecting: success unless scripted otherwise."""
            if fake.hang_verify:
                time.sleep(fake.hang_verify)
            if fake.verify_answer is not None:
                status, body = fake.verify_answer
                return self._send(status, body)
            return self._send(200, answer)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            with fake.lock:
                fake.requests.append(("GET", url.path, dict(self.headers)))
            graph = fake_pages.GRAPH.match(url.path)
            if graph:
                return fake_pages.graph_get(self, fake, graph.group(1), url.query)
            if url.path == "/api/v1/accounts/verify_credentials":
                return self._verify({"id": "1", "username": "ubuntu", "acct": "ubuntu",
                                     "display_name": fake.display_name, "locked": False,
                                     "bot": False, "created_at": "2020-01-01T00:00:00.000Z",
                                     "url": f"{fake.base}/@ubuntu"})
            if url.path == "/2/users/me":
                token = self.headers.get("Authorization", "").split('oauth_token="', 1)[-1]
                user = token.split("-", 1)[0]
                return self._verify({"data": {"id": user, "username": "ubuntulabour",
                                              "name": fake.display_name}})
            if url.path == "/xrpc/app.bsky.actor.getProfile":
                return self._send(200, {"did": DID, "handle": "ubuntu.bsky.social",
                                        "displayName": fake.display_name})
            if url.path == "/xrpc/com.atproto.server.getSession":
                return self._send(200, {"did": DID, "handle": "fake.bsky.social"})
            if url.path.startswith("/2/users/"):
                user = url.path.split("/")[3]
                with fake.lock:
                    mine = [i for i in fake.created if i.get("x_user") == user]
                return self._send(200, {"data": [
                    {"id": i["id"], "text": i["text"], "edit_history_tweet_ids": [i["id"]]}
                    for i in reversed(mine)]} if mine else {"meta": {"result_count": 0}})
            if url.path.startswith("/api/v1/accounts/") and url.path.endswith("/statuses"):
                limit = int(parse_qs(url.query).get("limit", ["20"])[0])
                mine = fake.statuses(self.headers.get("Authorization", ""))[:limit]
                return self._send(200, [_status(fake, i) for i in mine])  # type: ignore[arg-type]
            if url.path.startswith("/api/v1/statuses/") and url.path.endswith("/source"):
                sid = url.path.split("/")[4]
                found = [i for i in fake.statuses(self.headers.get("Authorization", ""))
                         if i["id"] == sid]
                if not found:
                    return self._send(404, {"error": "Record not found"})
                return self._send(200, {"id": sid, "text": found[0]["text"], "spoiler_text": ""})
            if url.path == "/xrpc/com.atproto.repo.getRecord":
                rkey = parse_qs(url.query).get("rkey", [""])[0]
                with fake.lock:
                    item = fake._by_key.get(rkey)
                if item is None:
                    return self._send(400, {"error": "RecordNotFound",
                                            "message": f"Could not locate record: {rkey}"})
                return self._send(200, {"uri": item["id"], "cid": "bafyfake",
                                        "value": item["record"]})
            self._send(404, {"error": "Not found"})

        def do_POST(self) -> None:
            url = urlparse(self.path)
            raw = self._raw()
            if raw is None:
                self.close_connection = True
                return
            with fake.lock:
                fake.requests.append(("POST", url.path, dict(self.headers)))
            if url.path == "/xrpc/com.atproto.repo.uploadBlob":
                return self._media("bluesky", raw, self.headers.get("Content-Type", ""), "")
            body = self._body(raw)
            graph, bot = fake_pages.GRAPH.match(url.path), fake_pages.BOT.match(url.path)
            if graph:
                return fake_pages.graph_post(self, fake, graph.group(1), body)
            if bot:
                return fake_pages.bot(self, fake, bot.group(1), bot.group(2), body)
            if url.path == "/api/v2/media":
                file = body["file"]
                return self._media("mastodon", file["data"], file["content_type"],
                                   body.get("description", ""))
            if url.path == "/1.1/media/upload.json":
                file = body["media"]
                return self._media("x", file["data"], file["content_type"], "")
            if url.path == "/1.1/media/metadata/create.json":
                with fake.lock:
                    fake.media_by_id(body["media_id"])["alt"] = body["alt_text"]["text"]
                return self._send(200, {})
            if url.path.startswith("/2/users/") and url.path.endswith("/retweets"):
                return self._retweet(url.path.split("/")[3], body)
            if url.path == "/xrpc/com.atproto.server.createSession":
                with fake.lock:
                    fake.logins += 1
                if fake.verify_answer is not None:
                    status, answer = fake.verify_answer
                    return self._send(status, answer)
                if fake.hang_verify:
                    time.sleep(fake.hang_verify)
                return self._send(200, {"did": DID, "handle": body.get("identifier", ""),
                                        "accessJwt": _jwt(), "refreshJwt": _jwt(86400),
                                        "active": True})
            if url.path not in ("/api/v1/statuses", "/xrpc/com.atproto.repo.createRecord",
                                "/2/tweets"):
                return self._send(404, {"error": "Not found"})
            if self._answered_as_scripted():
                return None
            if url.path == "/2/tweets":
                return self._tweet(body)
            mastodon = url.path == "/api/v1/statuses"
            if mastodon:
                return self._status_post(body)
            key = body.get("rkey") or ""
            with fake.lock:
                existing = fake._by_key.get(key) if key else None
                if existing is None:
                    n = len(fake.created) + 1
                    item = {"n": n, "key": key, "at": time.time(),
                            "id": f"at://{DID}/app.bsky.feed.post/{key}",
                            "text": body["record"]["text"], "record": body.get("record"),
                            "auth": self.headers.get("Authorization", "")}
                    fake.created.append(item)
                    if key:
                        fake._by_key[key] = item
            if existing is not None:
                return self._send(400, {"error": "InvalidRequest",
                                        "message": "Record already exists"})
            if fake.hang_after_create:
                time.sleep(fake.hang_after_create)
            return self._send(200, {"uri": item["id"], "cid": "bafyfake"})

        def _status_post(self, body: dict[str, Any]) -> None:
            """POST /api/v1/statuses with Mastodon's key semantics (see the module docstring)."""
            auth = self.headers.get("Authorization", "")
            key = self.headers.get("Idempotency-Key") or ""
            with fake.lock:
                fake.in_progress += 1
                remembered = fake._keys.get((auth, key)) if key else None
                if remembered and fake.clock() - remembered[1] >= fake.key_ttl:
                    remembered = None  # forgotten
            try:
                if remembered is not None:
                    item = remembered[0]
                else:
                    if fake.processing:
                        time.sleep(fake.processing)  # another request may check meanwhile
                    with fake.lock:
                        n = len(fake.created) + 1
                        item = {"n": n, "key": key, "at": time.time(), "id": str(n),
                                "created_at": fake.clock(), "mastodon": True,
                                "text": body.get("status"), "language": body.get("language"),
                                "media_ids": body.get("media_ids[]") or body.get("media_ids")
                                or [], "auth": auth}
                        fake.created.append(item)
                        if key:
                            fake._keys[(auth, key)] = (item, fake.clock())
                        lost = fake.reset_after_create > 0
                        fake.reset_after_create -= 1 if lost else 0
                    if lost:  # the status exists; the reply never arrives
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return None
            finally:
                with fake.lock:
                    fake.in_progress -= 1
            if fake.hang_after_create:
                time.sleep(fake.hang_after_create)
            return self._send(200, _status(fake, item))

        def _media(self, platform: str, data: bytes, content_type: str, alt: str) -> None:
            if fake.media_answer is not None:
                return self._send(*fake.media_answer)
            with fake.lock:
                n = len(fake.media) + 1
                media_id = f"{platform[0]}{n}" if platform != "x" else str(7000 + n)
                fake.media.append({"platform": platform, "id": media_id, "data": data,
                                   "content_type": content_type, "alt": alt})
            if platform == "bluesky":
                return self._send(200, {"blob": {"$type": "blob", "ref": {
                    "$link": f"bafkreifake{n:04d}"}, "mimeType": content_type,
                    "size": len(data)}})
            if platform == "x":
                return self._send(200, {"media_id": int(media_id), "media_id_string": media_id,
                                        "size": len(data), "expires_after_secs": 86400,
                                        "image": {"image_type": content_type, "w": 1, "h": 1}})
            return self._send(200, {"id": media_id, "type": "image", "url": f"{fake.base}/m/n",
                                    "preview_url": None, "remote_url": None,
                                    "description": alt, "blurhash": None, "meta": {}})

        def _answered_as_scripted(self) -> bool:
            """After the platform's delay, the next scripted answer (an error), if any."""
            if fake.delay:
                time.sleep(fake.delay)
            with fake.lock:
                scripted = fake.scripted.pop(0) if fake.scripted else None
            if scripted:
                status, headers, answer = scripted
                self._send(status, answer, headers)
            return scripted is not None

        def _retweet(self, user: str, body: dict[str, Any]) -> None:
            """A retweet: at most one per user and tweet (a repeat changes nothing)."""
            key = f"rt:{user}:{body['tweet_id']}"
            if self._answered_as_scripted():
                return None
            with fake.lock:
                if key not in fake._by_key:
                    item = {"n": len(fake.created) + 1, "key": key, "at": time.time(),
                            "id": body["tweet_id"], "text": "", "x_user": user,
                            "retweet_of": body["tweet_id"]}
                    fake.created.append(item)
                    fake._by_key[key] = item
            if fake.hang_after_create:
                time.sleep(fake.hang_after_create)
            self._send(200, {"data": {"retweeted": True, "rest_id": f"9{body['tweet_id']}"}})

        def _tweet(self, body: dict[str, Any]) -> None:
            auth = self.headers.get("Authorization", "")
            token = auth.split('oauth_token="', 1)[-1].split('"', 1)[0]
            with fake.lock:
                n = len(fake.created) + 1
                item = {"n": n, "key": f"x:{body['text']}", "at": time.time(), "id": str(1000 + n),
                        "text": body["text"], "x_user": token.split("-", 1)[0], "auth": auth,
                        "media_ids": (body.get("media") or {}).get("media_ids", [])}
                fake.created.append(item)
            if fake.hang_after_create:
                time.sleep(fake.hang_after_create)
            self._send(201, {"data": {"id": item["id"], "text": item["text"],
                                      "edit_history_tweet_ids": [item["id"]]}})

    return Handler


def _status(fake: FakePlatform, item: dict[str, Any]) -> dict[str, Any]:
    """A status as Mastodon's API shows it (the fields Mastodon.py and Juntos read)."""
    made = datetime.fromtimestamp(item["created_at"], UTC).isoformat().replace("+00:00", "Z")
    return {"id": item["id"], "uri": f"{fake.base}/s/{item['id']}",
            "url": f"{fake.base}/@someone/{item['id']}", "created_at": made,
            "content": f"<p>{item['text']}</p>", "visibility": "public",
            "language": item.get("language"), "reblog": None, "in_reply_to_id": None}


def _multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    """Form fields as text, files as {"data", "content_type", "filename"}."""
    message = BytesParser(policy=email_policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            fields[name] = {"data": data, "content_type": part.get_content_type(),
                            "filename": part.get_filename()}
        else:
            fields[name] = data.decode()
    return fields


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # A wave opens hundreds of connections at once; the default backlog (5) resets some of
    # them, which measures the fake, not the dispatcher.
    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a killed worker's half-open connection is part of the game


@contextmanager
def running(fake: FakePlatform | None = None, port: int = 0) -> Iterator[FakePlatform]:
    fake = fake or FakePlatform()
    server = _Server(("127.0.0.1", port), _handler(fake))
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
