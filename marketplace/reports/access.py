"""The read log of reports that showed case-file figures."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from marketplace.persian import to_latin_digits
from sellers.permissions import can_read_casefile

from .models import ReportAccess


def report_access_record(
    *, user, report: str, filters: list[tuple[str, str]]
) -> ReportAccess:
    """Log that `user` saw case-file aggregates in `report` with `filters`,
    as a case file logs each read. Needs `sellers.view_casefile`."""
    if not can_read_casefile(user):
        raise PermissionDenied
    text = "؛ ".join(f"{label}: {value}" for label, value in filters)
    return ReportAccess.objects.create(
        user=user, report=report, filters=to_latin_digits(text)[:500]
    )
