"""Oscar's voucher dashboard views (loaded by `get_class("dashboard.vouchers.views",
…)` through our dashboard fork), with the voucher-set download written through
`marketplace.exports` like every CSV of the project."""

from django.http import HttpResponse
from django.utils.text import slugify
from oscar.apps.dashboard.vouchers import views as oscar_views

from marketplace.exports import csv_writer


class VoucherSetDownloadView(oscar_views.VoucherSetDownloadView):
    def get(self, request, *args, **kwargs):
        voucher_set = self.get_object()
        response = HttpResponse(content_type="text/csv")
        filename = slugify(voucher_set.name)
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        writer = csv_writer(response)
        for code in voucher_set.vouchers.values_list("code", flat=True):
            writer.writerow([code])
        return response
