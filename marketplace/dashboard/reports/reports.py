"""Oscar's report base classes (loaded by `get_class("dashboard.reports.reports",
…)` through our dashboard fork): every CSV report (orders, baskets, offers,
vouchers, products, users) writes through `marketplace.exports`, so a product
title, a name or an e-mail that starts with `=` is text, not a formula."""

from oscar.apps.dashboard.reports import reports as oscar_reports

from marketplace.exports import SpreadsheetSafeWriter


class ReportCSVFormatter(oscar_reports.ReportCSVFormatter):
    def get_csv_writer(self, file_handle, **kwargs):
        return SpreadsheetSafeWriter(super().get_csv_writer(file_handle, **kwargs))
