"""A card payment that arrives after the part was cancelled as unpaid (issue 25
§6): revival is a declared, audited transition, and the revived part holds
exactly what a part paid in time holds, so a later cancellation gives back
its stock and its week's capacity, and its delivery consumes its stock.
Also: stock moves follow the kind frozen on the line, so a product switched
between ready-made and made-to-order never strands units."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from orders.calendar import week_start
from orders.card import card_parts_expire_unpaid, stripe_event_handle
from orders.models import Line, SellerOrder, SellerOrderEvent
from orders.services import BUYER, SELLER, seller_order_transition
from orders.stripe_gateway import WebhookEvent
from sellers.models import SellerWeekLoad
from sellers.partner.models import StockRecord
from tests.factories import make_product

from .conftest import basket_with, place
from .stripe_helpers import intent_object, set_rate, start

pytestmark = pytest.mark.django_db
S = SellerOrder.Status


def pay_late(order, payment):
    """The hold runs out (the part is cancelled as unpaid), then Stripe's
    success arrives."""
    order.seller_orders.update(accept_deadline=timezone.now() - dt.timedelta(minutes=1))
    assert card_parts_expire_unpaid() == 1
    assert order.seller_orders.get().status == S.CANCELLED
    event = WebhookEvent(
        id=f"evt_late_{order.pk}",
        type="payment_intent.succeeded",
        object=intent_object(payment),
    )
    return stripe_event_handle(event)


def card_order_of(product, quantity):
    set_rate()
    order = place(basket_with([(product, quantity)]), method="card")
    return order, start(order)


def test_revival_is_an_audited_transition_and_a_later_decline_frees_the_stock(
    stripe_mock, order_booth, product
):
    order, payment = card_order_of(product, 2)
    assert pay_late(order, payment) == "paid"
    part = order.seller_orders.get()
    assert part.status == S.NEW
    actions = list(part.events.values_list("action", "from_status", "to_status"))
    assert actions[-2:] == [
        ("revive", S.CANCELLED, S.AWAITING_PAYMENT),
        ("pay", S.AWAITING_PAYMENT, S.NEW),
    ]
    assert SellerOrderEvent.LABELS["revive"]
    record = StockRecord.objects.get(product=product)
    assert record.num_allocated == 2
    line = part.lines.get()
    assert (line.num_allocated, line.allocation_cancelled) == (2, False)

    seller_order_transition(
        seller_order=part,
        action="decline",
        party=SELLER,
        actor=order_booth[1],
        note="تمام شد",
    )
    record.refresh_from_db()
    assert record.num_allocated == 0  # one unit held by no open order, before
    assert record.num_in_stock == 5


def test_a_revived_ready_made_part_is_delivered_and_its_stock_consumed(
    stripe_mock, order_booth, product
):
    order, payment = card_order_of(product, 1)
    pay_late(order, payment)
    part = order.seller_orders.get()
    owner = order_booth[1]
    for action in ("accept", "ship"):
        seller_order_transition(
            seller_order=part, action=action, party=SELLER, actor=owner
        )
    # InvalidStockAdjustment (a 500) here, before: Oscar's line still said
    # its allocation was cancelled.
    part = seller_order_transition(seller_order=part, action="deliver", party=BUYER)
    assert part.status == S.DELIVERED
    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.num_allocated) == (4, 0)


@pytest.mark.dates
def test_a_part_revived_in_a_later_week_gives_capacity_back_to_that_week(
    stripe_mock, order_booth
):
    seller = order_booth[0]
    seller.weekly_capacity = 10
    seller.save(update_fields=["weekly_capacity"])
    rug = make_product(
        seller=seller, title="گلیم", made_to_order=True, preparation_days=3
    )
    placed_at = timezone.now() + dt.timedelta(days=1)
    with time_machine.travel(placed_at, tick=True):
        order, payment = card_order_of(rug, 2)
        first_week = week_start(timezone.localdate())
        assert SellerWeekLoad.objects.get(week_start=first_week).units == 2
    with time_machine.travel(placed_at + dt.timedelta(days=7), tick=True):
        assert pay_late(order, payment) == "paid"
        this_week = week_start(timezone.localdate())
        part = order.seller_orders.get()
        assert part.capacity_week == this_week != first_week
        loads = dict(SellerWeekLoad.objects.values_list("week_start", "units"))
        assert loads == {first_week: 0, this_week: 2}
        seller_order_transition(
            seller_order=part,
            action="decline",
            party=SELLER,
            actor=order_booth[1],
            note="ظرفیت ندارم",
        )
        loads = dict(SellerWeekLoad.objects.values_list("week_start", "units"))
        assert loads == {first_week: 0, this_week: 0}  # 2 stuck here, before


def test_a_late_payment_for_a_part_sold_out_meanwhile_is_refunded_not_revived(
    stripe_mock, order_booth
):
    bag = make_product(seller=order_booth[0], title="کیف آخر", num_in_stock=1)
    order, payment = card_order_of(bag, 1)
    order.seller_orders.update(accept_deadline=timezone.now() - dt.timedelta(minutes=1))
    card_parts_expire_unpaid()
    place(basket_with([(bag, 1)]))  # someone else buys the last one
    event = WebhookEvent(
        id="evt_late_sold_out",
        type="payment_intent.succeeded",
        object=intent_object(payment),
    )
    assert stripe_event_handle(event) == "paid_refunded_1"
    part = order.seller_orders.get()
    assert part.status == S.CANCELLED
    assert not part.events.filter(action="revive").exists()
    record = StockRecord.objects.get(product=bag)
    assert (record.num_in_stock, record.num_allocated) == (1, 1)


def _switch_to_made_to_order(product):
    """What a product switched behind the service's back looks like (Oscar's
    dashboard, a script): its class no longer tracks stock."""
    from catalog.models import ProductClass

    made, _ = ProductClass.objects.get_or_create(
        slug="made-to-order", defaults={"name": "سفارشی", "track_stock": False}
    )
    type(product).objects.filter(pk=product.pk).update(
        product_class=made, fulfilment="made_to_order", preparation_days=3
    )


def test_a_ready_made_line_is_given_back_by_its_own_kind_after_a_switch(
    order_booth, product
):
    order = place(basket_with([(product, 2)]))
    _switch_to_made_to_order(product)
    part = order.seller_orders.get()
    seller_order_transition(seller_order=part, action="cancel", party=BUYER)
    record = StockRecord.objects.get(product=product)
    assert record.num_allocated == 0  # 2 stranded, before
    line = Line.objects.get(seller_order=part)
    assert (line.num_allocated, line.allocation_cancelled) == (0, True)


def test_a_ready_made_line_is_consumed_by_its_own_kind_after_a_switch(
    order_booth, product
):
    order = place(basket_with([(product, 2)]))
    _switch_to_made_to_order(product)
    part = order.seller_orders.get()
    owner = order_booth[1]
    for action in ("accept", "ship"):
        seller_order_transition(
            seller_order=part, action=action, party=SELLER, actor=owner
        )
    seller_order_transition(seller_order=part, action="deliver", party=BUYER)
    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.num_allocated) == (3, 0)
