"""The one search interface the site uses: the search page, its facets, the
header's suggestions and "did you mean".

Elasticsearch answers when ELASTICSEARCH_URL is set and it is healthy; otherwise
the database backend does. A failed or slow Elasticsearch request (the client's
timeout is SEARCH_TIMEOUT, at most 1 s) is logged as a warning and answered from
the database: search never fails a page. After SEARCH_BREAKER_FAILURES failures
in a row the circuit breaker opens and requests go straight to the database for
SEARCH_BREAKER_SECONDS; then one request tries Elasticsearch again (half-open).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from marketplace.metrics import SEARCH_FALLBACKS

from .base import SearchBackend, SearchQuery, SearchResult, Suggestion
from .database import DatabaseBackend
from .elastic import ElasticsearchBackend

logger = logging.getLogger(__name__)

T = TypeVar("T")


class CircuitBreaker:
    """Per process: closed (use Elasticsearch), open (skip it until `opened_at +
    seconds`), then half-open (one trial request; success closes it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.failures = 0
        self.opened_at: float | None = None
        self._trial = False

    def allow(self) -> bool:
        with self._lock:
            if self.opened_at is None:
                return True
            if time.monotonic() - self.opened_at < settings.SEARCH_BREAKER_SECONDS:
                return False
            if self._trial:  # someone else is trying already
                return False
            self._trial = True
            return True

    def success(self) -> None:
        with self._lock:
            self.failures, self.opened_at, self._trial = 0, None, False

    def failure(self) -> None:
        with self._lock:
            self.failures += 1
            self._trial = False
            if self.failures >= settings.SEARCH_BREAKER_FAILURES:
                self.opened_at = time.monotonic()

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def reset(self) -> None:
        self.success()


breaker = CircuitBreaker()
database = DatabaseBackend()
elasticsearch = ElasticsearchBackend()


def _call(operation: str, use: Callable[[SearchBackend], T]) -> T:
    if settings.ELASTICSEARCH_URL and not breaker.allow():
        SEARCH_FALLBACKS.labels(reason="circuit_open").inc()
    elif settings.ELASTICSEARCH_URL:
        try:
            found = use(elasticsearch)
        except Exception as exc:
            breaker.failure()
            SEARCH_FALLBACKS.labels(reason="error").inc()
            logger.warning(
                "search: Elasticsearch failed (%s: %s); %s answered by the database%s",
                type(exc).__name__,
                exc,
                operation,
                " (circuit open)" if breaker.is_open else "",
            )
        else:
            breaker.success()
            return found
    return use(database)


def search(query: SearchQuery, *, facets: bool = True) -> SearchResult:
    """The page of products for `query`, with facet counts; when nothing matches,
    a "did you mean" spelling that does match (if any)."""
    result = _call("search", lambda b: b.search(query, facets=facets))
    if result.total == 0 and query.words:
        result.suggestion = _did_you_mean(query)
    return result


def _did_you_mean(query: SearchQuery) -> str:
    def suggest(backend: SearchBackend) -> str:
        spelling = backend.did_you_mean(query)
        if not spelling:
            return ""
        found = backend.search(query.with_text(spelling), facets=False)
        return spelling if found.total else ""

    return _call("did-you-mean", suggest)


def autocomplete(text: str) -> list[Suggestion]:
    return _call("autocomplete", lambda b: b.autocomplete(text))


def search_rate_allow(*, client: str, kind: str) -> bool:
    """Whether this client (`ip.client_key` of its address) may search now: at
    most SEARCH_RATE_LIMITS[kind] requests of a kind ("page", "suggest") in
    SEARCH_RATE_SECONDS, counted in the cache from the client's first request
    of the window (nothing about her is stored in the database). A cache that
    is down or lost the counter allows the search: it costs speed, never a
    sale."""
    key = f"search:rate:v1:{kind}:{client}"
    try:
        cache.add(key, 0, settings.SEARCH_RATE_SECONDS)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 — the cache is down or the key expired meanwhile
        return True
    return count <= settings.SEARCH_RATE_LIMITS[kind]
