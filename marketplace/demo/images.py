"""Demo pictures for `manage.py seed_demo`, drawn with Pillow.

Rules:
- Product pictures form a small shared pool (default 48, one motif per trade on soft
  colour backgrounds), written once under `products/` in the default storage and
  then only referenced by name; nothing is copied per product.
- File names are hashes: they say nothing about a seller, a programme or a trade.
- The same index always draws the same picture, so re-runs find the files in
  place and write nothing. Rendered bytes are also kept in memory for the life
  of the process (about 1 MB for 48 pictures), so seeding several media roots in
  one process (the tests) draws each picture once.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from PIL import Image, ImageDraw, ImageFilter

from marketplace.demo.data import Trade, picture_key, picture_kinds
from marketplace.images import CleanImage

PICTURE_SIZE = 600
LOGO_SIZE = 320
JPEG_QUALITY = 80
# Shapes are drawn at twice the size and scaled down, which smooths their edges.
_SUPERSAMPLE = 2
_NAME_SALT = "dastavard-demo-1403"

RGB = tuple[int, int, int]


# --- names ----------------------------------------------------------------------


def _digest(*parts: object) -> str:
    text = ":".join(str(part) for part in (_NAME_SALT, *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def pool_picture_name(trade_key: str, index: int) -> str:
    """Storage name of a trade's `index`-th pool picture: products/<hash>.jpg."""
    return f"products/{_digest('picture', trade_key, index)}.jpg"


def logo_name(seller_slug: str) -> str:
    """Storage name of a booth's demo logo, e.g. booths/a81c….png."""
    return f"booths/{_digest('logo', seller_slug)}.png"


# --- colour helpers -----------------------------------------------------------------


def _rgb(hex_colour: str) -> RGB:
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _mix(colour: RGB, other: RGB, amount: float) -> RGB:
    """`colour` moved `amount` (0..1) of the way towards `other`."""
    return tuple(
        round(a + (b - a) * amount) for a, b in zip(colour, other, strict=True)
    )  # type: ignore[return-value]


WHITE: RGB = (255, 255, 255)
CREAM: RGB = (250, 244, 232)
INK: RGB = (45, 38, 36)


# --- motifs ---------------------------------------------------------------------------
# Each draws one object centred on a canvas of side `s`; `colours` are the trade's
# accents in an order chosen by the picture's own random stream.


