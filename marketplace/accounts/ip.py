"""The client's IP address, as the lockout keys it."""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest

UNKNOWN_IP = "0.0.0.0"  # noqa: S104  (a placeholder value, not a bind address)


def normalize_ip(value: str | None) -> str:
    """A valid IP address string, or `0.0.0.0` when `value` is not one."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return UNKNOWN_IP


def client_ip(request: HttpRequest) -> str:
    """The address the request came from: `REMOTE_ADDR`.

    Behind a reverse proxy, the proxy (or a middleware that trusts it) must put the
    real client address in REMOTE_ADDR; we never read X-Forwarded-For ourselves,
    since any client can forge it and so escape the lockout.
    """
    return normalize_ip(request.META.get("REMOTE_ADDR"))
