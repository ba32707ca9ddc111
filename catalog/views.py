"""Catalogue pages, served from the database (no Haystack).

Thin views: the queries live in `catalog.selectors`, the price and availability
rule in the partner strategy.
"""

import hashlib
import logging
import re
from functools import wraps
from urllib.parse import unquote

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.views.generic import ListView, TemplateView

from .cache_version import catalog_cache, catalog_version
from .forms import filter_form_state
from .listings import (
    product_get_for_page,
    product_ids_more_from_booth,
    product_listing,
)
from .models import Category
from .selectors import ProductFilters, product_list_filtered

# --- the anonymous page cache ------------------------------------------------------
#
# A public page looks the same to every visitor who has no session (not logged
# in, no flash message) and no basket (the header shows the basket count), so for
# them it is kept whole in the cache for PAGE_CACHE_SECONDS (0 = off, the default;
# production sets it). A change to a product, its stock or photos, a booth or a
# category bumps the cache's version (catalog.receivers), so every cached page is
# replaced on the next request; the time limit only bounds what a missed signal
# (a bulk update) could leave stale, and buying re-checks availability anyway. Any
# other visitor gets the page rendered for her, and never fills the cache.
# Django's `{% csrf_token %}` field is stored as a placeholder and filled with the
# visitor's own token on every hit (which also sets her CSRF cookie).
#
# `anonymous_page_cache` (on the views) fills the cache and serves hits;
# `AnonymousPageCacheMiddleware`, placed right after WhiteNoise (production),
# serves the same hits before the rest of the middleware runs, which is most of
# the cost of a hit.

logger = logging.getLogger(__name__)

_PERSONAL_COOKIES = ("sessionid", "oscar_open_basket", "messages")
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
_NOT_SHARED = re.compile(r"\b(private|no-store|no-cache)\b")


# Only a page's plain address, or one of its page numbers, is cached: anything
# else in the query string (filters, prices, made-up parameters) could mint a
# new cache entry per request, so such pages are rendered for the request.
_CACHEABLE_QUERY = re.compile(r"(page=[0-9]{1,4})?")


def _page_cache_seconds(request) -> int:
    """How long this request's page may be cached; 0 if it is personal, has a
    query string other than a page number, or the cache is off."""
    seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
    if not seconds or request.method not in ("GET", "HEAD"):
        return 0
    if not _CACHEABLE_QUERY.fullmatch(request.META.get("QUERY_STRING", "")):
        return 0
    personal = {
        getattr(settings, "SESSION_COOKIE_NAME", "sessionid"),
        getattr(settings, "OSCAR_BASKET_COOKIE_OPEN", "oscar_open_basket"),
        *_PERSONAL_COOKIES,
    }
    return 0 if personal & request.COOKIES.keys() else seconds


def _page_cache_key(request) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"pagecache:v1:{catalog_version()}:{digest}"


def _cached_page(request, csrf=None) -> HttpResponse | None:
    """The cached page for this request, or None. `csrf`: a CsrfViewMiddleware
    to load and set the visitor's CSRF cookie when the middleware chain does not.
    A cache that is down is a miss: the page is rendered as if uncached."""
    try:
        hit = catalog_cache().get(_page_cache_key(request))
    except Exception:
        logger.warning("page cache unreachable; rendering the page", exc_info=True)
        return None
    if hit is None:
        return None
    content_type, body, has_csrf = hit
    if has_csrf:
        if csrf is not None:
            csrf.process_request(request)
        body = body.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(body, content_type=content_type)
    patch_vary_headers(response, ("Cookie",))
    if csrf is not None and has_csrf:
        response = csrf.process_response(request, response)
    return response


