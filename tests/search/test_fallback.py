"""Elasticsearch down or slow: the database answers, a warning is logged, the
page never fails, and the circuit breaker stops asking a dead node."""

import socket
import threading
import time

import pytest
from django.urls import reverse

from catalog.search import service
from catalog.search.base import SearchQuery

from .conftest import index_everything


@pytest.fixture
def stopped_es(settings, indexed):
    """Elasticsearch stopped: its port refuses connections."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{port}"
    settings.SEARCH_TIMEOUT = 0.5
    service.breaker.reset()
    yield
    service.breaker.reset()


@pytest.fixture
def hung_es(settings, indexed):
    """Elasticsearch hung: it accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{server.getsockname()[1]}"
    settings.SEARCH_TIMEOUT = 0.5
    service.breaker.reset()
    yield accepted
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()
    service.breaker.reset()


def test_with_elasticsearch_stopped_the_page_answers_from_the_database(
    client, catalogue, stopped_es, caplog
):
    response = client.get(reverse("search:search"), {"q": "دستبند چرم"})
    assert response.status_code == 200
    assert response.context["result"].backend == "database"
    assert response.context["result"].ids[0] == catalogue.id("bracelet")
    assert "Elasticsearch failed" in caplog.text
    suggest = client.get(reverse("search:autocomplete"), {"q": "دستب"})
    assert suggest.status_code == 200
    assert suggest.json()["products"]


def test_a_slow_elasticsearch_times_out_within_a_second(catalogue, hung_es):
    started = time.monotonic()
    result = service.search(SearchQuery(text="چرم"))
    assert result.backend == "database"
    assert result.ids[0] == catalogue.id("bracelet")
    assert time.monotonic() - started < 1.5  # timeout 0.5 s, plus the database


def test_the_circuit_breaker_stops_trying_a_dead_node(settings, catalogue, hung_es):
    settings.SEARCH_BREAKER_FAILURES = 2
    settings.SEARCH_BREAKER_SECONDS = 60
    for _ in range(2):
        service.search(SearchQuery(text="چرم"))
    assert service.breaker.is_open
    started = time.monotonic()
    for _ in range(5):
        assert service.search(SearchQuery(text="چرم")).backend == "database"
    assert time.monotonic() - started < 1.0  # no request waited on the node


def test_the_breaker_lets_one_trial_through_after_its_pause(
    settings, catalogue, search_es
):
    index_everything(catalogue)
    settings.SEARCH_BREAKER_FAILURES = 1
    settings.SEARCH_BREAKER_SECONDS = 0.2
    service.breaker.failure()
    assert service.breaker.is_open
    assert service.search(SearchQuery(text="چرم")).backend == "database"
    time.sleep(0.3)
    # Half-open: one trial against the (healthy) node closes the breaker.
    assert service.search(SearchQuery(text="چرم")).backend == "elasticsearch"
    assert not service.breaker.is_open
