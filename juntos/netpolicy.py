"""Which addresses the server may reach for its members: the public internet only.

Subscriptions (a feed's address) and social accounts (a Mastodon instance) are addresses a
member types on the web; the server would otherwise fetch, for them, whatever answers on
loopback, the LAN or a cloud metadata address, and tell them which ports are open there.
"""

from __future__ import annotations

import ipaddress
import socket


def points_inside(host: str) -> bool:
    """Whether ``host`` (an address, or a name resolved here) is not on the public internet:
    private, loopback, link-local, shared, reserved or multicast, in IPv4 or IPv6 (mapped
    and scoped forms included). A name that does not resolve is not "inside": connecting to
    it fails with its own message."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]").split("%", 1)[0])]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in
                         socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)]
        except (OSError, UnicodeError, ValueError):
            return False  # unresolvable: the fetch itself fails with a clear error
    return any(_inside(ip) for ip in addresses)


def address_inside(address: str) -> bool:
    """Whether one address, written as an IP, is not on the public internet (``ValueError``
    when it is not an address): the check made on the address actually connected to."""
    return _inside(ipaddress.ip_address(address.strip("[]").split("%", 1)[0]))


def _inside(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast
