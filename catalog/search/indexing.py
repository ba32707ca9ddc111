"""Keeping both copies of the search documents true: the Elasticsearch index (when
ELASTICSEARCH_URL is set) and the database's `SearchEntry` table (always, so the
fallback answers the same).

- `index_after_commit(ids)`: called by the receivers and by the services that
  write with queryset updates; queues `search_index_products` when the
  transaction commits, so a rollback leaves nothing behind.
- `index_products(ids)`: rebuild the documents of these products (or remove them
  when they are no longer live) in both stores.
- `reindex()`: every live product into a new Elasticsearch index, swapped in under
  the alias in one step (searches go on meanwhile, against the old index), and
  every row of the database table upserted in place (never emptied).
- `reconcile()`: find missing, stale and extra documents in both stores and fix them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

from catalog.cache_version import SEARCH, versions_bump

from . import elastic
from .database import is_postgres, vector_expression
from .documents import PATH_STEP, documents_for, live_product_count
from .models import SearchEntry, SearchWord

logger = logging.getLogger(__name__)

_ENTRY_FIELDS = [
    "title",
    "url",
    "title_words",
    "category_words",
    "booth_words",
    "body_words",
    "title_prefixes",
    "category_paths",
    "category_l1",
    "category_l2",
    "category_l3",
    "district",
    "province",
    "ships_to",
    "price",
    "fulfilment",
    "seller_kind",
    "partner_id",
    "date_created",
    "fingerprint",
]


def elasticsearch_enabled() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


# --- the database table ---------------------------------------------------------------


def _entry(doc: dict) -> SearchEntry:
    paths = doc["category_paths"]
    first_chain = [p for p in paths if paths and p.startswith(paths[0][:PATH_STEP])]
    levels = {len(p) // PATH_STEP: p for p in first_chain}
    return SearchEntry(
        product_id=doc["id"],
        title=doc["title"][:255],
        url=doc["url"],
        title_words=doc["title_words"],
        category_words=doc["category_words"],
        booth_words=doc["booth_words"],
        body_words=doc["body_words"],
        title_prefixes=" " + " ".join(doc["title_prefixes"]) + " ",
        category_paths=" " + " ".join(paths) + " ",
        category_l1=levels.get(1, ""),
        category_l2=levels.get(2, ""),
        category_l3=levels.get(3, ""),
        district=doc["district"],
        province=doc["province"],
        ships_to=" " + " ".join(doc["ships_to"]) + " ",
        price=doc["price"],
        fulfilment=doc["fulfilment"],
        seller_kind=doc["seller_kind"],
        partner_id=doc["partner_id"],
        date_created=doc["date_created"],
        fingerprint=doc["fingerprint"],
    )


def db_write(docs: list[dict]) -> None:
    if not docs:
        return
    with transaction.atomic():
        SearchEntry.objects.bulk_create(
            [_entry(doc) for doc in docs],
            update_conflicts=True,
            unique_fields=["product"],
            update_fields=_ENTRY_FIELDS,
        )
        if is_postgres():
            SearchEntry.objects.filter(
                product_id__in=[doc["id"] for doc in docs]
            ).update(vector=vector_expression())
        words = {
            word
            for doc in docs
            for name in ("title_words", "category_words", "booth_words", "body_words")
            for word in doc[name].split()
            if len(word) <= 64
        }
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in sorted(words)],
            ignore_conflicts=True,
            batch_size=2000,
        )


def db_delete(ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        SearchEntry.objects.filter(product_id__in=ids).delete()


# --- both stores ---------------------------------------------------------------------------


def _es_write(docs: list[dict], *, refresh: bool | str = False) -> None:
    elastic.documents_write(docs, refresh=refresh)
    building = elastic.building_index()
    if building:
        elastic.documents_write(docs, index=building)


def _es_delete(ids: list[int], *, refresh: bool | str = False) -> None:
    elastic.documents_delete(ids, refresh=refresh)
    building = elastic.building_index()
    if building:
        elastic.documents_delete(ids, index=building)


def index_products(ids: Iterable[int]) -> None:
    """Make both stores hold exactly the live ones among `ids`. The database is
    written first: if Elasticsearch fails, the fallback is already right and the
    error propagates (the task retries; reconcile catches what is left)."""
    ids = sorted({int(pk) for pk in ids})
    docs = [doc for batch in documents_for(ids) for doc in batch]
    live = {doc["id"] for doc in docs}
    gone = [pk for pk in ids if pk not in live]
    db_write(docs)
    db_delete(gone)
    if elasticsearch_enabled():
        # Visible before the cached results are dropped (`results_stale`): else
        # a search within the next refresh would cache the old answer again.
        refresh = settings.SEARCH_REFRESH_ON_WRITE or "wait_for"
        if docs:
            _es_write(docs, refresh=refresh)
        if gone:
            _es_delete(gone, refresh=refresh)
    results_stale()


def results_stale() -> None:
    """The search pages' cached results (`service.search_cached`) are stale: the
    documents they were built from have just changed."""
    versions_bump([SEARCH])


def index_after_commit(ids: Iterable[int]) -> None:
    """Queue the reindexing of these products once the current transaction
    commits (now, outside one). Nothing is queued if it rolls back."""
    ids = sorted(set(ids))
    if ids:
        transaction.on_commit(partial(search_index_queue, ids))


def search_index_queue(ids: list[int]) -> None:
    """The on-commit callback: queue the Celery task. With the broker (Redis)
    down the products are indexed here and now, as a photo is processed
    (`catalog.photos`): the save already committed, so raising would only turn
    it into a 500, and the index would wait for the hourly reconcile."""
    from .tasks import search_index_products

    try:
        search_index_products.delay(ids)
    except BrokerUnavailable:
        logger.warning(
            "search indexing of %d products: broker unavailable, indexing inline",
            len(ids),
        )
        try:
            index_products(ids)
        except Exception as exc:  # Elasticsearch down too: reconcile repairs it
            logger.warning("search indexing of %d products failed: %s", len(ids), exc)


# --- reindex and reconcile ----------------------------------------------------------------


def reindex(*, batch: int = 1000, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild both stores from every live product; returns how many were indexed.

    Elasticsearch: a new index (no refresh while it fills) gets every document,
    then the alias moves to it in one step and the old index is dropped; changes
    indexed meanwhile are written to the new index too (`building_index`). The
    database table is upserted in place and rows of products no longer live are
    deleted at the end, so the fallback never answers from an empty table.
    """
    use_es = elasticsearch_enabled()
    name = None
    if use_es:
        name = elastic.new_index_name()
        elastic.index_create(name, refresh_interval="-1")
        elastic.building_mark(name)
    live: set[int] = set()
    # Each batch goes to Elasticsearch from a second thread while this one builds
    # the next batch and writes it to the database: the bulk request waits on the
    # Elasticsearch process (another core), not on Python. One batch in flight at
    # most, so memory stays flat and an error stops the run at the next batch.
    writer = ThreadPoolExecutor(max_workers=1) if use_es else None
    in_flight: Future | None = None
    try:
        for docs in documents_for(None, batch=batch):
            live.update(doc["id"] for doc in docs)
            if use_es:
                if in_flight is not None:
                    in_flight.result()
                in_flight = writer.submit(elastic.documents_write, docs, index=name)
            db_write(docs)
            if progress:
                progress(len(docs))
        if use_es:
            if in_flight is not None:
                in_flight.result()
            elastic.index_finish(name)
            elastic.alias_swap(name)
    except BaseException:
        if use_es:
            if in_flight is not None:
                wait([in_flight])
            elastic.index_abandon(name)
        raise
    finally:
        if writer is not None:
            writer.shutdown(wait=True)
        if use_es:
            elastic.building_clear()
    stale = set(SearchEntry.objects.values_list("product_id", flat=True)) - live
    for start in range(0, len(stale), 5000):
        db_delete(sorted(stale)[start : start + 5000])
    results_stale()
    return len(live)


