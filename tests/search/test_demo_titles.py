"""Every demo product is found by its own title typed whole, on each backend.

The demo catalogue (`manage.py seed_demo`) has titles of up to nine words once
ZWNJ splits them («پودر قارچ خشک‌شده در سایه، بستهٔ ۲۵۰ گرمی»): on SQLite such a
query overflowed the SQL parser's stack («parser stack overflow», a 500 on
`make run`) until the rank became one flat sum and the typo terms were bounded.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from catalog.models import Product
from catalog.search import indexing
from catalog.search.base import SearchQuery
from catalog.search.normalize import tokens
from catalog.selectors import product_list_public

# A modest catalogue: every trade, some 90 products on sale.
DEMO = {"products": 120, "sellers": 12, "picture_pool": 8}


@pytest.fixture(params=["database", "elasticsearch"])
def demo_backend(request, db, settings):
    """The demo catalogue indexed in one backend (the database is SQLite in the
    quick run, PostgreSQL under `make test`)."""
    from django.core.cache import cache

    from catalog.search import service

    # One client asks every title: beyond the per-client rate, on purpose.
    settings.SEARCH_RATE_LIMITS = {"page": 10_000, "suggest": 10_000}
    if request.param == "elasticsearch":
        request.getfixturevalue("search_es")
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO(), **DEMO)
    cache.clear()  # the open-booth set
    indexing.index_products(Product.objects.live().values_list("pk", flat=True))
    return getattr(service, request.param)


def test_every_demo_title_finds_its_product_and_the_page_answers(demo_backend, client):
    live = dict(product_list_public().values_list("pk", "title"))
    assert len(live) >= 80
    # The titles the parser choked on are among them.
    assert max(len(tokens(title)) for title in live.values()) >= 8

    missed, failed, pages = [], [], {}
    for pk, title in live.items():
        try:
            result = demo_backend.search(
                SearchQuery(text=title, limit=len(live)), facets=False
            )
        except Exception as exc:  # noqa: BLE001 — collect them all, then report
            failed.append((title, f"{type(exc).__name__}: {exc}"))
            continue
        assert result.backend == demo_backend.name  # no silent fallback
        if pk not in result.ids:
            missed.append(title)
        pages[title] = client.get("/search/", {"q": title}).status_code
    assert failed == []
    assert missed == []
    assert {title: code for title, code in pages.items() if code != 200} == {}
