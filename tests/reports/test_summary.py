"""Issue 27 §7: the orders report from its daily summary table gives the
figures the order lines give, and says "as of" when it was refreshed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.reports.models import OrderDaySummary, SummaryRefresh
from marketplace.reports.queries import ReportFilter, _order_figures
from marketplace.reports.summary import (
    report_summaries_refresh,
    summary_as_of,
    summary_in_use,
)
from marketplace.reports.tasks import report_summaries_refresh_task
from orders.services import seller_order_transition
from orders.stalls import stall_sale_record
from sellers.models import BazaarStall
from tests.bazaars.conftest import make_bazaar
from tests.factories import make_product
from tests.orders.conftest import basket_with, make_booth, place
from tests.reports.test_reports import reader, this_month

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
FIGURES = (
    "parts",
    "kept",
    "value",
    "cod",
    "pickup",
    "declined",
    "stall_sales",
    "stall_value",
)


def _world():
    seller, owner = make_booth("+989121000020")
    product = make_product(seller=seller, price_rials=1_500_000, num_in_stock=20)
    kept = place(basket_with([(product, 2)])).seller_orders.get()
    for action in ("accept", "ship", "deliver"):
        seller_order_transition(seller_order=kept, action=action, party="seller")
    declined = place(basket_with([(product, 1)])).seller_orders.get()
    seller_order_transition(
        seller_order=declined, action="decline", party="seller", note="تمام شد"
    )
    stall = BazaarStall.objects.create(
        bazaar=make_bazaar(), seller=seller, stall_number="3"
    )
    stall_sale_record(
        stall=stall,
        stockrecord_id=product.stockrecords.get().pk,
        quantity=1,
        actor=owner,
    )
    return seller, product


def test_the_summary_gives_what_the_lines_give():
    seller, _ = _world()
    report = this_month()
    live = _order_figures(report)
    assert not summary_in_use()
    report_summaries_refresh_task()  # the first run rebuilds everything
    assert summary_in_use()
    assert OrderDaySummary.objects.exists()
    summed = _order_figures(report)
    assert {name: summed[name] for name in FIGURES} == {
        name: live[name] for name in FIGURES
    }
    assert live["value"] == Decimal(3_000_000) and live["declined"] == 1
    assert live["stall_value"] == Decimal(1_500_000)
    narrowed = ReportFilter(period=report.period, district=seller.district.number)
    assert _order_figures(narrowed)["parts"] == 2
    other = ReportFilter(period=report.period, district=seller.district.number % 22 + 1)
    assert _order_figures(other)["parts"] == 0


def test_the_page_says_as_of_and_a_later_sale_waits_for_the_next_refresh(client):
    _, product = _world()
    refresh = report_summaries_refresh()
    place(basket_with([(product, 1)]))
    assert _order_figures(this_month())["parts"] == 2  # as of the refresh
    client.force_login(reader())
    page = client.get(reverse("reports:report", args=["orders"])).content.decode()
    assert 'data-testid="as-of"' in page and "ارقام سفارش‌ها و فروش تا" in page
    assert summary_as_of() == refresh.refreshed_at
    report_summaries_refresh_task()  # now the recent days only
    assert SummaryRefresh.objects.first().since is not None
    assert _order_figures(this_month())["parts"] == 3


def test_with_the_summary_off_the_report_reads_the_lines(settings):
    _world()
    report_summaries_refresh()
    settings.REPORTS_SUMMARY = False
    assert not summary_in_use() and summary_as_of() is None
    assert _order_figures(this_month())["parts"] == 2
