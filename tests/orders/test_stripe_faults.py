"""Stripe failing (issue 25, fault injection): Stripe hangs (a local server that
accepts and never answers; the SDK gives up after 0.5 s) or answers 500 during
the checkout, a decline, the buyer's cancel, a staff cancel and the expiry
beat. Each time: no 500, nothing lost, the refund pending; then Stripe back
(stripe-mock) and the sweep completes each refund exactly once, with its one
idempotency key. The servers are `tests/orders/stripe_faults.py`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from orders import refunds, stripe_gateway, tasks
from orders.models import CardPayment, CardRefund, LedgerEntry, SellerOrder
from orders.notifications import buyer_link_token
from orders.refunds import card_refunds_sweep

from .conftest import basket_with, place
from .stripe_helpers import intent_object, post_event, set_rate, start

pytestmark = pytest.mark.django_db
S = SellerOrder.Status
R = CardRefund.Status
OUTAGES = pytest.mark.parametrize(
    "stripe_outage", ["hang", "500"], indirect=True, ids=["hangs", "500"]
)


@pytest.fixture
def refund_calls(monkeypatch):
    """Every refund asked of Stripe (whichever Stripe the settings name) and
    whether it answered."""
    calls = []
    real = stripe_gateway.refund_create

    def record(**kwargs):
        try:
            refund_id = real(**kwargs)
        except stripe_gateway.CardPaymentError:
            calls.append((kwargs["idempotency_key"], None))
            raise
        calls.append((kwargs["idempotency_key"], refund_id))
        return refund_id

    monkeypatch.setattr(refunds, "refund_create", record)
    return calls


@OUTAGES
def test_checkout_with_stripe_down_shows_persian_and_keeps_the_order(
    client, stripe_outage, order_booth, product
):
    set_rate()
    order = place(basket_with([(product, 1)]), method="card")
    session = client.session
    session["orders_checkout"] = {"placed": order.number, "token": "x"}
    session.save()
    stripe_outage.down()
    page = client.get(reverse("checkout:card"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "درگاه پرداخت کارتی (Stripe) اکنون در دسترس نیست" in text
    assert 'data-testid="card-switch"' in text
    assert not CardPayment.objects.filter(order=order).exists()
    assert order.seller_orders.get().status == S.AWAITING_PAYMENT
    # Stripe back: the same page makes the order's one PaymentIntent
    stripe_outage.up()
    page = client.get(reverse("checkout:card"))
    assert page.status_code == 200 and "_secret_" in page.content.decode()
    assert CardPayment.objects.filter(order=order).count() == 1


def _decline(client, part, order_booth, booth2):
    owner = (order_booth if part.seller_id == order_booth[0].pk else booth2)[1]
    client.force_login(owner)
    return client.post(
        reverse(
            "orders_panel:part_action",
            kwargs={
                "seller_id": part.seller_id,
                "part_id": part.pk,
                "action": "decline",
            },
        ),
        {"reason": "مواد اولیه تمام شد"},
    )


def _cancel(client, part, order_booth, booth2):
    token = buyer_link_token(part.order)
    return client.post(reverse("orders:track_action", args=[token, part.pk, "cancel"]))


def _staff_cancel(client, part, staff):
    client.force_login(staff)
    return client.post(
        reverse("orders_staff:part_cancel", args=[part.pk]),
        {"reason": "غرفه تعطیل شد"},
    )


@OUTAGES
@pytest.mark.parametrize("action", ["decline", "cancel", "staff_cancel", "expire"])
def test_cancelling_a_paid_part_with_stripe_down_loses_nothing(
    client,
    card_order,
    order_booth,
    booth2,
    staff,
    stripe_outage,
    refund_calls,
    action,
    django_capture_on_commit_callbacks,
):
    order, payment = card_order
    post_event(client, "payment_intent.succeeded", intent_object(payment))
    parts = list(order.seller_orders.order_by("pk"))
    stripe_outage.down()
    with django_capture_on_commit_callbacks(execute=True):
        if action == "expire":
            order.seller_orders.update(
                accept_deadline=timezone.now() - dt.timedelta(hours=1)
            )
            assert tasks.expire_overdue_seller_orders() == 2
            cancelled = parts
        else:
            part = parts[0]
            if action == "decline":
                response = _decline(client, part, order_booth, booth2)
            elif action == "cancel":
                response = _cancel(client, part, order_booth, booth2)
            else:
                response = _staff_cancel(client, part, staff)
            assert response.status_code == 302  # never a 500
            cancelled = [part]
    # the cancellation stands: stock back, the booth's sale reversed
    for part in cancelled:
        part.refresh_from_db()
        assert part.status == S.CANCELLED
        total = LedgerEntry.objects.filter(seller_order=part).aggregate(
            s=Sum("amount")
        )["s"]
        assert total == 0
    # the refund waits, tried once after commit against the broken Stripe
    pending = list(CardRefund.objects.order_by("pk"))
    assert [r.seller_order_id for r in pending] == [p.pk for p in cancelled]
    assert {r.status for r in pending} == {R.PENDING}
    assert {r.attempts for r in pending} == {1}
    assert all(r.last_error for r in pending)
    assert [refund_id for _, refund_id in refund_calls] == [None] * len(cancelled)
    # Stripe back: the sweep sends each once, with its one key
    stripe_outage.up()
    later = timezone.now() + dt.timedelta(hours=1)
    assert card_refunds_sweep(now=later) == len(cancelled)
    assert card_refunds_sweep(now=later + dt.timedelta(days=1)) == 0
    for refund in pending:
        refund.refresh_from_db()
        assert refund.status == R.SENT
        assert refund.stripe_refund_id.startswith("re_")
        asked = [rid for key, rid in refund_calls if key == refund.idempotency_key]
        assert asked == [None, refund.stripe_refund_id]
        assert refund.idempotency_key == (
            f"refund-{order.number}-{refund.seller_order.seller_id}-{action}"
        )


@OUTAGES
def test_the_expiry_beat_with_stripe_down_still_cancels_the_unpaid_holds(
    client, card_order, stripe_outage, order_booth, product
):
    """A paid part that expires (its refund waits) and an unpaid card hold of
    another order, in the same run: both are cancelled."""
    order, payment = card_order
    post_event(client, "payment_intent.succeeded", intent_object(payment))
    unpaid = place(basket_with([(product, 1)]), method="card")
    start(unpaid)
    SellerOrder.objects.update(accept_deadline=timezone.now() - dt.timedelta(hours=1))
    stripe_outage.down()
    assert tasks.expire_overdue_seller_orders() == 3
    assert set(SellerOrder.objects.values_list("status", flat=True)) == {S.CANCELLED}
    assert CardRefund.objects.filter(status=R.PENDING).count() == 2
