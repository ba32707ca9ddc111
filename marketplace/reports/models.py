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


def _dimension(to: str):
    # A derived table: it never blocks deleting what it counts (no constraint).
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )


class OrderDaySummary(models.Model):
    """The orders report's figures of one Tehran day and one set of frozen booth
    facts (`summary.report_summaries_refresh` writes it from the order lines and
    stall sales; Celery beat every REPORTS_SUMMARY_MINUTES). Reports sum these
    rows instead of scanning every line."""

    day = models.DateField(db_index=True)
    seller_kind = models.CharField(max_length=16, blank=True)
    seller_province = _dimension("sellers.Province")
    seller_district = _dimension("sellers.District")
    seller_centre = _dimension("sellers.KowsarCentre")
    seller_programme = _dimension("sellers.Programme")
    parts = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)
    value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    cod = models.PositiveIntegerField(default=0)
    pickup = models.PositiveIntegerField(default=0)
    card = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)
    refunded = models.PositiveIntegerField(default=0)
    stall_sales = models.PositiveIntegerField(default=0)
    stall_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["day", "seller_district"])]

    def __str__(self) -> str:
        return f"{self.day}: {self.parts}"


class SummaryRefresh(models.Model):
    """One refresh of the summary tables: when, and from which day (None: all)."""

    refreshed_at = models.DateTimeField(default=timezone.now, db_index=True)
    since = models.DateField(null=True, blank=True)

    class Meta:
        default_permissions = ()
        ordering = ["-refreshed_at", "-pk"]

    def __str__(self) -> str:
        return f"refresh {self.refreshed_at:%Y-%m-%d %H:%M}"