def _draw_dress(canvas: Image.Image, rng: random.Random, colours: list[RGB]) -> None:
    s = canvas.width
    draw = ImageDraw.Draw(canvas)
    cx = s * rng.uniform(0.46, 0.54)
    hanger_y = s * 0.13
    draw.line([(cx, hanger_y - s * 0.05), (cx, hanger_y)], fill=INK, width=s // 120)
    draw.line(
        [(cx - s * 0.16, s * 0.22), (cx, hanger_y), (cx + s * 0.16, s * 0.22)],
        fill=INK,
        width=s // 110,
        joint="curve",
    )
    hem = s * rng.uniform(0.78, 0.86)
    flare = s * rng.uniform(0.22, 0.3)
    outline = [
        (cx - s * 0.15, s * 0.23),
        (cx - s * 0.05, s * 0.19),
        (cx, s * 0.24),
        (cx + s * 0.05, s * 0.19),
        (cx + s * 0.15, s * 0.23),
        (cx + s * 0.12, s * 0.36),
        (cx + s * 0.09, s * 0.46),
        (cx + flare, hem),
        (cx - flare, hem),
        (cx - s * 0.09, s * 0.46),
        (cx - s * 0.12, s * 0.36),
    ]
    mask = Image.new("L", canvas.size, 0)
    ImageDraw.Draw(mask).polygon(outline, fill=255)
    fabric = Image.new("RGB", canvas.size, colours[0])
    pattern = ImageDraw.Draw(fabric)
    accent = _mix(colours[0], WHITE, 0.55)
    style = rng.choice(("dots", "stripes", "flowers"))
    step = s // rng.choice((14, 18, 22))
    for row, y in enumerate(range(0, s, step)):
        for x in range(0, s, step):
            if style == "dots":
                r = step * 0.18
                ox = step / 2 if row % 2 else 0
                pattern.ellipse([x + ox - r, y - r, x + ox + r, y + r], fill=accent)
            elif style == "flowers" and (x // step + row) % 3 == 0:
                for angle in range(0, 360, 72):
                    px = x + math.cos(math.radians(angle)) * step * 0.22
                    py = y + math.sin(math.radians(angle)) * step * 0.22
                    r = step * 0.14
                    pattern.ellipse([px - r, py - r, px + r, py + r], fill=accent)
        if style == "stripes" and row % 2 == 0:
            pattern.rectangle([0, y, s, y + step * 0.45], fill=accent)
    canvas.paste(fabric, (0, 0), mask)
    belt_y = s * 0.46
    draw.line(
        [(cx - s * 0.095, belt_y), (cx + s * 0.095, belt_y)],
        fill=colours[1],
        width=s // 45,
    )


def _draw_jar(canvas: Image.Image, rng: random.Random, colours: list[RGB]) -> None:
    s = canvas.width
    draw = ImageDraw.Draw(canvas)
    count = rng.choice((1, 2, 3))
    widths = [s * rng.uniform(0.2, 0.26) for _ in range(count)]
    gap = s * 0.04
    total = sum(widths) + gap * (count - 1)
    x = (s - total) / 2
    base = s * 0.8
    for i, width in enumerate(widths):
        height = width * rng.uniform(1.2, 1.6)
        top = base - height
        content = colours[i % len(colours)]
        glass = _mix(content, WHITE, 0.25)
        draw.rounded_rectangle(
            [x, top, x + width, base],
            radius=width * 0.18,
            fill=glass,
            outline=INK,
            width=s // 220,
        )
        draw.rounded_rectangle(
            [
                x + width * 0.08,
                top + height * 0.18,
                x + width * 0.92,
                base - height * 0.06,
            ],
            radius=width * 0.12,
            fill=content,
        )
        lid_colour = _mix(colours[(i + 1) % len(colours)], INK, 0.2)
        draw.rounded_rectangle(
            [
                x - width * 0.04,
                top - height * 0.14,
                x + width * 1.04,
                top + height * 0.02,
            ],
            radius=width * 0.05,
            fill=lid_colour,
        )
        label_top = top + height * 0.42
        draw.rounded_rectangle(
            [x + width * 0.15, label_top, x + width * 0.85, label_top + height * 0.3],
            radius=width * 0.06,
            fill=CREAM,
        )
        r = width * 0.09
        lx, ly = x + width / 2, label_top + height * 0.15
        draw.ellipse([lx - r, ly - r, lx + r, ly + r], fill=content)
        x += width + gap


def _draw_pottery(canvas: Image.Image, rng: random.Random, colours: list[RGB]) -> None:
    s = canvas.width
    draw = ImageDraw.Draw(canvas)
    # A plate standing behind, a bowl in front.
    pr = s * rng.uniform(0.24, 0.3)
    pcx, pcy = s * 0.5 + s * rng.uniform(-0.08, 0.08), s * 0.42
    draw.ellipse([pcx - pr, pcy - pr, pcx + pr, pcy + pr], fill=colours[1])
    draw.ellipse(
        [pcx - pr * 0.8, pcy - pr * 0.8, pcx + pr * 0.8, pcy + pr * 0.8], fill=CREAM
    )
    for angle in range(0, 360, rng.choice((20, 30, 45))):
        dx = math.cos(math.radians(angle)) * pr * 0.9
        dy = math.sin(math.radians(angle)) * pr * 0.9
        r = pr * 0.06
        draw.ellipse(
            [pcx + dx - r, pcy + dy - r, pcx + dx + r, pcy + dy + r], fill=CREAM
        )
    star = [
        (
            pcx + math.cos(math.radians(a)) * pr * (0.5 if i % 2 else 0.25),
            pcy + math.sin(math.radians(a)) * pr * (0.5 if i % 2 else 0.25),
        )
        for i, a in enumerate(range(0, 360, 22))
    ]
    draw.polygon(star, fill=colours[0])
    bw = s * rng.uniform(0.26, 0.32)
    bcx, rim = s * 0.5, s * 0.62
    depth = bw * 0.7
    draw.pieslice(
        [bcx - bw, rim - depth, bcx + bw, rim + depth], 0, 180, fill=colours[0]
    )
    draw.ellipse(
        [bcx - bw, rim - bw * 0.16, bcx + bw, rim + bw * 0.16],
        fill=_mix(colours[0], INK, 0.35),
    )
    band_y = rim + depth * 0.35
    for i in range(9):
        bx = bcx - bw * 0.75 + i * bw * 0.19
        r = bw * 0.05
        draw.polygon(
            [(bx, band_y - r), (bx + r, band_y), (bx, band_y + r), (bx - r, band_y)],
            fill=CREAM,
        )


def _draw_mushroom(canvas: Image.Image, rng: random.Random, colours: list[RGB]) -> None:
    s = canvas.width
    draw = ImageDraw.Draw(canvas)
    count = rng.choice((1, 2, 3))
    for i in range(count):
        scale = rng.uniform(0.7, 1.0) if count > 1 else 1.1
        cx = s * (0.5 + (i - (count - 1) / 2) * 0.24) + s * rng.uniform(-0.02, 0.02)
        base = s * (0.8 - 0.02 * i)
        stem_w, stem_h = s * 0.08 * scale, s * 0.24 * scale
        draw.rounded_rectangle(
            [cx - stem_w, base - stem_h, cx + stem_w, base],
            radius=stem_w * 0.6,
            fill=_mix(CREAM, colours[0], 0.1),
        )
        cap_w, cap_h = s * 0.2 * scale, s * 0.16 * scale
        cap_y = base - stem_h
        cap = colours[i % len(colours)]
        draw.pieslice(
            [cx - cap_w, cap_y - cap_h, cx + cap_w, cap_y + cap_h], 180, 360, fill=cap
        )
        draw.rectangle(
            [cx - cap_w, cap_y - s * 0.004, cx + cap_w, cap_y + s * 0.012],
            fill=_mix(cap, INK, 0.3),
        )
        for _ in range(rng.randint(0, 4)):
            dx = rng.uniform(-0.6, 0.6) * cap_w
            dy = rng.uniform(0.3, 0.7) * cap_h
            r = s * 0.012 * scale
            draw.ellipse(
                [cx + dx - r, cap_y - dy - r, cx + dx + r, cap_y - dy + r], fill=CREAM
            )


def _draw_bag(canvas: Image.Image, rng: random.Random, colours: list[RGB]) -> None:
    s = canvas.width
    draw = ImageDraw.Draw(canvas)
    leather = colours[0]
    w, h = s * rng.uniform(0.26, 0.32), s * rng.uniform(0.2, 0.26)
    cx, cy = s * 0.5, s * 0.56
    handle_r = w * 0.55
    draw.arc(
        [
            cx - handle_r,
            cy - h - handle_r * 0.9,
            cx + handle_r,
            cy - h + handle_r * 0.9,
        ],
        180,
        360,
        fill=_mix(leather, INK, 0.3),
        width=s // 40,
    )
    draw.rounded_rectangle(
        [cx - w, cy - h, cx + w, cy + h], radius=s * 0.04, fill=leather
    )
    flap_bottom = cy - h * 0.1
    draw.rounded_rectangle(
        [cx - w, cy - h, cx + w, flap_bottom],
        radius=s * 0.04,
        fill=_mix(leather, INK, 0.15),
    )
    stitch = _mix(leather, WHITE, 0.6)
    inset = s * 0.02
    dash = s * 0.018
    for left, top, right, bottom in (
        (cx - w + inset, cy - h + inset, cx + w - inset, flap_bottom - inset),
        (cx - w + inset, flap_bottom + inset, cx + w - inset, cy + h - inset),
    ):
        x = left
        while x < right:
            draw.line(
                [(x, top), (min(x + dash, right), top)], fill=stitch, width=s // 300 + 2
            )
            draw.line(
                [(x, bottom), (min(x + dash, right), bottom)],
                fill=stitch,
                width=s // 300 + 2,
            )
            x += dash * 2
    buckle = (212, 175, 55)
    draw.rounded_rectangle(
        [
            cx - s * 0.035,
            flap_bottom - s * 0.03,
            cx + s * 0.035,
            flap_bottom + s * 0.03,
        ],
        radius=s * 0.01,
        outline=buckle,
        width=s // 120,
    )


def _draw_kilim(canvas: Image.Image, rng: random.Random, colours: list[RGB]) -> None:
    s = canvas.width
    draw = ImageDraw.Draw(canvas)
    left, right = s * 0.22, s * 0.78
    top, bottom = s * 0.16, s * 0.84
    for x in range(int(left), int(right), s // 60):
        draw.line(
            [(x, top - s * 0.05), (x, bottom + s * 0.05)],
            fill=CREAM,
            width=s // 300 + 2,
        )
    draw.rectangle([left, top, right, bottom], fill=colours[0])
    rows = rng.choice((5, 6, 7))
    band = (bottom - top) / rows
    for row in range(rows):
        y0 = top + row * band
        colour = colours[(row + 1) % len(colours)]
        if row % 2:
            draw.rectangle([left, y0 + band * 0.4, right, y0 + band * 0.6], fill=colour)
            continue
        size = band * 0.42
        count = rng.choice((3, 4, 5))
        for i in range(count):
            dx = left + (right - left) * (i + 0.5) / count
            dy = y0 + band / 2
            draw.polygon(
                [(dx, dy - size), (dx + size, dy), (dx, dy + size), (dx - size, dy)],
                fill=colour,
            )
            draw.polygon(
                [
                    (dx, dy - size * 0.4),
                    (dx + size * 0.4, dy),
                    (dx, dy + size * 0.4),
                    (dx - size * 0.4, dy),
                ],
                fill=CREAM,
            )


def _draw_beads(canvas: Image.Image, rng: random.Random, colours: list[RGB]) -> None:
    s = canvas.width
    draw = ImageDraw.Draw(canvas)
    cx, cy = s * 0.5, s * 0.3
    rx, ry = s * rng.uniform(0.26, 0.32), s * rng.uniform(0.32, 0.4)
    beads = rng.choice((19, 23, 27))
    r = s * rng.uniform(0.018, 0.026)
    for i in range(beads):
        angle = math.radians(180 * i / (beads - 1))
        x = cx + math.cos(angle) * rx
        y = cy + math.sin(angle) * ry
        colour = colours[i % 3] if rng.random() < 0.8 else (212, 175, 55)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    px, py = cx, cy + ry + r * 2.5
    size = s * rng.uniform(0.05, 0.07)
    draw.polygon(
        [
            (px, py - size * 0.3),
            (px + size, py + size),
            (px, py + size * 2.2),
            (px - size, py + size),
        ],
        fill=(212, 175, 55),
    )
    draw.ellipse(
        [px - size * 0.5, py + size * 0.5, px + size * 0.5, py + size * 1.5],
        fill=colours[0],
    )


def _draw_candle(canvas: Image.Image, rng: random.Random, colours: list[RGB]) -> None:
    s = canvas.width
    draw = ImageDraw.Draw(canvas)
    count = rng.choice((1, 2, 3))
    base = s * 0.8
    for i in range(count):
        w = s * rng.uniform(0.08, 0.11)
        h = s * rng.uniform(0.22, 0.4)
        cx = s * (0.5 + (i - (count - 1) / 2) * 0.24)
        top = base - h
        wax = _mix(colours[i % len(colours)], WHITE, 0.35)
        glow = _mix((255, 214, 120), WHITE, 0.5)
        gr = w * 1.2
        draw.ellipse(
            [cx - gr, top - gr * 1.6, cx + gr, top + gr * 0.4],
            fill=_mix(glow, WHITE, 0.4),
        )
        draw.rectangle([cx - w, top, cx + w, base], fill=wax)
        draw.ellipse(
            [cx - w, top - w * 0.25, cx + w, top + w * 0.25], fill=_mix(wax, WHITE, 0.3)
        )
        draw.ellipse([cx - w, base - w * 0.25, cx + w, base + w * 0.25], fill=wax)
        draw.line([(cx, top), (cx, top - w * 0.35)], fill=INK, width=s // 200 + 2)
        draw.ellipse(
            [cx - w * 0.22, top - w * 1.1, cx + w * 0.22, top - w * 0.3],
            fill=(246, 170, 60),
        )
        draw.ellipse(
            [cx - w * 0.1, top - w * 0.8, cx + w * 0.1, top - w * 0.4],
            fill=(255, 236, 160),
        )


def _draw_frame(canvas: Image.Image, rng: random.Random, colours: list[RGB]) -> None:
    """A framed wall piece (embroidery, macramé, painting) hanging on a nail."""
    s = canvas.width
    draw = ImageDraw.Draw(canvas)
    w, h = s * rng.uniform(0.44, 0.52), s * rng.uniform(0.5, 0.58)
    left, top = s * 0.5 - w / 2, s * 0.14
    right, bottom = left + w, top + h
    draw.line(
        [(s * 0.5, top - s * 0.06), (left + w * 0.2, top)], fill=INK, width=s // 200 + 2
    )
    draw.line(
        [(s * 0.5, top - s * 0.06), (right - w * 0.2, top)],
        fill=INK,
        width=s // 200 + 2,
    )
    wood = (139, 94, 60)
    border = s * 0.035
    draw.rectangle([left, top, right, bottom], fill=wood)
    inner = [left + border, top + border, right - border, bottom - border]
    draw.rectangle(inner, fill=CREAM)
    # A flower of stitches in the middle, leaves on either side.
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    petal = w * 0.09
    for angle in range(0, 360, rng.choice((45, 60, 72))):
        px = cx + math.cos(math.radians(angle)) * petal * 1.3
        py = cy + math.sin(math.radians(angle)) * petal * 1.3
        draw.ellipse([px - petal, py - petal, px + petal, py + petal], fill=colours[0])
    draw.ellipse([cx - petal, cy - petal, cx + petal, cy + petal], fill=colours[1])
    for side in (-1, 1):
        lx = cx + side * w * 0.25
        draw.ellipse(
            [lx - petal * 0.7, cy + h * 0.12, lx + petal * 0.7, cy + h * 0.24],
            fill=colours[2 % len(colours)],
        )


def _draw_doll(canvas: Image.Image, rng: random.Random, colours: list[RGB]) -> None:
    """A cloth doll: a round head with plaits, arms and a wide dress."""
    s = canvas.width
    draw = ImageDraw.Draw(canvas)
    cx = s * rng.uniform(0.47, 0.53)
    head_r = s * 0.09
    head_y = s * 0.26
    skin = (240, 205, 175)
    hair = rng.choice(((70, 45, 30), (40, 30, 25), (150, 90, 40)))
    for side in (-1, 1):
        draw.rectangle(
            [
                cx + side * head_r * 0.8 - s * 0.02,
                head_y,
                cx + side * head_r * 0.8 + s * 0.02,
                head_y + s * 0.16,
            ],
            fill=hair,
        )
    hem = s * 0.8
    draw.polygon(
        [
            (cx - s * 0.06, head_y + head_r),
            (cx + s * 0.06, head_y + head_r),
            (cx + s * 0.2, hem),
            (cx - s * 0.2, hem),
        ],
        fill=colours[0],
    )
    for side in (-1, 1):
        draw.line(
            [
                (cx + side * s * 0.05, head_y + head_r * 1.5),
                (cx + side * s * 0.17, head_y + s * 0.2),
            ],
            fill=colours[0],
            width=s // 30,
        )
        draw.ellipse(
            [
                cx + side * s * 0.17 - s * 0.02,
                head_y + s * 0.18,
                cx + side * s * 0.17 + s * 0.02,
                head_y + s * 0.22,
            ],
            fill=skin,
        )
    for i in range(4):
        y = head_y + head_r * 2 + i * s * 0.1
        draw.line(
            [(cx - s * 0.15, y), (cx + s * 0.15, y)],
            fill=_mix(colours[0], WHITE, 0.5),
            width=s // 90,
        )
    draw.ellipse(
        [cx - head_r, head_y - head_r, cx + head_r, head_y + head_r], fill=skin
    )
    draw.pieslice(
        [cx - head_r, head_y - head_r, cx + head_r, head_y + head_r],
        180,
        360,
        fill=hair,
    )
    eye = s * 0.008
    for side in (-1, 1):
        ex = cx + side * head_r * 0.4
        draw.ellipse(
            [
                ex - eye,
                head_y + head_r * 0.1 - eye,
                ex + eye,
                head_y + head_r * 0.1 + eye,
            ],
            fill=INK,
        )
    draw.arc(
        [
            cx - head_r * 0.35,
            head_y + head_r * 0.2,
            cx + head_r * 0.35,
            head_y + head_r * 0.6,
        ],
        20,
        160,
        fill=colours[1],
        width=s // 200 + 2,
    )


MOTIFS: dict[str, Callable[[Image.Image, random.Random, list[RGB]], None]] = {
    "dress": _draw_dress,
    "jar": _draw_jar,
    "pottery": _draw_pottery,
    "mushroom": _draw_mushroom,
    "bag": _draw_bag,
    "kilim": _draw_kilim,
    "beads": _draw_beads,
    "candle": _draw_candle,
    "frame": _draw_frame,
    "doll": _draw_doll,
}


# --- pictures ------------------------------------------------------------------------


@lru_cache(maxsize=512)
def render_product_picture(trade: Trade, index: int, motif: str = "") -> bytes:
    """A 600x600 JPEG of `motif` (by default the trade's) in the trade's colours
    on a soft background.

    The same trade, index and motif always give the same bytes."""
    motif = motif or trade.motif
    seed = picture_key(trade, motif)
    rng = random.Random(f"1403:picture:{seed}:{index}")  # noqa: S311 (demo data)
    colours = [_rgb(c) for c in trade.palette]
    rng.shuffle(colours)
    s = PICTURE_SIZE * _SUPERSAMPLE
    background = _mix(colours[-1], WHITE, rng.uniform(0.78, 0.88))
    canvas = Image.new("RGB", (s, s), background)
    draw = ImageDraw.Draw(canvas)
    # A faint "table" under the object and a soft shadow where it stands.
    table_top = s * rng.uniform(0.68, 0.74)
    draw.rectangle([0, table_top, s, s], fill=_mix(background, INK, 0.06))
    # The shadow is blurred at a quarter of the size: same look, far less work.
    small = s // 4
    shadow = Image.new("L", (small, small), 0)
    ImageDraw.Draw(shadow).ellipse(
        [small * 0.22, small * 0.76, small * 0.78, small * 0.86], fill=70
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(small // 40)).resize((s, s))
    canvas.paste(_mix(background, INK, 0.35), (0, 0), shadow)
    MOTIFS[motif](canvas, rng, colours)
    picture = canvas.resize((PICTURE_SIZE, PICTURE_SIZE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


@lru_cache(maxsize=256)
def render_logo(trade: Trade, seller_slug: str) -> bytes:
    """A round PNG badge (a rosette in the trade's colours) for a booth."""
    rng = random.Random(f"1403:logo:{seller_slug}")  # noqa: S311 (demo data)
    colours = [_rgb(c) for c in trade.palette]
    rng.shuffle(colours)
    s = LOGO_SIZE * _SUPERSAMPLE
    canvas = Image.new("RGB", (s, s), CREAM)
    draw = ImageDraw.Draw(canvas)
    c = s / 2
    draw.ellipse([s * 0.04, s * 0.04, s * 0.96, s * 0.96], fill=colours[0])
    draw.ellipse([s * 0.1, s * 0.1, s * 0.9, s * 0.9], outline=CREAM, width=s // 80)
    points = rng.choice((6, 8, 12))
    outer, inner = s * 0.34, s * rng.uniform(0.16, 0.24)
    star = []
    for i in range(points * 2):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi * i / points - math.pi / 2
        star.append((c + math.cos(angle) * radius, c + math.sin(angle) * radius))
    draw.polygon(star, fill=_mix(colours[1], WHITE, 0.55))
    r = s * 0.09
    draw.ellipse([c - r, c - r, c + r, c + r], fill=colours[2 % len(colours)])
    logo = canvas.resize((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)
    # A few flat colours: a palette PNG is a fraction of the size of a full-colour one.
    logo = logo.quantize(colors=48)
    buffer = io.BytesIO()
    logo.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _save_once(storage: Storage, name: str, render: Callable[[], bytes]) -> bool:
    """Write `name` unless it already exists; True when a file was written."""
    if storage.exists(name):
        return False
    # Drawn here, with no metadata: the media storage keeps it as it is.
    storage.save(name, CleanImage(render()))
    return True


def ensure_picture_pool(
    pool_size: int, storage: Storage | None = None
) -> dict[str, list[str]]:
    """Make sure the first `pool_size` pool pictures exist; return picture key
    (`demo.data.picture_key`) -> names.

    Pictures are dealt round-robin over the (trade, motif) kinds, each trade's
    own motif first, so every trade gets at least one as long as
    `pool_size >= len(TRADES)`, and every kind once the pool is as large as
    their number (a kind with none shows its trade's motif).
    """
    storage = storage or default_storage
    kinds = picture_kinds()
    pool: dict[str, list[str]] = {}
    for position in range(pool_size):
        trade, motif = kinds[position % len(kinds)]
        index = position // len(kinds)
        key = picture_key(trade, motif)
        name = pool_picture_name(key, index)
        _save_once(storage, name, lambda: render_product_picture(trade, index, motif))  # noqa: B023
        pool.setdefault(key, []).append(name)
    return pool


def ensure_picture_variants(
    names: list[str], storage: Storage | None = None
) -> dict[str, dict]:
    """Make sure every pool picture has the photo pipeline's WebP and JPEG sizes
    (`catalog.photos.photo_render`, PRODUCT_PHOTO_SIZES); return picture name ->
    the `ProductImage.variants` its products carry. Written once, next to the
    picture (products/<hash>-<size>.<ext>: the name still says nothing)."""
    from catalog.photos import photo_render
    from marketplace.images import CleanImage

    storage = storage or default_storage
    variants: dict[str, dict] = {}
    for name in names:
        stem = name.rsplit(".", 1)[0]
        paths = {
            (size, fmt): f"{stem}-{size}.{ext}"
            for size in settings.PRODUCT_PHOTO_SIZES
            for fmt, ext in (("webp", "webp"), ("jpeg", "jpg"))
        }
        if all(storage.exists(path) for path in paths.values()):
            # Pool pictures are square and never enlarged.
            side = {
                size: min(box, PICTURE_SIZE)
                for size, box in settings.PRODUCT_PHOTO_SIZES.items()
            }
            dims = {size: (side[size], side[size]) for size in side}
        else:
            with storage.open(name, "rb") as fp:
                rendered = photo_render(fp)
            dims = {size: (v.width, v.height) for size, v in rendered.items()}
            for (size, fmt), path in paths.items():
                if not storage.exists(path):
                    # the pipeline's own output: saved under this name, as it is
                    storage.save(path, CleanImage(getattr(rendered[size], fmt)))
        variants[name] = {
            size: {
                "width": width,
                "height": height,
                "webp": paths[(size, "webp")],
                "jpeg": paths[(size, "jpeg")],
            }
            for size, (width, height) in dims.items()
        }
    return variants


def ensure_logo(trade: Trade, seller_slug: str, storage: Storage | None = None) -> str:
    """Make sure the booth's demo logo exists; return its storage name."""
    storage = storage or default_storage
    name = logo_name(seller_slug)
    _save_once(storage, name, lambda: render_logo(trade, seller_slug))
    return name
