"""The one lock order (docs/ARCHITECTURE.md, "Lock order"), on PostgreSQL with
real threads and separate connections: two changes to sibling parts of one
order, started together, always leave the order's status equal to the
derivation from its parts, never deadlock, and leave stock and week loads
right. A slow `order_status_sync` widens the window in which, without the
order's row lock, each change would derive the status from a sibling the
other had not committed yet."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db.models import Sum
from django.utils import timezone

from orders import services
from orders.card import card_payment_switch_to_cash, stripe_event_handle
from orders.models import CardPayment, Line, Order, SellerOrder
from orders.services import (
    BUYER,
    SELLER,
    STAFF,
    SYSTEM,
    seller_order_transition,
)
from orders.status import order_status_derive
from orders.stripe_gateway import WebhookEvent
from sellers.models import SellerWeekLoad
from sellers.partner.models import StockRecord
from tests.factories import make_product

from .conftest import basket_with, make_booth, place
from .stripe_helpers import intent_object, set_rate, start
from .test_race import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_required"),
]

S = SellerOrder.Status
OPEN = (S.AWAITING_PAYMENT, S.NEW, S.ACCEPTED, S.READY, S.SHIPPED)


@pytest.fixture
def slow_sync(monkeypatch):
    real = services.order_status_sync

    def slow(order):
        time.sleep(0.3)  # the sibling's change runs meanwhile
        return real(order)

    monkeypatch.setattr(services, "order_status_sync", slow)


def two_booth_order(method=None):
    """An order with two parts: booth A sells two ready-made bags (5 in stock),
    booth B one ready-made cake (3 in stock) and two made-to-order rugs (a
    weekly capacity of 10)."""
    booth_a, owner_a = make_booth("+989121111111", name="چرم نیلوفر")
    booth_b, owner_b = make_booth("+989122222222", name="شیرینی مهر")
    booth_b.weekly_capacity = 10
    booth_b.save(update_fields=["weekly_capacity"])
    bag = make_product(seller=booth_a, title="کیف", num_in_stock=5)
    cake = make_product(seller=booth_b, title="کیک", num_in_stock=3)
    rug = make_product(
        seller=booth_b, title="گلیم", made_to_order=True, preparation_days=3
    )
    if method == "card":
        set_rate()
    order = place(basket_with([(bag, 2), (cake, 1), (rug, 2)]), method=method)
    part_a = order.seller_orders.get(seller=booth_a)
    part_b = order.seller_orders.get(seller=booth_b)
    return order, (part_a, owner_a), (part_b, owner_b), {"bag": bag, "cake": cake}


def assert_consistent(order, in_stock):
    """Status derived; each stock record's allocation equal to the ready-made
    units of its open parts and its stock less only what was delivered; the
    week load equal to the made-to-order units of open parts."""
    order.refresh_from_db()
    statuses = list(order.seller_orders.values_list("status", flat=True))
    assert order.status == order_status_derive(statuses), statuses
    lines = Line.objects.filter(order=order)
    for name, product in in_stock.items():
        record = StockRecord.objects.get(product=product)
        open_units = (
            lines.filter(
                product=product, seller_order__status__in=OPEN, made_to_order=False
            ).aggregate(n=Sum("quantity"))["n"]
            or 0
        )
        delivered = (
            lines.filter(product=product, seller_order__status=S.DELIVERED).aggregate(
                n=Sum("quantity")
            )["n"]
            or 0
        )
        assert record.num_allocated == open_units, name
        start = {"bag": 5, "cake": 3}[name]
        assert record.num_in_stock == start - delivered, name
    made = (
        lines.filter(
            made_to_order=True, seller_order__status__in=OPEN + (S.DELIVERED,)
        ).aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    assert sum(SellerWeekLoad.objects.values_list("units", flat=True)) == made


def act(part, action, party, actor=None, note=""):
    return lambda: seller_order_transition(
        seller_order=SellerOrder(pk=part.pk),
        action=action,
        party=party,
        actor=actor,
        note=note,
    )


def prepare(part, owner, *steps):
    for action in steps:
        party = BUYER if action == "deliver" else SELLER
        seller_order_transition(
            seller_order=part, action=action, party=party, actor=owner
        )


# Each case: what to do to part A and to part B before the race, then the two
# racing changes. "owner" is the part's booth owner; "staff" a staff member.
CASES = {
    "buyer cancel vs booth decline": (
        (),
        (),
        ("cancel", BUYER, None, ""),
        ("decline", SELLER, "owner", "تمام شد"),
    ),
    "accept vs buyer cancel": (
        (),
        (),
        ("accept", SELLER, "owner", ""),
        ("cancel", BUYER, None, ""),
    ),
    "staff cancel vs deliver": (
        ("accept",),
        ("accept", "ship"),
        ("staff_cancel", STAFF, "staff", "غرفه نمی‌تواند بفرستد"),
        ("deliver", BUYER, None, ""),
    ),
    "decline vs decline": (
        (),
        (),
        ("decline", SELLER, "owner", "تمام شد"),
        ("decline", SELLER, "owner", "تمام شد"),
    ),
    "expire vs accept": (
        ("past_deadline",),
        (),
        ("expire", SYSTEM, None, "مهلت گذشت"),
        ("accept", SELLER, "owner", ""),
    ),
    "deliver vs deliver": (
        ("accept", "ship"),
        ("accept", "ship"),
        ("deliver", BUYER, None, ""),
        ("deliver", SELLER, "owner", ""),
    ),
    "staff cancel vs staff cancel": (
        ("accept",),
        (),
        ("staff_cancel", STAFF, "staff", "درخواست خریدار"),
        ("staff_cancel", STAFF, "staff", "درخواست خریدار"),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_sibling_transitions_race_to_a_consistent_order(case, slow_sync, staff):
    before_a, before_b, race_a, race_b = CASES[case]
    order, (part_a, owner_a), (part_b, owner_b), products = two_booth_order()
    for part, owner, steps in (
        (part_a, owner_a, before_a),
        (part_b, owner_b, before_b),
    ):
        for step in steps:
            if step == "past_deadline":
                SellerOrder.objects.filter(pk=part.pk).update(
                    accept_deadline=timezone.now() - dt.timedelta(minutes=1)
                )
            else:
                prepare(part, owner, step)
    jobs = []
    for part, owner, (action, party, who, note) in (
        (part_a, owner_a, race_a),
        (part_b, owner_b, race_b),
    ):
        actor = {"owner": owner, "staff": staff}.get(who)
        jobs.append(act(part, action, party, actor=actor, note=note))
    results = run_together(jobs)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert_consistent(order, products)


def test_the_webhook_and_switch_to_cash_never_deadlock(stripe_mock, slow_sync):
    """Stripe's success and her "pay on delivery instead" at the same moment,
    on an order whose two parts both wait for the card: one wins, whole; the
    parts are paid by card or moved to cash (a payment that lost is refunded),
    and nothing deadlocks."""
    order, (part_a, _), (part_b, _), products = two_booth_order(method="card")
    payment = start(order)
    event = WebhookEvent(
        id="evt_lock_order_1",
        type="payment_intent.succeeded",
        object=intent_object(payment, charge="ch_lock_order"),
    )
    results = run_together(
        [
            lambda: stripe_event_handle(event),
            lambda: card_payment_switch_to_cash(order=Order.objects.get(pk=order.pk)),
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    webhook, moved = results
    part_a.refresh_from_db()
    part_b.refresh_from_db()
    assert part_a.status == part_b.status == S.NEW
    assert part_a.payment_method == part_b.payment_method
    payment.refresh_from_db()
    if moved == 2:  # she switched first: the late money goes back
        assert part_a.payment_method != "card"
        assert webhook == "paid_refunded_2"
    else:  # the webhook first: nothing was left to switch
        assert moved == 0
        assert webhook == "paid"
        assert part_a.payment_method == "card"
        assert payment.status == CardPayment.Status.SUCCEEDED
    assert_consistent(order, products)
