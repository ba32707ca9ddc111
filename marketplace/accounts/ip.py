"""The client's address, as the throttles key it.

Two settings (see docs/SECURITY.md):

- `TRUSTED_PROXIES`: the addresses or networks of our own reverse proxies (env
  `TRUSTED_PROXIES`, comma-separated, e.g. `10.0.0.0/8,127.0.0.1`). Empty by
  default: then `REMOTE_ADDR` is the client, and forwarded headers are ignored.
- `CLIENT_IP_HEADER`: the request header those proxies put the client's address
  in (env `CLIENT_IP_HEADER`, a `request.META` key, default
  `HTTP_X_FORWARDED_FOR`).

The header is read only when the request comes from a trusted proxy, and from
the right: each trusted proxy appends the address it received the request from,
so the right-most address that is not one of our proxies is the client (anything
to its left the client could have written itself). Without this, behind a proxy
every visitor has the proxy's address, and one attacker's failures would lock
everyone out together.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

UNKNOWN_IP = "0.0.0.0"  # noqa: S104  (a placeholder value, not a bind address)

#: An IPv6 subscriber gets at least a /64; every address in it is one client.
IPV6_CLIENT_PREFIX = 64
#: Many providers give one customer a /56 (256 /64s): a second, wider count.
IPV6_NETWORK_PREFIX = 56


def normalize_ip(value: str | None) -> str:
    """A valid IP address string, or `0.0.0.0` when `value` is not one."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return UNKNOWN_IP


def client_key(value: str | None) -> str:
    """The address a throttle counts: an IPv4 address as it is, an IPv6 address
    as the first address of its /64 (`2001:db8:1:2::`), since one phone or one
    home line can use any address of its /64 at will. IPv4-mapped IPv6 addresses
    count as their IPv4 address."""
    address = ipaddress.ip_address(normalize_ip(value))
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        network = ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False)
        return str(network.network_address)
    return str(address)


def network_key(value: str | None) -> str:
    """The wider address a second throttle counts: an IPv6 address as the first
    address of its /56 (one customer's allocation at many providers, 256 /64s she
    can switch between), anything else as `client_key` gives it."""
    client = client_key(value)
    address = ipaddress.ip_address(client)
    if address.version == 6:
        network = ipaddress.ip_network(f"{address}/{IPV6_NETWORK_PREFIX}", strict=False)
        return str(network.network_address)
    return client


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address: str, proxies: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(proxies))


def client_ip(request: HttpRequest) -> str:
    """The address the request came from (see the module docstring)."""
    remote = normalize_ip(request.META.get("REMOTE_ADDR"))
    proxies = tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ())
    if not proxies or not _is_trusted(remote, proxies):
        return remote
    header = getattr(settings, "CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")
    hops = [h.strip() for h in request.META.get(header, "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, proxies):
            return normalize_ip(hop)
    return remote
