"""Card payment races on PostgreSQL, with real threads and separate
connections, against stripe-mock: two tabs start paying at the same moment,
and Stripe's `payment_intent.succeeded` overtakes the checkout request that
created the PaymentIntent."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections

from orders import card as card_module
from orders import stripe_gateway
from orders.card import card_payment_start, stripe_event_handle
from orders.models import CardPayment, SellerOrder
from orders.stripe_gateway import WebhookEvent

from .conftest import basket_with, make_booth, place
from .stripe_helpers import intent_object, set_rate
from .test_race import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_required"),
]


@pytest.fixture
def card_order(stripe_mock):
    from tests.factories import make_product

    seller, _ = make_booth("+989121111111", name="چرم نیلوفر")
    product = make_product(seller=seller, title="کیف", num_in_stock=5)
    set_rate()
    return place(basket_with([(product, 1)]), method="card")


def test_two_tabs_at_once_make_one_payment_intent(card_order, monkeypatch):
    creates = []
    real = stripe_gateway.payment_intent_create

    def slow_create(**kwargs):
        creates.append(kwargs["idempotency_key"])
        time.sleep(0.3)  # the other tab arrives while this one talks to Stripe
        return real(**kwargs)

    monkeypatch.setattr(card_module, "payment_intent_create", slow_create)
    order = card_order
    results = run_together([lambda: card_payment_start(order=order) for _ in range(2)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(creates) == 1
    assert results[0].payment.payment_intent_id == results[1].payment.payment_intent_id
    assert CardPayment.objects.filter(order=order).count() == 1


def test_succeeded_arrives_before_the_checkout_request_returns(card_order, monkeypatch):
    """The event comes while the request that created the intent has not
    committed: it waits on the order's lock, then applies (never lost)."""
    order = card_order
    real = stripe_gateway.payment_intent_create
    outcome: dict[str, object] = {}
    webhook_thread: list[threading.Thread] = []

    def deliver(intent_id, amount_minor, currency):
        try:
            obj = intent_object(
                CardPayment(
                    payment_intent_id=intent_id,
                    order=order,
                    amount_minor=amount_minor,  # what was asked: paid, not a mismatch
                    currency=currency,
                ),
                charge="ch_race",
            )
            event = WebhookEvent(
                id="evt_race_1", type="payment_intent.succeeded", object=obj
            )
            outcome["webhook"] = stripe_event_handle(event)
        except Exception as error:  # noqa: BLE001  (checked below)
            outcome["webhook"] = error
        finally:
            connections.close_all()

    def create_then_webhook(**kwargs):
        intent = real(**kwargs)
        thread = threading.Thread(
            target=deliver,
            args=(intent.id, kwargs["amount_minor"], kwargs["currency"]),
        )
        thread.start()
        webhook_thread.append(thread)
        time.sleep(0.5)  # the event is here before this request commits
        outcome["webhook_before_commit"] = "webhook" not in outcome
        return intent

    monkeypatch.setattr(card_module, "payment_intent_create", create_then_webhook)
    start = card_payment_start(order=order)
    webhook_thread[0].join(timeout=30)
    assert outcome["webhook_before_commit"] is True  # it had to wait
    assert outcome["webhook"] == "paid", outcome
    start.payment.refresh_from_db()
    assert start.payment.status == "succeeded"
    assert order.seller_orders.get().status == SellerOrder.Status.NEW
