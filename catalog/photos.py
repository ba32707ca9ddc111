"""Product photos: check an upload, keep it private, turn it into web pictures.

Journey 2 (DESIGN.md §5): a seller adds photos straight from her phone (rotated,
12 MP, GPS position in the EXIF). Three steps:

1. `photo_check_upload`, in the form, synchronous and cheap: the size cap (from
   `.size`, before anything is read), the real format from the first bytes (never
   the name or the MIME type), the pixel cap from the header (before any
   decoding), and a quick integrity check. Raises `PhotoRejected`, whose
   `.message` is the Persian text to show.
2. `photo_store_upload`, in the service's transaction: keeps the bytes as sent in
   private storage (`catalog.storage`) under a random name, creates the
   `ProductImage` in state PROCESSING and queues `catalog.tasks.
   product_photo_process` once the transaction commits.
3. `photo_process`, in the Celery task: decodes (pixel cap again, JPEGs in draft
   mode so a 12 MP photo is decoded at 3 MP), applies the EXIF orientation,
   flattens transparency on white, converts to 8-bit sRGB, and writes WebP and
   JPEG files at each of PRODUCT_PHOTO_SIZES with **no metadata at all** (no
   EXIF, GPS, XMP, ICC profile or comment), under random names that say nothing
   about the seller or the product. The photo becomes READY (or FAILED, with a
   Persian message) and the raw upload is deleted either way.

Public pages show READY photos only (`catalog.selectors`); until then the product
shows its neutral placeholder. Templates render photos with the
`{% product_picture %}` tag (`catalog.templatetags.catalog_pictures`).
"""

from __future__ import annotations

import logging
import uuid
from functools import partial
from typing import IO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

from marketplace.images import (
    HEIF_SUPPORTED,  # noqa: F401  (re-exported: the photo tests read it here)
    CleanImage,
    ImageRejected,
    ImageVariant,
    image_check_upload,
    image_rejected,
    image_render,
    image_sniff,
)

from .models import ProductImage
from .storage import photo_source_storage

logger = logging.getLogger(__name__)

# The checks and the rendering are the shared image pipeline's (every uploaded
# image goes through it); this module adds what is particular to product photos:
# private storage of the raw upload, processing in a task, the variants.
PhotoRejected = ImageRejected
PhotoVariant = ImageVariant
photo_sniff = image_sniff
photo_check_upload = image_check_upload
_rejected = image_rejected


def photo_render(fp: IO[bytes]) -> dict[str, PhotoVariant]:
    """Raw photo bytes → clean WebP and JPEG bytes at each PRODUCT_PHOTO_SIZES."""
    return image_render(fp, settings.PRODUCT_PHOTO_SIZES)


# --- storing an upload --------------------------------------------------------


def photo_store_upload(*, product, uploaded_file, position: int) -> ProductImage:
    """Keep a checked upload privately and queue its processing.

    Call `photo_check_upload` first (the form does). Run inside the service's
    transaction: the task is queued by `transaction.on_commit`, so it never sees
    a photo row that was rolled back. The product shows its placeholder until
    the photo is READY.
    """
    key = uuid.uuid4().hex
    uploaded_file.seek(0)
    # A random name: nothing of the seller's file name (which may be her name,
    # her phone's, or a date and place) is kept anywhere.
    source = photo_source_storage().save(f"{key[:2]}/{key}", uploaded_file)
    image = ProductImage.objects.create(
        product=product,
        original="",
        display_order=position,
        state=ProductImage.State.PROCESSING,
        source=source,
    )
    transaction.on_commit(partial(_enqueue, image.pk))
    return image


def _enqueue(image_id: int) -> None:
    from .tasks import product_photo_process

    try:
        product_photo_process.delay(image_id)
    except BrokerUnavailable:
        # Redis is down: the site must still work, so process it here and now
        # (a second or so in the seller's request) instead of losing the photo.
        logger.warning("photo %s: broker unavailable, processing inline", image_id)
        photo_process(image_id)


# --- processing ---------------------------------------------------------------


def _delete_quietly(storage, names) -> None:
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:
            logger.exception("photo: could not delete %s", name)


def photo_process(image_id: int) -> None:
    """Turn a PROCESSING photo into its web pictures (READY), or FAILED with a
    Persian `error`. Never raises for bad input. Idempotent: a photo that is no
    longer PROCESSING is left alone, and if two workers race, one result wins and
    the other's files are removed."""
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None or image.state != ProductImage.State.PROCESSING:
        return
    sources = photo_source_storage()
    saved: list[str] = []
    try:
        if not image.source or not sources.exists(image.source):
            raise _rejected("failed")
        with sources.open(image.source, "rb") as fp:
            rendered = photo_render(fp)
        key = uuid.uuid4().hex
        variants: dict[str, dict] = {}
        for name, variant in rendered.items():
            entry: dict = {"width": variant.width, "height": variant.height}
            for fmt, ext, data in (
                ("webp", "webp", variant.webp),
                ("jpeg", "jpg", variant.jpeg),
            ):
                path = default_storage.save(
                    f"products/{key[:2]}/{key}-{name}.{ext}", CleanImage(data)
                )
                saved.append(path)
                entry[fmt] = path
            variants[name] = entry
    except Exception as exc:
        rejected = exc if isinstance(exc, PhotoRejected) else _rejected("failed")
        if not isinstance(exc, PhotoRejected):
            logger.exception("photo %s: processing failed", image_id)
        _delete_quietly(default_storage, saved)
        ProductImage.objects.filter(
            pk=image_id, state=ProductImage.State.PROCESSING
        ).update(state=ProductImage.State.FAILED, error=rejected.message, source="")
        _delete_quietly(sources, [image.source])
        return

    largest = max(settings.PRODUCT_PHOTO_SIZES, key=settings.PRODUCT_PHOTO_SIZES.get)
    updated = ProductImage.objects.filter(
        pk=image_id, state=ProductImage.State.PROCESSING
    ).update(
        state=ProductImage.State.READY,
        variants=variants,
        # Oscar's dashboard and basket thumbnails read `original`.
        original=variants[largest]["jpeg"],
        error="",
        source="",
    )
    # (ProductImage's queryset updates reach catalog.receivers: the pages showing
    # the placeholder go stale.)
    if not updated:  # another run finished first, or the photo was deleted
        _delete_quietly(default_storage, saved)
    _delete_quietly(sources, [image.source])


# --- reading --------------------------------------------------------------------


def photo_url(image, size: str = "list", fmt: str = "jpeg") -> str | None:
    """URL of a READY photo at a size ("list", "detail", "zoom") and format
    ("webp", "jpeg"); photos without variants (seeded demo pictures) give their
    original's URL; anything else None."""
    if getattr(image, "state", None) != ProductImage.State.READY:
        return None
    variant = (image.variants or {}).get(size)
    if variant and variant.get(fmt):
        return default_storage.url(variant[fmt])
    if image.original:
        return image.original.url
    return None
