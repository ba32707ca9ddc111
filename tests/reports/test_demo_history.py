"""Issue 27 §8: seed_demo's two years behind the staff reports: orders over
two years, districts and programmes, a past bazaar a season with stall sales
and QR visits; idempotent; every report has a shape."""

from __future__ import annotations

import io

import jdatetime
import pytest
from django.core.management import call_command
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from orders.models import Line, Order, StallSale
from sellers.models import Bazaar, BazaarVisitDay
from tests.reports.test_reports import reader

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
DEMO = {"products": 40, "sellers": 8, "picture_pool": 8, "history_orders": 120}


def test_the_demo_has_two_years_of_history_spread_over_the_city(client):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO(), **DEMO)
    history = Order.objects.filter(buyer_name__startswith="demo-h ")
    assert history.count() == 120
    span = history.aggregate(first=Min("date_placed"), last=Max("date_placed"))
    assert (span["last"] - span["first"]).days > 700
    assert span["last"] <= timezone.now()
    lines = Line.objects.filter(order__in=history)
    assert lines.values("seller_district").distinct().count() >= 3
    assert lines.values("seller_programme").distinct().count() >= 2
    past = Bazaar.objects.filter(ends_on__lt=timezone.localdate())
    assert past.count() >= 8
    assert StallSale.objects.filter(stall__bazaar__in=past).exists()
    assert BazaarVisitDay.objects.filter(stall__bazaar__in=past).exists()
    assert not StallSale.objects.filter(
        seller_district__isnull=True, seller__district__isnull=False
    ).exists()

    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO(), **DEMO)
    assert history.count() == 120
    assert (
        Bazaar.objects.filter(ends_on__lt=timezone.localdate()).count() == past.count()
    )

    client.force_login(reader())
    for slug in ("sellers", "orders", "bazaars", "money", "mentoring", "catalogue"):
        response = client.get(
            reverse("reports:report", args=[slug]), {"period": "year"}
        )
        assert response.status_code == 200, slug
    # Last Jalali year, which the two years of history cover whole: this year
    # has a single month in it on its first days (1 Farvardin).
    last_year = jdatetime.date.fromgregorian(date=timezone.localdate()).year - 1
    months = client.get(
        reverse("reports:report", args=["orders"]),
        {"period": "year", "year": str(last_year)},
    )
    table = next(t for t in months.context["tables"] if t.key == "months")
    assert sum(1 for row in table.rows if row[1].value) >= 2
