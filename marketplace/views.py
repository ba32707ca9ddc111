import posixpath

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse

from .site_url import site_root_url


def healthz(request):
    """Liveness and database reachability for load balancers and scripts."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
