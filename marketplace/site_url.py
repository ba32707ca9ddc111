"""The site's public address, from Wagtail's default Site (hostname and port,
set by staff in the Wagtail admin under Settings → Sites).

Sitemaps, feeds, the calendar and robots.txt name absolute URLs. Django's own
sites framework would say `example.com`; Wagtail's Site is the one record of
where this site lives, and page URLs already come from it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site


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
