"""The reports' permission holder and read log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from marketplace.append_only import AppendOnlyModel, append_only_triggers


class ReportAccess(AppendOnlyModel):
    """One opening of a report that showed case-file figures (aggregates of
    `sellers.CaseFile`): who, when, which report and filters. Written like a
    case file's own read log (`sellers.CaseFileAccess`), append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    report = models.CharField(max_length=32)
    filters = models.CharField(max_length=500, blank=True)
    accessed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        default_permissions = ()
        # `reports.view`: the one permission of the report pages.
        permissions = [("view", "Can view staff reports")]
        triggers = append_only_triggers("reportaccess")
        verbose_name = "خواندن آمار پرونده‌ها"
        verbose_name_plural = "خواندن آمار پرونده‌ها"

    def __str__(self) -> str:
        return f"report read #{self.pk}"
