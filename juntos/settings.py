"""Settings: one frozen object built from CLI flags and ``JUNTOS_*`` variables, passed in.

Nothing in the package reads the environment at import time; the CLI (or a test) builds a
``Settings`` and hands it to ``create_app`` and to the library functions that need it.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

ENV_PREFIX = "JUNTOS_"


@dataclass(frozen=True)
class Settings:
    """Everything the app and the CLI need to know about their surroundings."""

    db_path: Path = Path("juntos.db")
    #: Signs session cookies and CSRF tokens. Empty: read from (or create) ``<db>.secret``.
    secret_key: str = field(default="", repr=False)
    host: str = "127.0.0.1"
    port: int = 8000
    #: The address users reach the app at; used in links that leave the page (feeds, e-mails).
    base_url: str = ""
    #: Mark cookies Secure. On by default when ``base_url`` is https.
    https: bool = False
    #: Worker processes of ``juntos serve``.
    workers: int = 1
    #: Pages (GET) a worker process renders at once. Rendering is Python work under one lock
    #: (the GIL): more threads than this take turns slower, not faster, and a queue of pages
    #: keeps its order. Changes (POST) may wait for the database's write lock, so they have
    #: threads of their own and never hold up pages.
    page_threads: int = 2
    #: Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For and
    #: X-Forwarded-Proto are believed: behind them the client address is the real client's.
    trusted_proxies: str = ""
    #: Failed logins allowed per account and per address within ``login_window_seconds``.
    login_attempts_per_account: int = 5
    login_attempts_per_address: int = 20
    login_window_seconds: int = 15 * 60
    page_size: int = 50
    #: Largest request body accepted for an upload, in bytes.
    max_upload_bytes: int = 10 * 1024 * 1024
    #: Minutes between refreshes of subscribed calendar feeds by the server; 0: off (tests).
    #: ``juntos serve`` uses 60 unless this is set.
    calendar_sync_minutes: int = 0
    #: Allow calendar subscriptions to fetch from loopback and private-network addresses (a
    #: partner's server on the same LAN). Off: members adding a feed cannot probe the server's
    #: own network.
    calendar_private_feeds: bool = False
    #: Fernet key that encrypts social account credentials. Empty: read from (or create)
    #: ``<db>.credentials-key`` (mode 0600). Losing it means reconnecting every account.
    credentials_key: str = field(default="", repr=False)
    #: X (Twitter) app's OAuth 1.0a consumer key and secret, for "Sign in with X".
    x_consumer_key: str = field(default="", repr=False)
    x_consumer_secret: str = field(default="", repr=False)
    #: Run the social dispatcher inside ``juntos serve`` (``--no-dispatch`` turns it off).
    dispatch_in_process: bool = True
    #: A post this many minutes past its time is not sent but marked missed.
    dispatch_missed_after_minutes: int = 120
    #: How long a worker owns a claimed post unless it renews it (a heartbeat every third of
    #: it); past it, the post needs checking.
    dispatch_lease_seconds: int = 30
    #: Timeout of every call to a platform, in seconds.
    dispatch_timeout_seconds: int = 30
    #: After an unknown outcome, seconds from its request's start before anyone looks or
    #: resends; 0: twice the timeout, at least 60 (docs/dispatch.md).
    dispatch_settle_seconds: int = 0
    #: Posts sent at once by one worker (threads); per account, one at a time.
    dispatch_concurrency: int = 64
    #: Send every platform call to this address instead (staging, tests, benchmarks).
    social_api_base: str = ""
    #: Allow social accounts on instances at loopback and private-network addresses (a
    #: Mastodon server on the same LAN). Off: the same address policy as subscriptions.
    social_private_instances: bool = False
    #: The SMTP server e-mail goes through. Empty: nothing is sent; messages wait in the
    #: outbox, shown to coordinators (docs/mail.md).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = field(default="", repr=False)
    smtp_password: str = field(default="", repr=False)
    #: Upgrade the connection with STARTTLS before logging in (off only for a local relay).
    smtp_starttls: bool = True
    #: The From of every e-mail (``Juntos <juntos@example.org>``). Empty: ``juntos@`` the
    #: host of ``base_url``.
    mail_from: str = ""

    @property
    def secret_path(self) -> Path:
        return self.db_path.with_name(self.db_path.name + ".secret")

    @property
    def credentials_key_path(self) -> Path:
        return self.db_path.with_name(self.db_path.name + ".credentials-key")

    @property
    def public_base_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        return self.https or self.public_base_url.startswith("https://")

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    def to_env(self) -> dict[str, str]:
        """``JUNTOS_*`` variables that rebuild these settings (for ``serve``'s workers)."""
        env = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value != f.default:
                env[ENV_PREFIX + f.name.upper()] = str(value)
        return env

    def with_secret(self) -> Settings:
        """Return settings whose secret key is set, creating ``<db>.secret`` (0600) if needed."""
        if self.secret_key:
            return self
        return replace(self, secret_key=load_or_create_secret(self.secret_path))


def load_or_create_secret(path: Path, make: Callable[[], str] | None = None) -> str:
    """Read the secret key stored beside the database, or generate and store a new one.

    Created with mode 0600 from the start (not chmod afterwards) so that it is never readable
    by others, not even for an instant.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = make() if make else secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process (a worker of `serve`) made it first
        for _ in range(50):
            if stored := path.read_text().strip():
                return stored
            time.sleep(0.01)
        raise
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return key


_CONVERTERS = {"Path": Path, "Path | None": Path, "int": int, "str": str}


def _convert(kind: str, raw: str) -> object:
    if kind == "bool":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return _CONVERTERS[kind](raw)


def settings_from_env(
    environ: Mapping[str, str] | None = None, **overrides: object
) -> Settings:
    """Build settings from ``JUNTOS_<FIELD>`` variables, then explicit overrides (CLI flags).

    An override of ``None`` means "flag not given" and leaves the environment's value.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for f in fields(Settings):
        raw = environ.get(ENV_PREFIX + f.name.upper())
        if raw not in (None, ""):
            values[f.name] = _convert(str(f.type), raw)
    if "db_path" not in values and environ.get("JUNTOS_DB"):
        values["db_path"] = Path(environ["JUNTOS_DB"])  # the short name the docs use
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)  # type: ignore[arg-type]
