"""Staff home (`/staff/`) and the report pages (`/staff/reports/…`): web layer,
staff audience. The home is every staff member's; each of its counts shows only
to those allowed to act on it (`today.staff_tasks`). Reports need
`reports.view` (`permissions.can_view_reports`, the one check).

The figures (the reports, their downloads, the home's counts) are read inside
`replica_reads()`: from the streaming replica when `DATABASE_REPLICA_URL` is
set, a few seconds behind at most. The case-file read log is a write and goes
to the primary. The ledger and attention lists (`orders.views.staff`) stay on
the primary: staff act on them and come straight back to see what they did."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from marketplace.db_router import replica_reads
from marketplace.staff import StaffPage
from sellers.permissions import can_read_casefile

from . import queries, today
from .access import report_access_record
from .charts import chart_svg
from .forms import ReportFilterForm
from .permissions import can_view_reports
from .summary import summary_as_of
from .tables import tables_csv, tables_xlsx


def _is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_staff)


class StaffHomeView(StaffPage):
    """Where staff land after logging in: what needs them today, this month at
    a glance, the way to the reports."""

    permission_check = staticmethod(_is_staff)

    def get(self, request):
        # Counts, evaluated here: nothing lazy leaves the block.
        with replica_reads():
            tasks = today.staff_tasks(request.user)
            month = today.month_at_a_glance()
        return render(
            request,
            "reports/home.html",
            {
                "tasks": tasks,
                "month": month,
                "can_reports": can_view_reports(request.user),
            },
        )


def _report_or_404(slug: str):
    try:
        return queries.REPORTS[slug]
    except KeyError:
        raise Http404 from None


def report_tables(request, slug: str):
    """(form, filter, tables, with case-file figures) of one report, the one
    place the page and its downloads build them. Case-file figures need
    `sellers.view_casefile`; showing them writes a read-log entry (on the
    primary, after the figures were read from the replica)."""
    title, build = _report_or_404(slug)
    form = ReportFilterForm(request.GET or None)
    report = form.report_filter()
    casefile = slug == "sellers" and can_read_casefile(request.user)
    with replica_reads():
        tables = build(report, casefile=True) if casefile else build(report)
    if casefile:
        report_access_record(
            user=request.user, report=slug, filters=form.described(report)
        )
    return title, form, report, tables


class ReportIndexView(StaffPage):
    permission_check = staticmethod(can_view_reports)

    def get(self, request):
        reports = [(slug, title) for slug, (title, _) in queries.REPORTS.items()]
        return render(request, "reports/index.html", {"reports": reports})


class ReportView(StaffPage):
    permission_check = staticmethod(can_view_reports)

    def get(self, request, slug: str):
        title, form, report, tables = report_tables(request, slug)
        with replica_reads():
            as_of = summary_as_of() if slug == "orders" else None
        for table in tables:
            table.svg = chart_svg(table)
        return render(
            request,
            "reports/report.html",
            {
                "slug": slug,
                "title": title,
                "form": form,
                "filters": form.described(report),
                "tables": tables,
                "reports": [(s, t) for s, (t, _) in queries.REPORTS.items()],
                "query": request.GET.urlencode(),
                "as_of": as_of,
            },
        )


class ReportExportView(StaffPage):
    """Every table of the report, with its filters on the first rows: CSV
    (UTF-8 with a BOM) or Excel."""

    permission_check = staticmethod(can_view_reports)

    def get(self, request, slug: str, fmt: str):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        title, form, report, tables = report_tables(request, slug)
        filters = form.described(report)
        name = f"dastavard-{slug}-{report.period.first:%Y%m%d}"
        if fmt == "csv":
            response = HttpResponse(
                tables_csv(title, filters, tables),
                content_type="text/csv; charset=utf-8",
            )
        else:
            response = HttpResponse(
                tables_xlsx(title, filters, tables),
                content_type="application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response
