"""Generated photos for the photo pipeline tests: phone photos, and bad uploads.

Everything is made here with Pillow (and pillow-heif for HEIC); no binary file is
checked in. Big samples are cached per process, since several tests read them.
Also: readers of the output bytes (JPEG segments, WebP chunks) and a peak-memory
probe.
"""

from __future__ import annotations

import ctypes
import gc
import io
import re
import struct
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from PIL import ExifTags, Image, ImageDraw, ImageOps

RED = (220, 20, 20)
BLUE = (20, 40, 220)
# Where the seller's home is: the GPS position that must never leave the server.
HOME_LATITUDE = (35.0, 41.0, 22.2)
HOME_LONGITUDE = (51.0, 23.0, 21.6)


# --- phone photos ---------------------------------------------------------------


def scene(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A photo-like picture (smooth shapes, a little grain) as the sensor stored
    it, with a red block in its top-left corner and a blue one in its bottom-left
    corner, so a test can tell which way up the output is."""
    width, height = size
    red = Image.linear_gradient("L").resize(size)
    green = Image.radial_gradient("L").resize(size)
    grain = Image.effect_noise((max(1, width // 8), max(1, height // 8)), 24)
    picture = Image.merge("RGB", (red, green, grain.resize(size)))
    draw = ImageDraw.Draw(picture)
    step = max(1, width // 40)
    for i in range(30):
        x, y = i * step * 2, (i * step * 3) % max(1, height)
        draw.ellipse(
            (x, y, x + width // 6, y + height // 6), fill=(i * 8, 120, 200 - i * 5)
        )
    block = (width // 5, height // 5)
    draw.rectangle((0, 0, block[0], block[1]), fill=RED)
    draw.rectangle((0, height - block[1], block[0], height), fill=BLUE)
    return picture if mode == "RGB" else picture.convert(mode)


def phone_exif(orientation: int = 6, gps: bool = True) -> Image.Exif:
    """EXIF as a phone writes it: orientation, make and model, date, GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "samsung"
    exif[ExifTags.Base.Model] = "SM-A525F"
    exif[ExifTags.Base.DateTime] = "2024:03:05 10:20:30"
    exif[ExifTags.Base.Artist] = "Niloofar Ahmadi"
    if gps:
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef] = "N"
        info[ExifTags.GPS.GPSLatitude] = HOME_LATITUDE
        info[ExifTags.GPS.GPSLongitudeRef] = "E"
        info[ExifTags.GPS.GPSLongitude] = HOME_LONGITUDE
    return exif


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="35,41.37N" exif:GPSLongitude="51,23.36E"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


@lru_cache(maxsize=8)
def phone_jpeg(
    size: tuple[int, int] = (4000, 3000), orientation: int = 6, gps: bool = True
) -> bytes:
    """A phone JPEG: 12 MP by default, stored sideways with EXIF Orientation 6
    (display rotated 90° clockwise), GPS in EXIF and XMP, and a comment."""
    buffer = io.BytesIO()
    scene(size).save(
        buffer,
        "JPEG",
        quality=90,
        exif=phone_exif(orientation, gps),
        xmp=XMP,
        comment=b"Niloofar's kitchen, Tehranpars",
    )
    return buffer.getvalue()


def upload(data: bytes, name: str = "IMG_20240305_102030.jpg", content_type=None):
    return SimpleUploadedFile(name, data, content_type=content_type or "image/jpeg")


# --- other accepted inputs ------------------------------------------------------


