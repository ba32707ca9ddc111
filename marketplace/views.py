import ipaddress
import posixpath

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .accounts.ip import client_ip
from .health import readiness
from .metrics import metrics_registry
from .site_url import site_root_url


def healthz(request):
    """Liveness: the process answers. No dependency is touched, so a database
    or Redis outage never makes the orchestrator restart healthy app servers
    (that is /readyz's job: take them out of the pool)."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Readiness: every configured dependency answers in time
    (`marketplace.health`); 503 naming the ones that failed."""
    ready, checks = readiness()
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def _metrics_allowed(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and constant_time_compare(given, f"Bearer {token}"):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in getattr(settings, "METRICS_ALLOWED_NETWORKS", ())
    )


@never_cache
def metrics(request):
    """Prometheus metrics, for the internal network (`METRICS_ALLOWED_NETWORKS`,
    the client address as `marketplace.accounts.ip` reads it behind the proxy)
    or a bearer token (`METRICS_TOKEN`); anyone else gets a 404."""
    if not _metrics_allowed(request):
        raise Http404
    return HttpResponse(
        generate_latest(metrics_registry()), content_type=CONTENT_TYPE_LATEST
    )


#: Under MEDIA_ROOT but never served from it: Wagtail's documents leave only
#: through Wagtail's view, as downloads (settings WAGTAILDOCS_*).
PRIVATE_MEDIA_PREFIXES = ("documents/",)


def media_serve(request, path: str):
    """MEDIA_ROOT for `make run` (SERVE_MEDIA), where no web server does it;
    Wagtail's documents are refused here as the web server refuses them in
    production."""
    from django.views.static import serve

    clean = posixpath.normpath(path).lstrip("/").lower()
    if clean.startswith(PRIVATE_MEDIA_PREFIXES):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def not_found(request, *args, **kwargs):
    """A 404 for addresses that are switched off on purpose (see marketplace.urls)."""
    raise Http404


#: Paths of people's own pages and of the staff tools: never in a search engine.
ROBOTS_DISALLOW = (
    "/account/",
    "/accounts/",
    "/basket/",
    "/checkout/",
    "/orders/",
    "/panel/",
    "/staff/",
    "/dashboard/",
    "/cms-admin/",
    "/django-admin/",
    "/search/",
)


def robots_txt(request):
    """Crawl the public pages, not people's own pages or staff tools; the
    sitemap at the Wagtail Site's address."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {site_root_url()}{reverse('sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
