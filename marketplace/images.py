"""The one pipeline every uploaded image goes through (product photos, booth
logos, Wagtail images, anything later).

1. `image_check_upload`, synchronous and cheap, where the upload arrives (a form,
   a validator): the size cap (from `.size`, before anything is read), the real
   format from the first bytes (never the name or the MIME type), the pixel cap
   from the header (before any decoding), a quick integrity check, and for PNG
   a cap on its text chunks (a small file whose text inflates to hundreds of
   megabytes). Raises `ImageRejected`, whose `.message` is the Persian text to
   show.
2. `image_render`, where the pixels are made (a Celery task for product photos,
   in the request for a logo, the media storage for anything else): decodes
   with the pixel cap again (JPEGs in draft mode), applies the EXIF
   orientation, flattens transparency on white, converts to 8-bit sRGB, and
   encodes WebP and/or JPEG at the sizes asked for with **no metadata at all**
   (no EXIF, GPS, XMP, ICC profile or comment).
3. Names are random (`image_name`): nothing of the uploader's file name, nor the
   seller's or product's, is kept.

`marketplace.storage.MediaStorage` (the default storage) makes this hold for
every `FileField` and `ImageField`: an image that did not come out of
`image_render` is put through it when saved (`tests/marketplace/
test_upload_fields.py` walks every field). The caps are
PRODUCT_PHOTO_MAX_BYTES and PRODUCT_PHOTO_MAX_PIXELS, the same for every image.
"""

from __future__ import annotations

import io
import logging
import math
import struct
import uuid
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import ExifTags, Image, ImageCms

from marketplace.persian import to_persian_digits

logger = logging.getLogger(__name__)

try:  # HEIC/HEIF (iPhones' default) through pillow-heif's Pillow plugin.
    from pillow_heif import register_heif_opener
except ImportError:  # pragma: no cover - pillow-heif is in requirements.txt
    HEIF_SUPPORTED = False
else:
    register_heif_opener()
    HEIF_SUPPORTED = True

# --- formats ------------------------------------------------------------------

#: The file picker's filter (`<input type=file accept=…>`). `image/*` alone hides
#: HEIC on desktop browsers, which do not know its type: a seller who copied her
#: iPhone photos to a computer could not pick them.
IMAGE_ACCEPT = "image/*,.heic,.heif,image/heic,image/heif"

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


def image_sniff(head: bytes) -> str | None:
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


class ImageRejected(ValueError):
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


