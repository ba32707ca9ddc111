"""The page-cache middleware looks in the cache only for the pages it serves.

Before, it looked up every cookie-less GET (two Redis round trips), which made
every other page, and the benchmark's trivial view, slower on the page-cache
server than elsewhere (bench/README.md, "The yardstick")."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

import marketplace.page_cache as page_cache
from tests.factories import SellerFactory, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def middleware_on(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 30
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "marketplace.page_cache.AnonymousPageCacheMiddleware",
    )
    settings.MIDDLEWARE = middleware
    lookups = []
    real = page_cache._cached_page

    def counted(request, csrf=None):
        lookups.append((request.path, csrf is not None))
        return real(request, csrf=csrf)

    monkeypatch.setattr(page_cache, "_cached_page", counted)
    return lookups


def test_a_page_it_does_not_serve_costs_no_cache_lookup(client, middleware_on):
    # (Any other path may be a Wagtail page, which the cache serves.)
    for path in (reverse("accounts:login"), "/basket/", "/static/no-such-file.css"):
        client.cookies.clear()
        client.get(path)
    assert middleware_on == []


def test_the_pages_it_serves_are_looked_up_and_served_by_it(
    client, middleware_on, django_assert_num_queries
):
    product = make_product(seller=SellerFactory(), title="شال بافتنی")
    paths = ["/", reverse("catalogue:index"), product.get_absolute_url()]
    for path in paths:
        client.cookies.clear()
        assert client.get(path).status_code == 200  # fills the cache
    middleware_on.clear()
    for path in paths:
        client.cookies.clear()
        with django_assert_num_queries(0):
            assert client.get(path).status_code == 200
    # each served by the middleware (with its CSRF helper), not by the view
    assert middleware_on == [(unquote(path), True) for path in paths]
