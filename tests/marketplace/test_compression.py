"""Pages leave gzipped for browsers that accept it, cached pages included."""

import gzip
import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from tests.factories import SellerFactory, make_product
from tests.marketplace.test_deploy_check import ROOT

pytestmark = pytest.mark.django_db

GZIP = "django.middleware.gzip.GZipMiddleware"
PAGE_CACHE = "marketplace.page_cache.AnonymousPageCacheMiddleware"


def test_catalogue_page_is_gzipped_for_a_browser_that_accepts_it(client):
    make_product(seller=SellerFactory(), title="دستبند فیروزه")

    plain = client.get("/catalogue/")
    packed = client.get("/catalogue/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "دستبند فیروزه" in html
    assert len(packed.content) < len(plain.content) / 2


def test_page_cache_hits_leave_gzipped_with_the_visitors_csrf_token(
    client, settings, page_cache
):
    middleware = list(django_settings.MIDDLEWARE)
    middleware.insert(middleware.index(GZIP) + 1, PAGE_CACHE)
    settings.MIDDLEWARE = middleware
    product = make_product(seller=SellerFactory(), title="دستبند فیروزه")
    url = product.get_absolute_url()
    client.get(url)
    client.cookies.clear()

    hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert hit.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(hit.content).decode()
    assert "دستبند فیروزه" in html
    assert 'name="csrfmiddlewaretoken" value="' in html
    assert int(hit.headers["Content-Length"]) == len(hit.content)


def test_production_serves_cached_pages_inside_gzip():
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import json, django; from django.conf import settings; "
            "print(json.dumps(settings.MIDDLEWARE))",
        ],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    middleware = json.loads(result.stdout)
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < (
        middleware.index(GZIP)
    )
    assert middleware.index(PAGE_CACHE) == middleware.index(GZIP) + 1


def _production_env() -> dict:
    """The production settings' environment, with a real-looking SECRET_KEY."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="dastavard.ir",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    return env
