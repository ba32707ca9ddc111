"""The site's public address, from Wagtail's default Site (hostname and port,
set by staff in the Wagtail admin under Settings → Sites).

Sitemaps, feeds, the calendar and robots.txt name absolute URLs. Django's own
sites framework would say `example.com`; Wagtail's Site is the one record of
where this site lives, and page URLs already come from it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Site

#: Addresses of this machine: a default Site on one of them is a development
#: install's, which `site_local_address_set` may repoint.
LOCAL_HOSTNAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def site_root_url() -> str:
    """e.g. "https://dastavard.ir" (no trailing slash). Without a default Site,
    WAGTAILADMIN_BASE_URL."""
    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if site is None:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return site.root_url


def site_scheme_and_host() -> tuple[str, str]:
    """("https", "dastavard.ir"): the two halves Django's sitemaps ask for."""
    parts = urlsplit(site_root_url())
    return parts.scheme, parts.netloc


def site_local_address_set(*, hostname: str, port: int) -> bool:
    """Point the default Site at `hostname:port` where the development server
    runs (`make run`: 127.0.0.1:8000), so feeds, the sitemap, robots.txt and page
    links name the address that answers, not the migration's `localhost:80`.

    Only a Site on a local address is changed: a real domain set by staff is
    never touched. True if the Site was changed."""
    if hostname not in LOCAL_HOSTNAMES:
        raise ValueError(f"{hostname!r} is not a local address")
    with transaction.atomic():
        site = Site.objects.select_for_update().filter(is_default_site=True).first()
        if site is None or site.hostname not in LOCAL_HOSTNAMES:
            return False
        if (site.hostname, site.port) == (hostname, port):
            return False
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    return True
