"""Elasticsearch stops mid-flow (issue 25, "Fault injection"), on the real
cluster behind a proxy the test cuts (tests/marketplace/fault_fixtures.py):
searches are answered by the database, never a 500; a product saved while it is
down is in the database copy at once and in Elasticsearch once it is back; and
with the broker (Redis) down, a saved product is indexed in the request instead
of turning the save into a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.search import service
from catalog.search.base import SearchQuery
from catalog.search.tasks import search_reconcile
from tests.factories import make_product

from .conftest import index_everything

pytestmark = pytest.mark.django_db


def _search(client, text):
    response = client.get(reverse("search:search"), {"q": text})
    assert response.status_code == 200
    return response.context["result"]


def test_elasticsearch_stopping_mid_search_is_answered_by_the_database(
    client, settings, catalogue, elasticsearch_fault_proxy, caplog
):
    settings.SEARCH_BREAKER_SECONDS = 0  # a trial as soon as it is back
    index_everything(catalogue)
    before = _search(client, "دستبند چرم")
    assert before.backend == "elasticsearch"
    assert before.ids[0] == catalogue.id("bracelet")

    elasticsearch_fault_proxy.cut()
    during = _search(client, "کیف پول")
    assert during.backend == "database"
    assert catalogue.id("wallet") in during.ids
    assert "Elasticsearch failed" in caplog.text
    suggest = client.get(reverse("search:autocomplete"), {"q": "کمرب"})
    assert suggest.status_code == 200
    assert suggest.json()["products"]

    elasticsearch_fault_proxy.restore()
    after = _search(client, "گردنبند")
    assert after.backend == "elasticsearch"
    assert after.ids == [catalogue.id("necklace")]


def test_a_product_saved_while_elasticsearch_is_down_is_indexed_once_it_is_back(
    elasticsearch_fault_proxy, django_capture_on_commit_callbacks, caplog
):
    elasticsearch_fault_proxy.cut()
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(title="رومیزی سوزن‌دوزی")  # no error reaches her
    assert "search indexing" in caplog.text
    # The database copy is written first: the fallback finds it already.
    assert service.database.search(SearchQuery(text="رومیزی")).ids == [product.pk]

    elasticsearch_fault_proxy.restore()
    assert service.elasticsearch.search(SearchQuery(text="رومیزی")).ids == []
    search_reconcile.delay()  # the hourly beat job
    assert service.elasticsearch.search(SearchQuery(text="رومیزی")).ids == [product.pk]


def test_with_the_broker_down_a_saved_product_is_indexed_in_the_request(
    search_es, celery_broker_through_proxy, django_capture_on_commit_callbacks
):
    celery_broker_through_proxy.cut()
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(title="سفره قلمکار")  # used to raise here
    assert service.elasticsearch.search(SearchQuery(text="قلمکار")).ids == [product.pk]
    assert service.database.search(SearchQuery(text="قلمکار")).ids == [product.pk]
