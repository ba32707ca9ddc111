"""Races on PostgreSQL, with real threads and separate connections: no oversell,
and no deadlock when two baskets lock the same products in opposite orders."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from orders.models import Order
from orders.services import PlacementError
from sellers.partner.models import StockRecord
from tests.factories import make_product

from .conftest import basket_with, guest, make_booth, place

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_required"),
]


def run_together(jobs):
    """Start every job at once (a barrier), each in its own thread and database
    connection; return their results or exceptions in order."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as error:  # noqa: BLE001  (collected for the test)
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a buyer hung"
    return results


def test_twenty_buyers_for_the_last_five_units():
    seller, _ = make_booth("+989121111111", name="چرم نیلوفر")
    product = make_product(seller=seller, title="کیف آخر", num_in_stock=5)
    baskets = [basket_with([(product, 1)]) for _ in range(20)]
    jobs = [
        (lambda b=b, i=i: place(b, buyer=guest(phone=f"+98935000{i:04d}")))
        for i, b in enumerate(baskets)
    ]
    results = run_together(jobs)

    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, PlacementError)]
    unexpected = [r for r in results if not isinstance(r, (Order, PlacementError))]
    assert not unexpected, unexpected
    assert len(orders) == 5
    assert len(refused) == 15
    assert all("«کیف آخر» تمام شده است." == r.message for r in refused)
    record = StockRecord.objects.get(product=product)
    assert record.num_in_stock - record.num_allocated == 0
    assert Order.objects.count() == 5


def test_opposite_lock_orders_do_not_deadlock():
    seller, _ = make_booth("+989121111111", name="چرم نیلوفر")
    first = make_product(seller=seller, title="کیف", num_in_stock=50)
    second = make_product(seller=seller, title="کمربند", num_in_stock=50)
    jobs = []
    for i in range(6):
        pair = [(first, 1), (second, 1)] if i % 2 else [(second, 1), (first, 1)]
        basket = basket_with(pair)
        jobs.append(
            lambda b=basket, i=i: place(b, buyer=guest(phone=f"+98935100{i:04d}"))
        )
    results = run_together(jobs)
    assert all(isinstance(r, Order) for r in results), results
    for product in (first, second):
        assert StockRecord.objects.get(product=product).num_allocated == 6


def test_double_click_from_two_threads_places_one_order():
    seller, _ = make_booth("+989121111111", name="چرم نیلوفر")
    product = make_product(seller=seller, title="کیف", num_in_stock=5)
    basket = basket_with([(product, 2)])
    results = run_together([lambda: place(basket) for _ in range(4)])
    assert all(isinstance(r, Order) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert StockRecord.objects.get(product=product).num_allocated == 2
