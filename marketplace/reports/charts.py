"""Charts drawn on the server as SVG (web layer): no script, no style
attribute, nothing from a CDN, so the Content-Security-Policy allows them.

Right to left: bars grow from the right edge, time runs from right (oldest) to
left; Persian digits and Jalali month labels. Each chart carries a title and a
description (`role="img"`, `aria-labelledby`) and points to the table drawn
under it (`aria-describedby`), which screen readers read instead of the
picture. Sized by a viewBox 360 units wide, so it reads at 390 px."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from marketplace.persian import format_number

from .tables import Table

WIDTH = 360
BAR = 14
ROW = 40
INK = "#5c2a1e"
BAR_FILL = "#b5442c"
GRID = "#d9cfcb"


def _points(table: Table) -> list[tuple[str, float | None, str]]:
    """(label, value, shown text) of the table's first figure column, the
    total row left out."""
    points = []
    for row in table.rows:
        label = row[0].display
        if label == "جمع" or len(row) < 2:
            continue
        cell = row[1]
        points.append((label, cell.number, cell.display))
    return points


def _open(table: Table, height: int, description: str) -> SafeString:
    key = table.key
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="chart-{}-title chart-{}-desc" aria-describedby="data-{}" '
        'direction="rtl" font-family="Vazirmatn, sans-serif">'
        '<title id="chart-{}-title">{}</title><desc id="chart-{}-desc">{}</desc>',
        WIDTH,
        height,
        key,
        key,
        key,
        key,
        table.title,
        key,
        description,
    )


def bar_svg(table: Table) -> SafeString:
    """One horizontal bar a row: the label above it, the value beside it."""
    points = _points(table)
    top = max((value for _, value, _ in points if value), default=0) or 1
    height = ROW * len(points) + 8
    parts = [_open(table, height, "نمودار میله‌ای؛ ارقام در جدول زیر آمده است.")]
    for index, (label, value, shown) in enumerate(points):
        y = index * ROW + 4
        length = 0 if not value else max(2, (WIDTH - 130) * value / top)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="start" font-size="12" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="2"/>'
                '<text x="{}" y="{}" text-anchor="start" font-size="12" fill="{}">{}</text>',
                WIDTH,
                y + 12,
                INK,
                label,
                f"{WIDTH - length:.1f}",
                y + 17,
                f"{length:.1f}",
                BAR,
                BAR_FILL,
                f"{WIDTH - length - 6:.1f}",
                y + 29,
                INK,
                shown,
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308  (a closing tag of ours)
    return mark_safe("".join(parts))  # noqa: S308  (every part built by format_html)


def line_svg(table: Table) -> SafeString:
    """Values over time, the first point at the right."""
    points = _points(table)
    height, left, right, top_pad, bottom = 220, 8, WIDTH - 8, 24, 170
    top = max((value for _, value, _ in points if value), default=0) or 1
    count = max(len(points) - 1, 1)
    coordinates = []
    for index, (_, value, _) in enumerate(points):
        x = right - (right - left) * index / count
        y = bottom - (bottom - top_pad) * (value or 0) / top
        coordinates.append((x, y))
    parts = [_open(table, height, "نمودار خطی؛ ارقام در جدول زیر آمده است.")]
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
            '<text x="{}" y="14" text-anchor="start" font-size="11" fill="{}">بیشینه: {}</text>',
            left,
            bottom,
            right,
            bottom,
            GRID,
            right,
            INK,
            format_number(int(top)),
        )
    )
    if coordinates:
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates),
                BAR_FILL,
            )
        )
    step = 1 if len(points) <= 6 else 2
    parts.append(
        format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="3" fill="{}"/>',
            ((f"{x:.1f}", f"{y:.1f}", BAR_FILL) for x, y in coordinates),
        )
    )
    parts.append(
        format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="{}">{}</text>',
            (
                (f"{x:.1f}", bottom + 16, INK, label.split(" ")[0])
                for index, ((x, _), (label, _, _)) in enumerate(
                    zip(coordinates, points, strict=True)
                )
                if index % step == 0
            ),
        )
    )
    parts.append(mark_safe("</svg>"))  # noqa: S308  (a closing tag of ours)
    return mark_safe("".join(parts))  # noqa: S308  (every part built by format_html)


def chart_svg(table: Table) -> SafeString | None:
    """The table's chart, if it has one and something to draw."""
    if not table.chart or not _points(table):
        return None
    return line_svg(table) if table.chart == "line" else bar_svg(table)
