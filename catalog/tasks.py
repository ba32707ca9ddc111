"""Background jobs of the catalogue (Celery; eager under `make run` and in tests)."""

from celery import shared_task

from .photos import photo_process


@shared_task(ignore_result=True, soft_time_limit=120, time_limit=150)
def product_photo_process(image_id: int) -> None:
    """Turn an uploaded product photo into its web pictures (`catalog.photos`).

    Never raises for a bad photo: it ends FAILED with a Persian message. Safe to
    run twice. Queued by `photo_store_upload` when its transaction commits.
    """
    photo_process(image_id)
