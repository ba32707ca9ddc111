"""Who may open the staff reports: the one check for that audience."""

from __future__ import annotations

REPORTS_PERMISSION = "reports.view"


def can_view_reports(user) -> bool:
    """Staff with `reports.view` (being staff is not enough)."""
    return bool(
        user.is_authenticated and user.is_staff and user.has_perm(REPORTS_PERMISSION)
    )
