"""Fetching a remote feed, isolated: one deadline, a cap on fetches at once, pinned addresses.

Subscriptions are added by network members on the web, so whatever a feed's address or its
server does must cost this server little and reveal nothing:

- **An overall deadline** (``DEADLINE``) on top of httpx's per-read timeouts: a server that
  trickles a byte every few seconds never times out a read, but it does run out of time.
- **At most ``MAX_AT_ONCE`` fetches at once**: another is refused at once ("busy"), so slow
  feeds can never take every worker thread.
- **The checked address is the one connected to**: the name is resolved once, every address
  is checked against private networks, and the connection goes to that address
  (``PinnedBackend``), with the original name for the Host header and TLS (SNI and the
  certificate check). A name that resolves to a public address for the check and to
  127.0.0.1 for the connection (DNS rebinding) has nothing to exploit.
- **Failures described, never quoted**: the messages kept on a source say what went wrong in
  our words; nothing the remote server sent is repeated to members.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx

from juntos import netpolicy
from juntos.calendar.importer import ImportRefused

MAX_BYTES = 5 * 1024 * 1024
#: Per step: connecting, and each read or write.
TIMEOUT = httpx.Timeout(10.0, connect=10.0)
#: The whole fetch, redirects included: with one more read timeout at worst, a member's
#: "Subscribe" is answered within 30 s.
DEADLINE = 20.0
MAX_AT_ONCE = 4
USER_AGENT = "Juntos-calendar/1 (+subscription sync)"
PRIVATE_REFUSED = ("The feed's address points inside this server's network, which"
                   " subscriptions may not reach.")

Resolver = Callable[[str, int], list[str]]

_slots = threading.BoundedSemaphore(MAX_AT_ONCE)


class FetchFailed(ImportRefused):
    """The remote feed could not be fetched (the message is ours, never the remote's)."""


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, once."""
    return [str(info[4][0]) for info in
            socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)]


def is_private(address: str) -> bool:
    """The house's one address policy (``juntos.netpolicy``), on an address."""
    return netpolicy.address_inside(address)


def points_inside(host: str, resolver: Resolver = resolve) -> bool:
    """Whether ``host`` (an address, or a name resolved here) is not on the public internet;
    ``False`` for a name that does not resolve (the fetch then fails with its own message)."""
    try:
        return is_private(host)
    except ValueError:
        pass
    try:
        return any(is_private(a) for a in resolver(host, 443))
    except (OSError, UnicodeError, ValueError):
        return False


def refuse_private(request: httpx.Request) -> None:
    """An address written as an IP (a redirect to http://127.0.0.1/...) is refused before
    anything else; names are checked where they are connected to (``PinnedBackend``)."""
    try:
        inside = is_private(request.url.host)
    except ValueError:
        return
    if inside:
        raise FetchFailed(PRIVATE_REFUSED)


class PinnedBackend(httpcore.SyncBackend):
    """Connects to an address the name was resolved to and checked as, in one step."""

    def __init__(self, *, allow_private: bool, resolver: Resolver = resolve) -> None:
        self.allow_private = allow_private
        self.resolver = resolver

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        try:
            addresses = [host] if _is_ip(host) else self.resolver(host, port)
        except (OSError, UnicodeError) as e:
            raise FetchFailed("The feed's server name could not be found.") from e
        if not addresses:
            raise FetchFailed("The feed's server name could not be found.")
        if not self.allow_private and any(is_private(a) for a in addresses):
            raise FetchFailed(PRIVATE_REFUSED)
        return super().connect_tcp(addresses[0], port, timeout=timeout,
                                   local_address=local_address, socket_options=socket_options)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def client(*, allow_private: bool = False, resolver: Resolver = resolve) -> httpx.Client:
    """An httpx client whose connections go through ``PinnedBackend``."""
    transport = httpx.HTTPTransport(retries=0)
    # httpx takes no network backend; its pool does (httpcore's documented extension point)
    transport._pool._network_backend = PinnedBackend(allow_private=allow_private,
                                                     resolver=resolver)
    return httpx.Client(transport=transport, timeout=TIMEOUT, follow_redirects=True,
                        max_redirects=5, headers={"User-Agent": USER_AGENT})


def fetch(url: str, *, client_: httpx.Client | None = None, allow_private: bool = False,
          deadline: float = DEADLINE) -> bytes:
    """The feed's bytes within ``deadline`` seconds, refusing anything larger than
    ``MAX_BYTES`` and, unless ``allow_private``, any address (redirects included) inside the
    server's network; ``FetchFailed`` otherwise, also when ``MAX_AT_ONCE`` fetches run."""
    if not _slots.acquire(blocking=False):
        raise FetchFailed("Too many feeds are being fetched at once; try again in a minute.")
    try:
        return _fetch(url, client_, allow_private, time.monotonic() + deadline)
    finally:
        _slots.release()


def _fetch(url: str, given: httpx.Client | None, allow_private: bool, until: float) -> bytes:
    own = given is None
    http = given or client(allow_private=allow_private)
    if not allow_private and refuse_private not in http.event_hooks["request"]:
        http.event_hooks["request"] = [*http.event_hooks["request"], refuse_private]
    try:
        with http.stream("GET", url) as response:
            if response.status_code != 200:
                raise FetchFailed(f"The feed answered HTTP {response.status_code}.")
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > MAX_BYTES:
                raise FetchFailed(f"The feed is larger than {MAX_BYTES // (1024 * 1024)} MB.")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FetchFailed(f"The feed is larger than {MAX_BYTES // (1024 * 1024)}"
                                      " MB.")
                if time.monotonic() > until:
                    raise FetchFailed(f"The feed took longer than {DEADLINE:.0f} seconds.")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as e:
        raise FetchFailed(f"The feed could not be fetched: {type(e).__name__}.") from e
    except (httpx.InvalidURL, UnicodeError, ValueError) as e:
        # e.g. a host name label over 63 characters (IDNA), or an odd port
        raise FetchFailed("The feed's address cannot be used.") from e
    finally:
        if own:
            http.close()