@dataclass
class Drift:
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.extra)


def _drift(expected: dict[int, str], actual: dict[int, str]) -> Drift:
    return Drift(
        missing=sorted(expected.keys() - actual.keys()),
        stale=sorted(
            pk for pk in expected.keys() & actual.keys() if expected[pk] != actual[pk]
        ),
        extra=sorted(actual.keys() - expected.keys()),
    )


def reconcile() -> dict[str, Drift]:
    """Compare both stores with the live catalogue by document fingerprint and
    repair what differs. Returns the drift found, per store."""
    expected = {
        doc["id"]: doc["fingerprint"] for docs in documents_for(None) for doc in docs
    }
    found: dict[str, Drift] = {}
    db = _drift(
        expected, dict(SearchEntry.objects.values_list("product_id", "fingerprint"))
    )
    found["database"] = db
    if db:
        for docs in documents_for(db.missing + db.stale):
            db_write(docs)
        db_delete(db.extra)
    if elasticsearch_enabled():
        elastic.alias_ensure()
        es = _drift(expected, elastic.fingerprints())
        found["elasticsearch"] = es
        if es:
            for docs in documents_for(es.missing + es.stale):
                _es_write(docs)
            if es.extra:
                _es_delete(es.extra)
            elastic.refresh()
    if any(found.values()):
        results_stale()
    for store, drift in found.items():
        if drift:
            logger.warning(
                "search reconcile repaired %s: %d missing, %d stale, %d extra",
                store,
                len(drift.missing),
                len(drift.stale),
                len(drift.extra),
            )
    return found


__all__ = [
    "db_write",
    "index_after_commit",
    "index_products",
    "live_product_count",
    "reconcile",
    "reindex",
]
