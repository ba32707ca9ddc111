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

import io
import logging
import math
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable
from PIL import ExifTags, Image, ImageCms

from marketplace.persian import to_persian_digits

from .models import ProductImage
from .storage import photo_source_storage

logger = logging.getLogger(__name__)

try:  # HEIC/HEIF (iPhones' default) through pillow-heif's Pillow plugin.
    from pillow_heif import register_heif_opener
except ImportError:  # pragma: no cover - pillow-heif is in requirements.txt
    HEIF_SUPPORTED = False
else:
    register_heif_opener()
    HEIF_SUPPORTED = True

# --- formats ------------------------------------------------------------------

# Our format name → the Pillow plugins allowed to open it. Nothing else in Pillow
# (TIFF, BMP, PSD, EPS, ...) ever sees an upload.
_PILLOW_FORMATS = {
    "jpeg": ["JPEG"],  # phones' multi-picture JPEGs (MPO) come through this one too
    "png": ["PNG"],
    "webp": ["WEBP"],
    "heic": ["HEIF"],
}
# ISO BMFF major brands of HEIF images (HEVC-coded or the generic image brands).
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


def photo_sniff(head: bytes) -> str | None:
    """The real format of a file from its first 12 bytes, or None if not accepted.

    Text, SVG/XML, GIF, PDF, TIFF, executables, archives: all None.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heic" if HEIF_SUPPORTED else None
    return None


# --- errors -------------------------------------------------------------------


class PhotoRejected(ValueError):
    """An upload we will not (or could not) turn into product pictures.

    `code` is for programs (`too_large`, `not_image`, `too_many_pixels`,
    `corrupt`, `empty`, `failed`); `message` is the Persian text for the seller.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _accepted_formats() -> str:
    names = ["JPEG", "PNG", "WebP"] + (["HEIC"] if HEIF_SUPPORTED else [])
    return "، ".join(names[:-1]) + " و " + names[-1]


