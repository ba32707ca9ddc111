"""The summary tables behind the orders report: one row per Tehran day and set
of frozen booth facts (`models.OrderDaySummary`), rebuilt from the order lines
and stall sales by `report_summaries_refresh` (Celery beat: the last
REPORTS_SUMMARY_DAYS days every REPORTS_SUMMARY_MINUTES minutes, since a part
can still be cancelled weeks after it was placed; `since=None` rebuilds all).

Reports read the summary once a full rebuild has run (and REPORTS_SUMMARY is
on), and say "as of" the last refresh; before that, or with it off (SQLite,
`make run`), they read the lines themselves: the same aggregates
(`queries.order_line_figures`), so both ways give the same figures."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models.functions import TruncDate

from orders.models import StallSale

from .models import OrderDaySummary, SummaryRefresh
from .periods import TEHRAN, tehran_midnight
from .queries import DIMENSIONS, STALL_FIGURES, _placed_lines, order_line_figures


def summary_in_use() -> bool:
    return bool(getattr(settings, "REPORTS_SUMMARY", True)) and (
        SummaryRefresh.objects.filter(since__isnull=True).exists()
    )


def summary_as_of() -> dt.datetime | None:
    """When the summary the reports read was last refreshed (None: live)."""
    if not summary_in_use():
        return None
    return SummaryRefresh.objects.values_list("refreshed_at", flat=True).first()


@transaction.atomic
def report_summaries_refresh(*, since: dt.date | None = None) -> SummaryRefresh:
    """Rebuild the summary rows from `since` (a Tehran day; None: every day):
    two grouped queries (lines, stall sales), then one bulk insert."""
    lines = _placed_lines()
    stalls = StallSale.objects.all()
    old = OrderDaySummary.objects.all()
    if since is not None:
        lines = lines.filter(seller_order__created_at__gte=tehran_midnight(since))
        stalls = stalls.filter(created_at__gte=tehran_midnight(since))
        old = old.filter(day__gte=since)
    old.delete()
    rows: dict[tuple, OrderDaySummary] = {}

    def row_for(values: dict) -> OrderDaySummary:
        key = (values["day"], *(values[name] for name in DIMENSIONS))
        if key not in rows:
            rows[key] = OrderDaySummary(
                day=values["day"],
                **{
                    name: values[name] or ("" if name == "seller_kind" else None)
                    for name in DIMENSIONS
                },
            )
        return rows[key]

    grouped = (
        lines.values(
            *DIMENSIONS, day=TruncDate("seller_order__created_at", tzinfo=TEHRAN)
        )
        .annotate(**order_line_figures())
        .order_by()
    )
    for values in grouped:
        row = row_for(values)
        for name in order_line_figures():
            setattr(row, name, values[name])
    grouped = (
        stalls.values(*DIMENSIONS, day=TruncDate("created_at", tzinfo=TEHRAN))
        .annotate(**STALL_FIGURES)
        .order_by()
    )
    for values in grouped:
        row = row_for(values)
        row.stall_sales, row.stall_value = values["stall_sales"], values["stall_value"]
    OrderDaySummary.objects.bulk_create(rows.values(), batch_size=1000)
    return SummaryRefresh.objects.create(since=since)
