from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Staff reports: their permission (`reports.view`), their read log and
    their summary tables."""

    name = "marketplace.reports"
    label = "reports"
    verbose_name = "گزارش‌ها"
    default_auto_field = "django.db.models.BigAutoField"
