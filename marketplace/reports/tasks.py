"""Celery beat: the reports' summary tables kept fresh."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .summary import SummaryRefresh, report_summaries_refresh


@shared_task
def report_summaries_refresh_task() -> None:
    """The last REPORTS_SUMMARY_DAYS days; everything the first time."""
    full_done = SummaryRefresh.objects.filter(since__isnull=True).exists()
    since = None
    if full_done:
        since = timezone.localdate() - dt.timedelta(days=settings.REPORTS_SUMMARY_DAYS)
    report_summaries_refresh(since=since)