def anonymous_page_cache(view):
    """Serve `view` from the cache to visitors without session or basket (above)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = _page_cache_seconds(request)
        if not seconds:
            return view(request, *args, **kwargs)
        response = _cached_page(request)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if request.method != "GET":
            return response
        key = _page_cache_key(request)

        def store(response):
            user = getattr(request, "user", None)
            messages = getattr(request, "_messages", None)
            session = getattr(request, "session", None)
            if (
                response.status_code != 200
                or response.streaming
                or response.cookies
                or (user is not None and user.is_authenticated)
                or getattr(messages, "added_new", False)
                or getattr(session, "modified", False)
                # e.g. Wagtail's password form for a restricted page
                or _NOT_SHARED.search(response.get("Cache-Control", ""))
            ):
                return
            body, fields = _CSRF_FIELD.subn(
                rb"\g<1>" + _CSRF_PLACEHOLDER + rb"\g<2>", response.content
            )
            try:
                catalog_cache().set(
                    key, (response["Content-Type"], body, bool(fields)), seconds
                )
            except Exception:
                logger.warning("page cache unreachable; page not stored", exc_info=True)

        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(store)
        else:
            store(response)
        return response

    return wrapper


class AnonymousPageCacheMiddleware:
    """Serves pages that `anonymous_page_cache` stored, before the middleware
    after it runs. Put it right after GZip (so hits leave compressed too). It
    does for a hit what the skipped middleware would: the CSRF cookie, X-Frame-Options, Content-Language
    and Content-Length; sessions, messages, the basket and the user are not
    needed by a visitor without their cookies."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.xframe = XFrameOptionsMiddleware(get_response)

    def __call__(self, request):
        if _page_cache_seconds(request):
            response = _cached_page(request, csrf=self.csrf)
            if response is not None:
                response = self.xframe.process_response(request, response)
                patch_vary_headers(response, ("Accept-Language",))
                response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
                response.headers["Content-Length"] = str(len(response.content))
                return response
        return self.get_response(request)


class ProductListMixin:
    paginate_by = 24
    context_object_name = "products"

    def get_filters(self) -> ProductFilters:
        return filter_form_state(self.request.GET)[0]

    def get_product_queryset(self):
        """The listing's products (subclasses say which)."""
        raise NotImplementedError

    def get_queryset(self):
        filters = self.get_filters()
        if filters.min_price is not None or filters.max_price is not None:
            # Any amount can be typed: one cache entry per amount would let
            # anyone fill the cache. A price range is a narrower query anyway.
            return self.get_product_queryset()
        # Besides the catalogue, the listing depends on its path and filters only.
        return product_listing(
            self.get_product_queryset, name=f"{self.request.path}|{filters!r}"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form_html"] = filter_form_state(self.request.GET)[1]
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


@method_decorator(anonymous_page_cache, name="dispatch")
class CatalogueView(ProductListMixin, ListView):
    """All live products."""

    template_name = "oscar/catalogue/browse.html"

    def get_product_queryset(self):
        return product_list_filtered(filters=self.get_filters())


@method_decorator(anonymous_page_cache, name="dispatch")
class ProductCategoryView(ProductListMixin, ListView):
    """Live products in a category and its subcategories."""

    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category.objects.browsable(), pk=kwargs["pk"])
        expected = self.category.get_absolute_url()
        if unquote(request.path) != unquote(expected):
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                expected + (f"?{query}" if query else "")
            )
        return super().get(request, *args, **kwargs)

    def get_product_queryset(self):
        return product_list_filtered(category=self.category, filters=self.get_filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        return context


@method_decorator(anonymous_page_cache, name="dispatch")
class ProductDetailView(TemplateView):
    """One live product: gallery, price, availability, booth card, more from the booth."""

    template_name = "oscar/catalogue/detail.html"

    def get(self, request, *args, **kwargs):
        product = product_get_for_page(kwargs["pk"])
        if product is None:
            raise Http404("محصول پیدا نشد")
        expected = product.get_absolute_url()
        if unquote(request.path) != unquote(expected):
            return HttpResponsePermanentRedirect(expected)
        self.product = product
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.product
        record = next(iter(product.stockrecords.all()), None)
        context.update(
            product=product,
            seller=getattr(record.partner, "seller", None) if record else None,
            more_from_booth=product_ids_more_from_booth(product),
        )
        return context
