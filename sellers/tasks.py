"""Background jobs of the sellers app (Celery; eager under `make run` and in tests)."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from marketplace.storage import wizard_upload_storage

logger = logging.getLogger(__name__)


def wizard_uploads_sweep_now(*, now: dt.datetime | None = None) -> int:
    """Delete the wizard uploads older than WIZARD_UPLOAD_MAX_AGE_HOURS (left by
    wizards that were never finished); return how many went. A wizard that ends
    deletes its own files at once."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.WIZARD_UPLOAD_MAX_AGE_HOURS)
    storage = wizard_upload_storage()
    try:
        _, names = storage.listdir("")
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        try:
            if storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                deleted += 1
        except FileNotFoundError:  # a wizard finished meanwhile
            continue
    if deleted:
        logger.info("Swept %d abandoned wizard uploads", deleted)
    return deleted


@shared_task(ignore_result=True)
def wizard_uploads_sweep() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): `wizard_uploads_sweep_now`."""
    return wizard_uploads_sweep_now()
