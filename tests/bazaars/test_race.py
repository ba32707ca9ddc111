"""Set-aside stock racing online orders on PostgreSQL, with real threads and
their own connections: the stall and the web never take the same unit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from orders.models import Order, StallSale
from orders.services import PlacementError
from orders.stalls import stall_sale_record
from sellers import services
from sellers.models import BazaarSetAside, BazaarStall
from sellers.partner.models import StockRecord
from tests.factories import make_product
from tests.orders.conftest import basket_with, guest, place
from tests.orders.test_race import run_together

from .conftest import make_bazaar

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_required"),
]


def test_set_aside_racing_online_orders_never_oversells(order_booth):
    """8 units: 8 buyers want one each while she sets 4 aside. Whatever the
    interleaving, orders + units held = 8 at most, and each side is all or none."""
    seller, owner = order_booth
    product = make_product(seller=seller, title="کیف آخر", num_in_stock=8)
    stall = BazaarStall.objects.create(
        bazaar=make_bazaar(), seller=seller, stall_number="1"
    )
    record_id = StockRecord.objects.get(product=product).pk
    baskets = [basket_with([(product, 1)]) for _ in range(8)]

    def set_aside():
        return services.bazaar_set_aside(
            stall=stall, stockrecord_id=record_id, units=4, actor=owner
        )

    jobs = [
        (lambda b=b, i=i: place(b, buyer=guest(phone=f"+98935200{i:04d}")))
        for i, b in enumerate(baskets)
    ]
    jobs.insert(4, set_aside)
    results = run_together(jobs)

    unexpected = [
        r
        for r in results
        if not isinstance(r, (Order, PlacementError, ValidationError, BazaarSetAside))
    ]
    assert not unexpected, unexpected
    orders = [r for r in results if isinstance(r, Order)]
    record = StockRecord.objects.get(pk=record_id)
    held = BazaarSetAside.objects.filter(stall=stall).values_list("units", flat=True)
    held_units = sum(held)
    assert (record.num_allocated or 0) == len(orders)
    assert record.num_set_aside == held_units
    assert len(orders) + held_units <= 8
    assert held_units in (0, 4)
    if held_units == 4:
        assert len(orders) == 4  # the set-aside won its 4; the web sold the rest
    assert record.net_stock_level >= 0


def test_stall_sales_and_web_orders_share_the_last_units(order_booth):
    """5 units, none set aside: 5 buyers online and 5 stall sales of one unit
    each at once. Exactly 5 succeed in all; stock never goes below zero."""
    seller, owner = order_booth
    product = make_product(seller=seller, title="کیف آخر", num_in_stock=5)
    stall = BazaarStall.objects.create(
        bazaar=make_bazaar(), seller=seller, stall_number="1"
    )
    record_id = StockRecord.objects.get(product=product).pk
    jobs = []
    for i in range(5):
        basket = basket_with([(product, 1)])
        jobs.append(
            lambda b=basket, i=i: place(b, buyer=guest(phone=f"+98935300{i:04d}"))
        )
        jobs.append(
            lambda: stall_sale_record(
                stall=stall, stockrecord_id=record_id, quantity=1, actor=owner
            )
        )
    results = run_together(jobs)
    unexpected = [
        r
        for r in results
        if not isinstance(r, (Order, StallSale, PlacementError, ValidationError))
    ]
    assert not unexpected, unexpected
    sold = [r for r in results if isinstance(r, (Order, StallSale))]
    assert len(sold) == 5
    record = StockRecord.objects.get(pk=record_id)
    stall_units = StallSale.objects.filter(stall=stall).count()
    assert record.num_in_stock == 5 - stall_units
    allocated = record.num_allocated or 0
    assert allocated == Order.objects.count()
    assert record.num_in_stock - allocated == 0
