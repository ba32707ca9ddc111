"""What one client may ask of search: capped queries (both backends and the
suggestions) and a rate per client address, counted in the cache."""

from __future__ import annotations

import pytest

from catalog.search import database, service
from catalog.search.base import SearchQuery
from catalog.search.normalize import MAX_QUERY_WORDS
from catalog.search.views import TOO_MANY

SUGGEST = "/search/suggest/"
PAGE = "/search/"
LONG = "دستبند چرم " * 200


@pytest.fixture
def tight(settings):
    settings.SEARCH_RATE_LIMITS = {"page": 3, "suggest": 3}


def test_the_query_object_searches_at_most_the_capped_words():
    assert len(SearchQuery(text=LONG).words) == MAX_QUERY_WORDS


def test_a_long_query_reaches_the_database_backend_capped(client, indexed, monkeypatch):
    asked = []
    real = database.corrections

    def spy(words):
        asked.append(list(words))
        return real(words)

    monkeypatch.setattr(database, "corrections", spy)
    assert client.get(PAGE, {"q": LONG}).status_code == 200
    assert client.get(SUGGEST, {"q": LONG}).status_code == 200
    assert asked
    assert max(len(words) for words in asked) <= MAX_QUERY_WORDS


def test_a_long_query_answers_alike_on_each_backend(backend, catalogue):
    # Both backends read the same capped words: four times «دستبند چرم».
    found = backend.autocomplete(LONG)
    assert [s.title for s in found] == ["دستبند چرم دست‌دوز"]
    assert backend.search(SearchQuery(text=LONG)).ids == catalogue.ids(
        "bracelet", "silver"
    )


def test_suggestions_are_rate_limited_per_client(client, indexed, tight):
    for _ in range(3):
        assert client.get(SUGGEST, {"q": "دستبند"}).status_code == 200
    refused = client.get(SUGGEST, {"q": "دستبند"})
    assert refused.status_code == 429
    assert refused.json()["error"] == TOO_MANY
    assert refused.json()["products"] == []
    assert refused["Retry-After"] == "60"
    assert refused["Cache-Control"] == "no-store"  # never kept by a shared cache
    # Another address is another client; the search page has its own count.
    other = client.get(SUGGEST, {"q": "دستبند"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200
    assert client.get(PAGE, {"q": "دستبند"}).status_code == 200


def test_the_search_page_is_rate_limited_with_a_persian_message(client, indexed, tight):
    for _ in range(3):
        assert client.get(PAGE, {"q": "دستبند"}).status_code == 200
    refused = client.get(PAGE, {"q": "دستبند"})
    assert refused.status_code == 429
    html = refused.content.decode()
    assert TOO_MANY in html
    assert "product-card" not in html
    # The page with nothing asked yet costs no search and is not counted.
    assert client.get(PAGE).status_code == 200


def test_an_ipv6_client_is_counted_by_its_64(client, indexed, tight):
    for host in range(1, 4):
        answer = client.get(
            SUGGEST, {"q": "دستبند"}, REMOTE_ADDR=f"2001:db8:1:2::{host}"
        )
        assert answer.status_code == 200
    refused = client.get(SUGGEST, {"q": "دستبند"}, REMOTE_ADDR="2001:db8:1:2::99")
    assert refused.status_code == 429


def test_a_cache_that_is_down_allows_search(client, indexed, tight, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(service.cache, "add", down)
    monkeypatch.setattr(service.cache, "incr", down)
    for _ in range(5):
        assert client.get(SUGGEST, {"q": "دستبند"}).status_code == 200