def image_rejected(code: str) -> ImageRejected:
    """The `ImageRejected` for `code`, with its Persian message."""
    max_mb = to_persian_digits(settings.PRODUCT_PHOTO_MAX_BYTES // (1024 * 1024))
    max_mp = to_persian_digits(settings.PRODUCT_PHOTO_MAX_PIXELS // 1_000_000)
    messages = {
        "empty": "این فایل خالی است. لطفاً عکس را دوباره انتخاب کنید.",
        "too_large": f"حجم هر عکس باید حداکثر {max_mb} مگابایت باشد. لطفاً عکس کوچک‌تری بفرستید.",
        "not_image": f"این فایل عکس نیست یا قالب آن پذیرفته نمی‌شود. عکس‌های {_accepted_formats()} پذیرفته می‌شوند.",
        "too_many_pixels": f"ابعاد این عکس بیش از حد بزرگ است (بیش از {max_mp} مگاپیکسل). لطفاً عکس کوچک‌تری بفرستید.",
        "corrupt": "فایل این عکس ناقص یا خراب است. لطفاً عکس را دوباره از گوشی بفرستید.",
        "too_much_text": "این عکس بیش از اندازه اطلاعات متنی پنهان دارد و پذیرفته نمی‌شود. لطفاً از خود عکس یک نسخهٔ تازه (مثلاً با گرفتن تصویر از صفحه) بفرستید.",
        "failed": "آماده‌سازی این عکس ممکن نشد. لطفاً آن را حذف کنید و دوباره بفرستید.",
    }
    return ImageRejected(code, messages[code])


# --- opening with the caps ------------------------------------------------------


@contextmanager
def _bomb_guard() -> Iterator[None]:
    """Pillow's decompression-bomb warning is an error here, and every failure of
    a decoder on untrusted bytes becomes a `ImageRejected`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise image_rejected("too_many_pixels") from exc
    except MemoryError as exc:
        raise image_rejected("too_many_pixels") from exc
    # The first bytes said JPEG, PNG, WebP or HEIC, so a file its decoder cannot
    # read (UnidentifiedImageError, OSError, SyntaxError, struct.error, ...) is
    # a broken one: most often an upload cut short.
    except Exception as exc:
        logger.info("photo decoder error: %r", exc)
        raise image_rejected("corrupt") from exc


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
            raise image_rejected("corrupt")
        if width * height > settings.PRODUCT_PHOTO_MAX_PIXELS:
            raise image_rejected("too_many_pixels")
        yield img


def _file_size(uploaded_file) -> int:
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, io.SEEK_END)
        size = uploaded_file.tell()
    return int(size)


def image_check_upload(uploaded_file) -> str:
    """Validate an upload before it is stored; return its real format
    (`jpeg`, `png`, `webp` or `heic`), or raise `ImageRejected`.

    Memory stays bounded: the size is read from `.size` (nothing is read from a
    file over the cap), the pixel cap from the header (nothing is decoded for a
    decompression bomb), and a JPEG's integrity is checked by decoding it at 1/8
    scale (a 12 MP photo costs about 15 ms and 1 MB), a PNG's by its chunks'
    checksums. WebP and HEIC decoders parse the whole file (at most the size
    cap) when opening it, which catches most broken ones; whatever still fails
    to decode fails in `image_render`.
    """
    size = _file_size(uploaded_file)
    if size == 0:
        raise image_rejected("empty")
    if size > settings.PRODUCT_PHOTO_MAX_BYTES:
        raise image_rejected("too_large")
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    fmt = image_sniff(head)
    if fmt is None:
        raise image_rejected("not_image")
    uploaded_file.seek(0)
    try:
        with _open(uploaded_file, fmt) as img, _bomb_guard():
            if fmt == "jpeg":
                width, height = img.size
                img.draft(None, (max(1, width // 8), max(1, height // 8)))
                img.load()
            elif fmt == "png":
                img.verify()  # every chunk's CRC, up to IEND; no decompression
        if fmt == "png":
            uploaded_file.seek(0)
            _check_png_text(uploaded_file)
    finally:
        uploaded_file.seek(0)
    return fmt


#: Text a PNG may carry in all its tEXt/zTXt/iTXt chunks, inflated. Pillow
#: refuses more than 1 MB per chunk when decoding (MAX_TEXT_CHUNK), which used to
#: surface only later, as a "broken file".
PNG_MAX_TEXT_BYTES = 256 * 1024
_PNG_TEXT_CHUNKS = {b"tEXt", b"zTXt", b"iTXt"}


def _inflated_size(data: bytes, budget: int) -> int:
    """How many bytes `data` inflates to, counting no further than `budget + 1`."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, budget + 1)
    except zlib.error as exc:
        raise image_rejected("corrupt") from exc
    return len(out)


def _check_png_text(fp: IO[bytes]) -> None:
    """Walk the PNG's chunks (headers only, text chunks read) and refuse one
    whose text, inflated, is over PNG_MAX_TEXT_BYTES."""
    fp.seek(8)
    total = 0
    while True:
        header = fp.read(8)
        if len(header) < 8:
            return
        length, kind = struct.unpack(">I4s", header)
        if kind == b"IEND":
            return
        if kind not in _PNG_TEXT_CHUNKS:
            fp.seek(length + 4, io.SEEK_CUR)
            continue
        data = fp.read(length)
        fp.seek(4, io.SEEK_CUR)
        if kind == b"tEXt":
            total += len(data)
        elif kind == b"zTXt":
            _, _, rest = data.partition(b"\0")
            total += _inflated_size(rest[1:], PNG_MAX_TEXT_BYTES - total)
        else:  # iTXt: keyword\0 flag method language\0 translated\0 text
            _, _, rest = data.partition(b"\0")
            compressed, rest = rest[:1] == b"\1", rest[2:]
            for _ in range(2):
                _, _, rest = rest.partition(b"\0")
            if compressed:
                total += _inflated_size(rest, PNG_MAX_TEXT_BYTES - total)
            else:
                total += len(rest)
        if total > PNG_MAX_TEXT_BYTES:
            raise image_rejected("too_much_text")


# --- processing ---------------------------------------------------------------


@dataclass(frozen=True)
class ImageVariant:
    """One size of a processed image, in each format asked for (b"" otherwise)."""

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


def image_render(
    fp: IO[bytes],
    sizes: dict[str, int],
    formats: tuple[str, ...] = ("webp", "jpeg"),
) -> dict[str, ImageVariant]:
    """Raw image bytes → clean WebP and/or JPEG bytes at each of `sizes` (name →
    longest side; never enlarged).

    Pure (no database, no storage), so the benchmark can time it alone. Raises
    `ImageRejected` for anything it cannot or will not decode.
    """
    sizes = sorted(sizes.items(), key=lambda kv: -kv[1])
    largest = sizes[0][1]
    fp.seek(0)
    fmt = image_sniff(fp.read(16))
    if fmt is None:
        raise image_rejected("not_image")
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
        variants[name] = ImageVariant(
            width=picture.width,
            height=picture.height,
            webp=_encode(picture, "WEBP") if "webp" in formats else b"",
            jpeg=_encode(picture, "JPEG") if "jpeg" in formats else b"",
        )
    return variants


# --- names and clean files ------------------------------------------------------


class CleanImage(ContentFile):
    """Bytes that came out of `image_render`: the media storage saves them as
    they are. Nothing else should make one."""


def image_name(directory: str, ext: str, suffix: str = "") -> str:
    """A random storage name, `<directory>/<2 hex>/<32 hex><suffix>.<ext>`: it says
    nothing about who uploaded it or what it shows."""
    key = uuid.uuid4().hex
    return f"{directory.strip('/')}/{key[:2]}/{key}{suffix}.{ext}"


#: The longest side an image that is not a product photo is kept at.
IMAGE_MAX_SIDE = 2400


def image_clean(fp: IO[bytes], *, longest: int = IMAGE_MAX_SIDE) -> CleanImage:
    """One clean JPEG of `fp` (checked, upright, sRGB, no metadata), at most
    `longest` pixels on its longest side. Raises `ImageRejected`."""
    image_check_upload(fp)
    variant = image_render(fp, {"clean": longest}, formats=("jpeg",))["clean"]
    return CleanImage(variant.jpeg)
