"""Search indexing jobs (Celery; eager under `make run` and in tests)."""

import logging

from celery import shared_task

from . import indexing

logger = logging.getLogger(__name__)


@shared_task(bind=True, ignore_result=True, max_retries=5)
def search_index_products(self, ids: list[int]) -> None:
    """Bring these products' search documents up to date (queued after commit by
    `indexing.index_after_commit`). The database copy is written first; if
    Elasticsearch fails the task retries with backoff, and the periodic reconcile
    repairs what the retries could not. Never fails the request that queued it."""
    try:
        indexing.index_products(ids)
    except Exception as exc:
        logger.warning("search indexing of %d products failed: %s", len(ids), exc)
        if not self.request.is_eager:
            raise self.retry(
                exc=exc, countdown=2 ** (self.request.retries + 2)
            ) from exc


@shared_task(ignore_result=True, soft_time_limit=900, time_limit=960)
def search_reconcile() -> None:
    """Find and repair drift between the live catalogue and the search stores
    (scheduled by CELERY_BEAT_SCHEDULE)."""
    indexing.reconcile()
