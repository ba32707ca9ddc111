"""The anonymous page cache: whole public pages for visitors with nothing personal.

A public page looks the same to every visitor who has no session (not logged
in, no flash message) and no basket (the header shows the basket count), so for
them it is kept whole in the cache for PAGE_CACHE_SECONDS (0 = off, the default;
production sets it). Any other visitor gets the page rendered for her, and never
fills the cache. Django's `{% csrf_token %}` field is stored as a placeholder
and filled with the visitor's own token on every hit (which also sets her CSRF
cookie).

A page is stored with the tags of everything it was built from
(`catalog.cache_version.recording`): the global version, and the product, listing
and card versions its pieces read. A hit is served only while every one of them
is unchanged, so a sale changes the product's page and the pages showing its card,
not every page. The time limit only bounds what the calendar (a holiday ending)
could leave stale, and buying re-checks availability anyway.

`anonymous_page_cache` (on a view function or class) fills the cache and serves
hits; `AnonymousPageCacheMiddleware`, placed right after WhiteNoise (production),
serves the same hits before the rest of the middleware runs, which is most of the
cost of a hit. It looks in the cache only for URLs that resolve to a page-cached
view: every other request (a trivial view, the basket, the panel) costs no cache
round trip (bench/README.md, "The yardstick").
"""

from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache, wraps

from django.conf import settings
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator

from catalog.cache_version import (
    GLOBAL,
    catalog_cache,
    record,
    recording,
    tags_current,
    versions_get,
)

logger = logging.getLogger(__name__)

_PERSONAL_COOKIES = ("sessionid", "oscar_open_basket", "messages")
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
_NOT_SHARED = re.compile(r"\b(private|no-store|no-cache)\b")
_KEY_PREFIX = "page:v2:"

# Only a page's plain address, or one of its page numbers, is cached: anything
# else in the query string (filters, prices, made-up parameters) could mint a
# new cache entry per request, so such pages are rendered for the request.
_CACHEABLE_QUERY = re.compile(r"(page=[0-9]{1,4})?")

#: The views (functions, or classes of class-based views) the cache serves.
_PAGE_CACHED: set = set()


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


@lru_cache(maxsize=4096)
def _is_page_cached(path: str, urlconf) -> bool:
    """Whether `path` resolves to a view the page cache serves. Bounded: paths
    anyone can type only evict each other."""
    try:
        func = resolve(path, urlconf).func
    except Resolver404:
        return False
    return func in _PAGE_CACHED or getattr(func, "view_class", None) in _PAGE_CACHED


def _page_cache_key(request) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return _KEY_PREFIX + hashlib.sha256(url.encode()).hexdigest()


def _cached_page(request, csrf=None) -> HttpResponse | None:
    """The cached page for this request if all its tags are current, or None.
    `csrf`: a CsrfViewMiddleware to load and set the visitor's CSRF cookie when
    the middleware chain does not. A cache that is down is a miss: the page is
    rendered as if uncached."""
    try:
        hit = catalog_cache().get(_page_cache_key(request))
        if hit is None:
            return None
        tags, content_type, body, has_csrf = hit
        if not tags_current(tags, versions_get(tags)):
            return None
    except Exception:
        logger.warning("page cache unreachable; rendering the page", exc_info=True)
        return None
    if has_csrf:
        if csrf is not None:
            csrf.process_request(request)
        body = body.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(body, content_type=content_type)
    patch_vary_headers(response, ("Cookie",))
    if csrf is not None and has_csrf:
        response = csrf.process_response(request, response)
    return response


def _store(request, response, key: str, tags: dict, seconds: int) -> None:
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
        or GLOBAL not in tags
    ):
        return
    body, fields = _CSRF_FIELD.subn(
        rb"\g<1>" + _CSRF_PLACEHOLDER + rb"\g<2>", response.content
    )
    try:
        catalog_cache().set(
            key, (tags, response["Content-Type"], body, bool(fields)), seconds
        )
    except Exception:
        logger.warning("page cache unreachable; page not stored", exc_info=True)


def _cached_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = _page_cache_seconds(request)
        if not seconds:
            return view(request, *args, **kwargs)
        response = _cached_page(request)
        if response is not None:
            return response
        if request.method != "GET":
            return view(request, *args, **kwargs)
        with recording() as tags:
            # The global version first: read before anything the page shows.
            try:
                record(versions_get([GLOBAL]))
            except Exception:
                logger.warning("page cache unreachable", exc_info=True)
                return view(request, *args, **kwargs)
            response = view(request, *args, **kwargs)
            # Render now, while the pieces' tags are being recorded.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        _store(request, response, _page_cache_key(request), tags, seconds)
        return response

    return wrapper


def anonymous_page_cache(view):
    """Serve `view` (a function, or a class-based view's class) from the cache to
    visitors without session or basket (see the module docstring)."""
    if isinstance(view, type):
        _PAGE_CACHED.add(view)
        return method_decorator(_cached_view, name="dispatch")(view)
    wrapper = _cached_view(view)
    _PAGE_CACHED.add(wrapper)
    return wrapper


class AnonymousPageCacheMiddleware:
    """Serves pages that `anonymous_page_cache` stored, before the middleware
    after it runs. Put it right after GZip (so hits leave compressed too). It does for a hit what the
    skipped middleware would: the CSRF cookie, X-Frame-Options, Content-Language
    and Content-Length; sessions, messages, the basket and the user are not
    needed by a visitor without their cookies."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.xframe = XFrameOptionsMiddleware(get_response)

    def __call__(self, request):
        if _page_cache_seconds(request) and _is_page_cached(
            request.path_info, get_urlconf()
        ):
            response = _cached_page(request, csrf=self.csrf)
            if response is not None:
                response = self.xframe.process_response(request, response)
                patch_vary_headers(response, ("Accept-Language",))
                response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
                response.headers["Content-Length"] = str(len(response.content))
                return response
        return self.get_response(request)
