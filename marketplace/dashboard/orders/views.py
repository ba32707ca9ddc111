"""Oscar's dashboard order views (loaded by `get_class("dashboard.orders.views",
…)` through our dashboard fork), with each order's seller orders: the list
shows every order's parts and their statuses, the order page lets staff cancel
a part. Querysets are shaped for the page, so the list runs the same number of
queries for 1 order or 20; the CSV download is spreadsheet-safe
(`marketplace.exports`)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from oscar.apps.dashboard.orders import views as oscar_views
from oscar.core.compat import UnicodeCSVWriter

from marketplace.exports import SpreadsheetSafeWriter
from orders.models import SellerOrder
from orders.services import STAFF, transitions_for

__all__ = ["OrderDetailView", "OrderListView"]


def _parts():
    return Prefetch(
        "seller_orders",
        queryset=SellerOrder.objects.select_related("seller").order_by("number"),
    )


class OrderListView(oscar_views.OrderListView):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "user", "shipping_address__country", "billing_address__country"
            )
            .prefetch_related("lines", _parts())
        )

    def download_selected_orders(self, request, orders):
        """Oscar's CSV of the selected orders, written through
        `marketplace.exports`: the buyer's e-mail and the recipient's name are
        hers to type, and must not reach a spreadsheet as formulas."""
        response = HttpResponse(content_type="text/csv")
        filename = self.get_download_filename(request)
        response["Content-Disposition"] = f"attachment; filename={filename}"
        writer = SpreadsheetSafeWriter(UnicodeCSVWriter(open_file=response))
        writer.writerow(self.CSV_COLUMNS.values())
        for order in orders:
            row_values = self.get_row_values(order)
            writer.writerow([row_values.get(column, "") for column in self.CSV_COLUMNS])
        return response


class OrderDetailView(oscar_views.OrderDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parts = list(
            self.object.seller_orders.select_related("seller").order_by("number")
        )
        for part in parts:
            part.staff_can_cancel = "staff_cancel" in transitions_for(part, STAFF)
        context["seller_orders"] = parts
        return context
