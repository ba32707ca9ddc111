"""Time the photo pipeline per photo, and its peak memory.

    python manage.py photo_bench                 # generated phone photos
    python manage.py photo_bench a.jpg b.heic    # your own files
    python manage.py photo_bench --repeat 10

Times `catalog.photos.photo_render` (decode, orientation, sRGB, every size in
WebP and JPEG): what the Celery task spends per photo, less a few milliseconds
of file writes and one UPDATE. No database is touched. Memory is the peak growth
of the process's resident set while one photo is rendered (Linux only).
"""

from __future__ import annotations

import ctypes
import gc
import io
import re
import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from PIL import ExifTags, Image, ImageDraw

from catalog.photos import (
    HEIF_SUPPORTED,
    PhotoRejected,
    photo_check_upload,
    photo_render,
)


def _scene(size: tuple[int, int]) -> Image.Image:
    """A photo-like picture: gradients, grain, shapes (compresses like a photo)."""
    width, height = size
    grain = Image.effect_noise((max(1, width // 8), max(1, height // 8)), 24)
    picture = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(size),
            Image.radial_gradient("L").resize(size),
            grain.resize(size),
        ),
    )
    draw = ImageDraw.Draw(picture)
    for i in range(30):
        x, y = i * width // 20, (i * height // 13) % height
        draw.ellipse((x, y, x + width // 6, y + height // 6), fill=(i * 8, 120, 90))
    return picture


def _phone_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitude] = (35.0, 41.0, 22.2)
    gps[ExifTags.GPS.GPSLongitude] = (51.0, 23.0, 21.6)
    return exif


def _generated() -> list[tuple[str, bytes]]:
    samples = []
    for label, size in (("12 MP JPEG", (4000, 3000)), ("3 MP JPEG", (2000, 1500))):
        buffer = io.BytesIO()
        _scene(size).save(buffer, "JPEG", quality=90, exif=_phone_exif())
        samples.append((f"{label}, rotated, GPS", buffer.getvalue()))
    buffer = io.BytesIO()
    _scene((4000, 3000)).save(buffer, "PNG", compress_level=1)
    samples.append(("12 MP PNG", buffer.getvalue()))
    if HEIF_SUPPORTED:
        buffer = io.BytesIO()
        _scene((4032, 3024)).save(buffer, "HEIF", quality=80, exif=_phone_exif())
        samples.append(("12 MP HEIC", buffer.getvalue()))
    return samples


class _Upload(io.BytesIO):
    """What Django hands a view: a file with its `.size`."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.size = len(data)


def _peak_rss_growth_mb(action) -> float | None:
    status = Path("/proc/self/status")

    def read(field: str) -> int:
        return int(re.search(rf"^{field}:\s+(\d+)", status.read_text(), re.M)[1])

    try:
        gc.collect()
        # Hand memory freed earlier back to the system, or the photo would
        # reuse it unseen (glibc).
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        Path("/proc/self/clear_refs").write_text("5")
        before = read("VmRSS")
    except OSError:
        return None
    action()
    return (read("VmHWM") - before) / 1024


class Command(BaseCommand):
    help = "Time the product photo pipeline per photo (and its peak memory)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="photos to time")
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, files, repeat, **options):
        if files:
            samples = [(name, Path(name).read_bytes()) for name in files]
        else:
            self.stdout.write("Generating phone photos...")
            samples = _generated()
        repeat = max(1, repeat)
        for label, data in samples:
            try:
                photo_check_upload(_Upload(data))
            except PhotoRejected as rejected:
                self.stdout.write(
                    f"{label}: refused ({rejected.code}): {rejected.message}"
                )
                continue
            memory = _peak_rss_growth_mb(
                lambda data=data: photo_render(io.BytesIO(data))
            )
            check, render = [], []
            for _ in range(repeat):
                upload = _Upload(data)
                started = time.perf_counter()
                photo_check_upload(upload)
                check.append(time.perf_counter() - started)
                started = time.perf_counter()
                variants = photo_render(io.BytesIO(data))
                render.append(time.perf_counter() - started)
            written = sum(len(v.webp) + len(v.jpeg) for v in variants.values())
            zoom = max(variants.values(), key=lambda v: v.width * v.height)
            peak = "n/a" if memory is None else f"+{memory:.0f} MB"
            self.stdout.write(
                f"{label}: {len(data) / 1e6:.1f} MB in; "
                f"check {statistics.median(check) * 1000:.0f} ms, "
                f"processing {statistics.median(render) * 1000:.0f} ms per photo "
                f"(median of {repeat}, best {min(render) * 1000:.0f} ms); "
                f"peak memory {peak}; out: {len(variants) * 2} files, "
                f"{written / 1024:.0f} KB, zoom {zoom.width}x{zoom.height} "
                f"JPEG {len(zoom.jpeg) / 1024:.0f} KB"
            )