def _rejected(code: str) -> PhotoRejected:
    max_mb = to_persian_digits(settings.PRODUCT_PHOTO_MAX_BYTES // (1024 * 1024))
    max_mp = to_persian_digits(settings.PRODUCT_PHOTO_MAX_PIXELS // 1_000_000)
    messages = {
        "empty": "این فایل خالی است. لطفاً عکس را دوباره انتخاب کنید.",
        "too_large": f"حجم هر عکس باید حداکثر {max_mb} مگابایت باشد. لطفاً عکس کوچک‌تری بفرستید.",
        "not_image": f"این فایل عکس نیست یا قالب آن پذیرفته نمی‌شود. عکس‌های {_accepted_formats()} پذیرفته می‌شوند.",
        "too_many_pixels": f"ابعاد این عکس بیش از حد بزرگ است (بیش از {max_mp} مگاپیکسل). لطفاً عکس کوچک‌تری بفرستید.",
        "corrupt": "فایل این عکس ناقص یا خراب است. لطفاً عکس را دوباره از گوشی بفرستید.",
        "failed": "آماده‌سازی این عکس ممکن نشد. لطفاً آن را حذف کنید و دوباره بفرستید.",
    }
    return PhotoRejected(code, messages[code])


# --- opening with the caps ------------------------------------------------------


@contextmanager
def _bomb_guard() -> Iterator[None]:
    """Pillow's decompression-bomb warning is an error here, and every failure of
    a decoder on untrusted bytes becomes a `PhotoRejected`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _rejected("too_many_pixels") from exc
    except MemoryError as exc:
        raise _rejected("too_many_pixels") from exc
    # The first bytes said JPEG, PNG, WebP or HEIC, so a file its decoder cannot
    # read (UnidentifiedImageError, OSError, SyntaxError, struct.error, ...) is
    # a broken one: most often an upload cut short.
    except Exception as exc:
        logger.info("photo decoder error: %r", exc)
        raise _rejected("corrupt") from exc


@contextmanager
def _open(fp: IO[bytes], fmt: str) -> Iterator[Image.Image]:
    """Open (header only, nothing decoded yet) with only the plugin of `fmt`,
    and refuse more pixels than PRODUCT_PHOTO_MAX_PIXELS."""
    with _bomb_guard():
        img = Image.open(fp, formats=_PILLOW_FORMATS[fmt])
    # Leaving closes the file only if Pillow opened it (never the caller's);
    # the pixels go when the last reference to `img` does.
    with img:
        width, height = img.size
        if width < 1 or height < 1:
            raise _rejected("corrupt")
        if width * height > settings.PRODUCT_PHOTO_MAX_PIXELS:
            raise _rejected("too_many_pixels")
        yield img


def _file_size(uploaded_file) -> int:
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, io.SEEK_END)
        size = uploaded_file.tell()
    return int(size)


def photo_check_upload(uploaded_file) -> str:
    """Validate an upload before it is stored; return its real format
    (`jpeg`, `png`, `webp` or `heic`), or raise `PhotoRejected`.

    Memory stays bounded: the size is read from `.size` (nothing is read from a
    file over the cap), the pixel cap from the header (nothing is decoded for a
    decompression bomb), and a JPEG's integrity is checked by decoding it at 1/8
    scale (a 12 MP photo costs about 15 ms and 1 MB), a PNG's by its chunks'
    checksums. WebP and HEIC decoders parse the whole file (at most the size
    cap) when opening it, which catches most broken ones; whatever still fails
    to decode ends FAILED in `photo_process`.
    """
    size = _file_size(uploaded_file)
    if size == 0:
        raise _rejected("empty")
    if size > settings.PRODUCT_PHOTO_MAX_BYTES:
        raise _rejected("too_large")
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    fmt = photo_sniff(head)
    if fmt is None:
        raise _rejected("not_image")
    uploaded_file.seek(0)
    try:
        with _open(uploaded_file, fmt) as img, _bomb_guard():
            if fmt == "jpeg":
                width, height = img.size
                img.draft(None, (max(1, width // 8), max(1, height // 8)))
                img.load()
            elif fmt == "png":
                img.verify()  # every chunk's CRC, up to IEND; no decompression
    finally:
        uploaded_file.seek(0)
    return fmt


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


@dataclass(frozen=True)
class PhotoVariant:
    """One size of a processed photo, encoded twice."""

    width: int
    height: int
    webp: bytes
    jpeg: bytes


# EXIF orientation → the transpose that makes the picture upright (the table of
# `ImageOps.exif_transpose`; applied here after shrinking, which is cheaper and
# gives the same result because the sizes cap the longest side).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_WHITE = (255, 255, 255)
# Modes Pillow resizes well as they are (not palette, no alpha).
_SHRINK_FIRST = {"L", "RGB", "CMYK", "I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _orientation(img: Image.Image) -> int:
    try:
        value = img.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:  # a broken EXIF block must not cost the seller her photo
        return 1
    return value if value in _UPRIGHT else 1


def _draft_box(size: tuple[int, int], longest: int) -> tuple[int, int] | None:
    """The smallest size a JPEG may be decoded at and still give `longest`."""
    scale = max(size) / longest
    if scale < 2:
        return None
    return (max(1, math.ceil(size[0] / scale)), max(1, math.ceil(size[1] / scale)))


def _eight_bit_opaque(img: Image.Image) -> Image.Image:
    """L, RGB or CMYK, 8 bits, transparency flattened on white."""
    if img.mode in ("I", "I;16", "I;16L", "I;16B", "I;16N"):  # 16-bit grey PNG
        img = img.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif img.mode in ("1", "F"):
        img = img.convert("L")
    elif img.mode in ("P", "PA"):
        img = img.convert("RGBA" if img.has_transparency_data else "RGB")
    if img.has_transparency_data:
        grey = img.mode in ("LA", "La", "L")
        with_alpha = "LA" if grey else "RGBA"
        if img.mode != with_alpha:
            img = img.convert(with_alpha)
        base = Image.new(with_alpha[:-1], img.size, 255 if grey else _WHITE)
        base.paste(img, mask=img)  # the alpha band is the mask: no extra copy
        img = base
    if img.mode not in ("L", "RGB", "CMYK"):
        img = img.convert("RGB")
    return img


@lru_cache(maxsize=16)
def _transform_to_srgb(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform:
    source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    return ImageCms.buildTransform(source, _SRGB, mode, "RGB")


def _to_srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """8-bit sRGB, without a profile: converted through the embedded ICC profile
    (Display P3 from iPhones, Adobe RGB from cameras, a CMYK press profile) when
    there is one, by Pillow's plain conversion otherwise."""
    if icc:
        try:
            return ImageCms.applyTransform(img, _transform_to_srgb(icc, img.mode))
        except Exception as exc:  # unreadable profile, or not for this mode
            logger.info("photo: ICC profile not usable (%r); plain conversion", exc)
    return img if img.mode == "RGB" else img.convert("RGB")


def _fit(img: Image.Image, longest: int) -> Image.Image:
    """Shrink so the longest side is at most `longest`; never enlarge."""
    width, height = img.size
    scale = longest / max(width, height)
    if scale >= 1:
        return img
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return img.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(img: Image.Image, fmt: str) -> bytes:
    """Encode with no metadata: Pillow copies some of `info` (a JPEG comment)
    into the output, so `info` is emptied, and no exif/icc/xmp is passed."""
    img.info = {}
    buffer = io.BytesIO()
    if fmt == "JPEG":
        img.save(
            buffer,
            "JPEG",
            quality=settings.PRODUCT_PHOTO_JPEG_QUALITY,
            optimize=True,
            progressive=True,
        )
    else:
        # method 2: half the time of the default 4 for files about 2 % larger.
        img.save(buffer, "WEBP", quality=settings.PRODUCT_PHOTO_WEBP_QUALITY, method=2)
    return buffer.getvalue()


def photo_render(fp: IO[bytes]) -> dict[str, PhotoVariant]:
    """Raw photo bytes → clean WebP and JPEG bytes at each PRODUCT_PHOTO_SIZES.

    Pure (no database, no storage), so the benchmark can time it alone. Raises
    `PhotoRejected` for anything it cannot or will not decode.
    """
    sizes = sorted(settings.PRODUCT_PHOTO_SIZES.items(), key=lambda kv: -kv[1])
    largest = sizes[0][1]
    fp.seek(0)
    fmt = photo_sniff(fp.read(16))
    if fmt is None:
        raise _rejected("not_image")
    fp.seek(0)
    with _open(fp, fmt) as img, _bomb_guard():
        if fmt == "jpeg" and (box := _draft_box(img.size, largest)):
            img.draft(None, box)  # decode at 1/2, 1/4 or 1/8 scale
        img.load()
        icc = img.info.get("icc_profile")
        orientation = _orientation(img)
        if img.mode in _SHRINK_FIRST and not img.has_transparency_data:
            picture = _eight_bit_opaque(_fit(img, largest))  # 16-bit: fewer pixels
        else:  # palette and transparency are dealt with at full size
            picture = _fit(_eight_bit_opaque(img), largest)
    del img  # the full decoded image is not needed any more
    if orientation in _UPRIGHT:
        picture = picture.transpose(_UPRIGHT[orientation])
    picture = _to_srgb(picture, icc)
    variants = {}
    for name, longest in sizes:
        picture = _fit(picture, longest)
        variants[name] = PhotoVariant(
            width=picture.width,
            height=picture.height,
            webp=_encode(picture, "WEBP"),
            jpeg=_encode(picture, "JPEG"),
        )
    return variants


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
                    f"products/{key[:2]}/{key}-{name}.{ext}", ContentFile(data)
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
