"""The booth's 48 hours to accept count working hours (issue 25 §9): an order
placed on the Wednesday before Nowruz is not cancelled over Friday and the
holidays."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from orders.models import SellerOrder
from orders.services import seller_orders_expire

from .conftest import basket_with, place

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
WEDNESDAY_BEFORE_NOWRUZ = dt.datetime(2027, 3, 17, 10, 0, tzinfo=TEHRAN)


def test_an_order_placed_before_nowruz_waits_out_the_holidays(order_booth, product):
    with time_machine.travel(WEDNESDAY_BEFORE_NOWRUZ, tick=False):
        part = place(basket_with([(product, 1)])).seller_orders.get()
    assert part.accept_deadline == dt.datetime(2027, 3, 25, 10, 0, tzinfo=TEHRAN)
    # 48 clock hours later (Friday) and on the last day of Nowruz: still waiting.
    for moment in (
        WEDNESDAY_BEFORE_NOWRUZ + dt.timedelta(hours=48),
        dt.datetime(2027, 3, 24, 23, 0, tzinfo=TEHRAN),
    ):
        with time_machine.travel(moment, tick=False):
            seller_orders_expire()
        part.refresh_from_db()
        assert part.status == SellerOrder.Status.NEW
    # Once the working hours have run out, the beat task cancels it.
    with time_machine.travel(
        dt.datetime(2027, 3, 25, 10, 1, tzinfo=TEHRAN), tick=False
    ):
        seller_orders_expire()
    part.refresh_from_db()
    assert part.status == SellerOrder.Status.CANCELLED