def png_with_alpha(size=(600, 400)) -> bytes:
    """Transparent everywhere except a red square in the middle."""
    picture = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(picture).rectangle(
        (size[0] // 3, size[1] // 3, 2 * size[0] // 3, 2 * size[1] // 3),
        fill=RED + (255,),
    )
    return _png(picture)


def png_16bit_grey(size=(300, 200), value=0x8000) -> bytes:
    """A 16-bit greyscale PNG at mid grey (0x8000 of 0xFFFF)."""
    return _png(Image.new("I;16", size, value))


def cmyk_jpeg(size=(800, 600)) -> bytes:
    """A CMYK JPEG (as from a print shop's scanner), pure red in CMYK."""
    buffer = io.BytesIO()
    Image.new("CMYK", size, (0, 255, 255, 0)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def webp_photo(size=(1200, 900), orientation: int = 6) -> bytes:
    buffer = io.BytesIO()
    scene(size).save(
        buffer, "WEBP", quality=85, exif=phone_exif(orientation).tobytes(), xmp=XMP
    )
    return buffer.getvalue()


def heic_photo(size=(1200, 900), orientation: int = 6) -> bytes:
    """A HEIC as an iPhone writes it (needs pillow-heif)."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    scene(size).save(buffer, "HEIF", quality=80, exif=phone_exif(orientation).tobytes())
    return buffer.getvalue()


def _s15f16(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + _s15f16(x) + _s15f16(y) + _s15f16(z)


@lru_cache(maxsize=1)
def adobe_rgb_icc() -> bytes:
    """An ICC v2 matrix/TRC profile with the Adobe RGB (1998) primaries and
    gamma (563/256), built by hand: a wide-gamut profile a camera embeds."""
    ascii_name = b"Adobe RGB (1998) compatible\0"
    desc = (
        b"desc\0\0\0\0"
        + struct.pack(">I", len(ascii_name))
        + ascii_name
        + struct.pack(">II", 0, 0)
        + struct.pack(">HB", 0, 0)
        + b"\0" * 67
    )
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 563) + b"\0\0"
    tags = [
        (b"desc", desc),
        (b"cprt", b"text\0\0\0\0public domain test profile\0"),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(0.6097, 0.3111, 0.0195)),
        (b"gXYZ", _xyz(0.2053, 0.6257, 0.0609)),
        (b"bXYZ", _xyz(0.1492, 0.0632, 0.7446)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = bytearray(128)
    header[0:4] = struct.pack(">I", size)
    header[8:12] = struct.pack(">I", 0x02100000)
    header[12:16] = b"mntr"
    header[16:20] = b"RGB "
    header[20:24] = b"XYZ "
    header[24:36] = struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
    header[36:40] = b"acsp"
    header[68:80] = _s15f16(0.9642) + _s15f16(1.0) + _s15f16(0.8249)
    return bytes(header) + struct.pack(">I", len(tags)) + table + data


ADOBE_GREEN = (60, 180, 75)


def adobe_rgb_jpeg(size=(400, 300)) -> bytes:
    """A flat colour tagged with the Adobe RGB profile."""
    buffer = io.BytesIO()
    Image.new("RGB", size, ADOBE_GREEN).save(
        buffer, "JPEG", quality=95, icc_profile=adobe_rgb_icc()
    )
    return buffer.getvalue()


# --- bad uploads ----------------------------------------------------------------


def text_as_jpg() -> bytes:
    return "این یک فایل متنی است، نه عکس.\n".encode() * 40


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" '
    b'height="100"><script>fetch("/account/")</script>'
    b'<rect width="100" height="100" fill="red"/></svg>'
)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body))
        + kind
        + body
        + struct.pack(">I", zlib.crc32(kind + body))
    )


@lru_cache(maxsize=2)
def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A valid 1-bit PNG of width × height white pixels that is a few hundred KB on
    disk (30000² = 900 million pixels, 3.4 GB as RGBA): a decompression bomb.
    Written chunk by chunk, so making it needs little memory either."""
    row = b"\0" + b"\xff" * ((width + 7) // 8)  # filter byte, then the pixels
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row * 64) for _ in range(height // 64)]
    parts.append(compressor.compress(row * (height % 64)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    """A real phone JPEG cut in half (an upload that broke off)."""
    data = phone_jpeg((2000, 1500), 1)
    return data[: len(data) // 2]


def big_file(directory: Path, megabytes: int = 30) -> UploadedFile:
    """A `megabytes` MB upload on disk (sparse: no memory, little disk), starting
    like a real JPEG, as Django hands a large upload to a view."""
    path = directory / "big.jpg"
    with path.open("wb") as out:
        out.write(phone_jpeg((2000, 1500), 1))
        out.truncate(megabytes * 1024 * 1024)
    handle = path.open("rb")
    return UploadedFile(
        handle, name="big.jpg", content_type="image/jpeg", size=path.stat().st_size
    )


def _png(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


# --- reading the output ---------------------------------------------------------


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of every segment before the image data (up to SOS)."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    segments, i = [], 2
    while i < len(data):
        assert data[i] == 0xFF, f"bad marker at {i}"
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        segments.append((marker, data[i + 4 : i + 2 + length]))
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        i += 2 + length
    return segments


def webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(four-letter name, payload) of a WebP's RIFF chunks."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP", "not a WebP"
    chunks, i = [], 12
    while i + 8 <= len(data):
        kind = data[i : i + 4]
        length = struct.unpack("<I", data[i + 4 : i + 8])[0]
        chunks.append((kind, data[i + 8 : i + 8 + length]))
        i += 8 + length + (length & 1)
    return chunks


# --- which way up, and what metadata is left -----------------------------------


def colour(pixel) -> str:
    for label, reference in (("red", RED), ("blue", BLUE)):
        if all(abs(a - b) < 60 for a, b in zip(pixel[:3], reference, strict=True)):
            return label
    return "other"


def corners(picture: Image.Image) -> dict[str, str]:
    picture = picture.convert("RGB")
    w, h = picture.size
    dx, dy = max(1, w // 20), max(1, h // 20)
    points = {
        "top_left": (dx, dy),
        "top_right": (w - 1 - dx, dy),
        "bottom_left": (dx, h - 1 - dy),
        "bottom_right": (w - 1 - dx, h - 1 - dy),
    }
    return {name: colour(picture.getpixel(point)) for name, point in points.items()}


def upright_reference(data: bytes) -> dict[str, str]:
    """Where the red and blue blocks must be: Pillow's own exif_transpose."""
    return corners(ImageOps.exif_transpose(Image.open(io.BytesIO(data))))


def assert_no_metadata(data: bytes, fmt: str) -> None:
    """Read the bytes themselves: nothing but pixels and what decoding needs."""
    if fmt == "jpeg":
        segments = jpeg_segments(data)
        # Only JFIF (APP0), tables, frame and scan: no APP1 (EXIF, XMP), APP2
        # (ICC), APP13 (Photoshop, IPTC), other APPn, or COM (comment).
        markers = {marker for marker, _ in segments}
        assert markers <= {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD, 0xDA}, markers
        outside_pixels = b"".join(payload for _, payload in segments)
    else:
        chunks = webp_chunks(data)
        assert not {kind for kind, _ in chunks} & {b"EXIF", b"XMP ", b"ICCP"}
        outside_pixels = b"".join(
            payload for kind, payload in chunks if kind not in {b"VP8 ", b"VP8L"}
        )
    for clue in (b"Exif", b"GPS", b"xmpmeta", b"ICC_PROFILE", b"samsung", b"Niloofar"):
        assert clue not in outside_pixels, clue
    picture = Image.open(io.BytesIO(data))
    assert not picture.getexif()
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(picture.info)


# --- memory -----------------------------------------------------------------------


def _status_kb(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE).group(1))


def peak_rss_growth_mb(action: Callable[[], object]) -> float:
    """How far the process's resident memory rose above its level before
    `action`, at its peak while `action` ran. Counts what C code allocates too
    (Pillow's pixels), which tracemalloc does not see. Linux and glibc: memory
    freed by earlier tests is first handed back to the system (malloc_trim), or
    `action` would reuse it unseen; the peak is reset through
    /proc/self/clear_refs."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM)
    before = _status_kb("VmRSS")
    action()
    return (_status_kb("VmHWM") - before) / 1024


def png_with_text_bomb(inflated_mb: int = 200) -> bytes:
    """A small valid PNG with a zTXt chunk that inflates to `inflated_mb` MB,
    placed after the pixels (so opening the header does not read it)."""
    small = io.BytesIO()
    scene((64, 48)).save(small, "PNG")
    data = small.getvalue()
    compressor = zlib.compressobj(9)
    block = b"A" * (1024 * 1024)
    text = b"".join(compressor.compress(block) for _ in range(inflated_mb))
    text += compressor.flush()
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + _chunk(b"zTXt", b"Comment\0\0" + text) + data[iend:]
