"""Stripe after the checkout (issue 25 §8): reconciliation runs in beat and asks
Stripe only about payments that can still change; `charge.refunded` and
`charge.dispute.created` (signed webhooks) recognise our own refunds and flag
the rest in the ledger (amount 0) with a staff attention row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from orders import card as card_module
from orders import stripe_gateway, tasks
from orders.card import stripe_reconcile
from orders.models import (
    CardPayment,
    CardRefund,
    LedgerEntry,
    StripeEvent,
    StripeIncident,
)
from orders.services import BUYER, seller_order_transition

from .stripe_helpers import intent_object, post_event

pytestmark = pytest.mark.django_db
K = LedgerEntry.Kind


def _paid(client, card_order):
    order, payment = card_order
    post_event(client, "payment_intent.succeeded", intent_object(payment))
    payment.refresh_from_db()
    return order, payment, list(order.seller_orders.order_by("pk"))


def _balances(order):
    return {
        part.pk: LedgerEntry.objects.filter(seller_order=part).aggregate(
            s=Sum("amount")
        )["s"]
        for part in order.seller_orders.all()
    }


def _charge(payment, *, refunds=None, amount_refunded=0):
    obj = {
        "id": payment.charge_id,
        "object": "charge",
        "payment_intent": payment.payment_intent_id,
        "amount": payment.amount_minor,
        "amount_refunded": amount_refunded,
        "currency": payment.currency,
        "refunded": amount_refunded >= payment.amount_minor,
    }
    if refunds is not None:
        obj["refunds"] = {"object": "list", "data": refunds}
    return obj


# --- reconciliation ----------------------------------------------------------------


def test_reconcile_runs_hourly_in_beat():
    entry = django_settings.CELERY_BEAT_SCHEDULE["orders-stripe-reconcile"]
    assert entry["task"] == "orders.tasks.stripe_reconcile_run"
    assert entry["schedule"] == 3600.0
    assert tasks.stripe_reconcile_run.name == entry["task"]


@pytest.mark.dates
def test_reconcile_asks_only_about_payments_that_can_still_change(
    client, card_order, monkeypatch
):
    order, payment = card_order
    asked = []

    def retrieve(intent_id):
        asked.append(intent_id)
        current = CardPayment.objects.get(payment_intent_id=intent_id)
        status = "succeeded" if current.status == "succeeded" else "requires_action"
        return stripe_gateway.intent_from_event(
            stripe_gateway.WebhookEvent(
                id="x",
                type="payment_intent.x",
                object=intent_object(current, status=status),
            )
        )

    monkeypatch.setattr(card_module, "payment_intent_retrieve", retrieve)

    def age(**delta):
        CardPayment.objects.filter(pk=payment.pk).update(
            created_at=timezone.now() - dt.timedelta(**delta)
        )
        asked.clear()
        rows = stripe_reconcile()
        return asked == [payment.payment_intent_id], rows

    # waiting for her card: asked, until it is too old to matter
    assert age(hours=1)[0]
    assert not age(days=django_settings.STRIPE_RECONCILE_DAYS + 1)[0]
    # paid and settled on both sides: never asked again, young or old
    _paid(client, card_order)
    assert not age(hours=1)[0]
    assert not age(days=30)[0]
    # a refund outstanding: asked (and the refund sent) however old
    first = order.seller_orders.order_by("pk").first()
    seller_order_transition(seller_order=first, action="cancel", party=BUYER)
    refund = CardRefund.objects.get()
    assert refund.status == CardRefund.Status.PENDING
    was_asked, rows = age(days=30)
    assert was_asked
    assert [r.action for r in rows] == ["fixed: refund sent"]
    refund.refresh_from_db()
    assert refund.status == CardRefund.Status.SENT
    # settled again: left alone
    assert not age(days=30)[0]


def test_the_beat_task_returns_what_disagreed(card_order, monkeypatch):
    order, payment = card_order
    CardPayment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )

    def unreachable(intent_id):
        raise stripe_gateway.CardPaymentError("down")

    monkeypatch.setattr(card_module, "payment_intent_retrieve", unreachable)
    assert tasks.stripe_reconcile_run() == 1


# --- charge.refunded -----------------------------------------------------------------


def test_our_own_refund_reported_back_changes_nothing(
    client, card_order, django_capture_on_commit_callbacks
):
    order, payment, (first, _) = _paid(client, card_order)
    with django_capture_on_commit_callbacks(execute=True):
        seller_order_transition(seller_order=first, action="cancel", party=BUYER)
    refund = CardRefund.objects.get()
    assert refund.status == CardRefund.Status.SENT
    entries = LedgerEntry.objects.count()
    listed = post_event(
        client,
        "charge.refunded",
        _charge(
            payment,
            refunds=[
                {
                    "id": refund.stripe_refund_id,
                    "amount": refund.amount_minor,
                    "metadata": {"key": refund.idempotency_key},
                }
            ],
            amount_refunded=refund.amount_minor,
        ),
    )
    assert listed.status_code == 200
    assert listed.json()["outcome"] == "refund_known"
    # no list (newer API versions): the refunded total is ours
    total = post_event(
        client,
        "charge.refunded",
        _charge(payment, amount_refunded=refund.amount_minor),
    )
    assert total.json()["outcome"] == "refund_known"
    assert not StripeIncident.objects.exists()
    assert LedgerEntry.objects.count() == entries


def test_our_refund_reported_before_our_row_has_its_id_is_ours_by_its_key(
    client, card_order
):
    order, payment, (first, _) = _paid(client, card_order)
    seller_order_transition(seller_order=first, action="cancel", party=BUYER)
    refund = CardRefund.objects.get()
    assert refund.stripe_refund_id == ""  # not sent yet from our side
    response = post_event(
        client,
        "charge.refunded",
        _charge(
            payment,
            refunds=[
                {
                    "id": "re_just_made",
                    "amount": refund.amount_minor,
                    "metadata": {"key": refund.idempotency_key},
                }
            ],
        ),
    )
    assert response.json()["outcome"] == "refund_known"
    assert not StripeIncident.objects.exists()


def test_a_refund_made_in_stripes_dashboard_is_flagged_for_staff(
    client, card_order, staff
):
    order, payment, parts = _paid(client, card_order)
    before = _balances(order)
    dashboard = {"id": "re_dashboard_1", "amount": 1500, "reason": "requested"}
    response = post_event(
        client,
        "charge.refunded",
        _charge(payment, refunds=[dashboard], amount_refunded=1500),
    )
    assert response.status_code == 200
    assert response.json()["outcome"] == "refund_external"
    incident = StripeIncident.objects.get()
    assert (incident.kind, incident.stripe_id, incident.amount_minor) == (
        "ext_refund",
        "re_dashboard_1",
        1500,
    )
    assert incident.amount_display == "15.00 EUR"
    # a flag on each part the charge paid, moving no balance
    flags = LedgerEntry.objects.filter(kind=K.EXTERNAL_REFUND).order_by("pk")
    assert [f.seller_order_id for f in flags] == [p.pk for p in parts]
    assert {(f.amount, f.gross, f.payment_reference) for f in flags} == {
        (0, 0, "re_dashboard_1")
    }
    assert _balances(order) == before
    # Stripe lists it again with the next refund: recorded once
    again = post_event(
        client,
        "charge.refunded",
        _charge(payment, refunds=[dashboard], amount_refunded=1500),
    )
    assert again.json()["outcome"] == "refund_known"
    assert StripeIncident.objects.count() == 1
    assert flags.count() == 2
    # staff see it
    client.force_login(staff)
    page = client.get(reverse("orders_staff:attention")).content.decode()
    assert page.count('data-testid="stripe-incident"') == 1
    assert "re_dashboard_1" in page and "15.00 EUR" in page
    # a cancelled part's reversals leave the flag alone: it still nets to zero
    seller_order_transition(seller_order=parts[1], action="cancel", party=BUYER)
    assert _balances(order)[parts[1].pk] == 0
    assert not LedgerEntry.objects.filter(
        kind=K.REVERSAL, reverses__kind=K.EXTERNAL_REFUND
    ).exists()


def test_a_dashboard_refund_without_a_refund_list_is_the_total_beyond_ours(
    client, card_order
):
    order, payment, _ = _paid(client, card_order)
    response = post_event(
        client, "charge.refunded", _charge(payment, amount_refunded=700)
    )
    assert response.json()["outcome"] == "refund_external"
    incident = StripeIncident.objects.get()
    assert incident.amount_minor == 700
    assert incident.stripe_id == f"{payment.charge_id}:700"
    # the same total again adds nothing; more refunded adds the difference
    post_event(client, "charge.refunded", _charge(payment, amount_refunded=700))
    post_event(client, "charge.refunded", _charge(payment, amount_refunded=1000))
    assert sorted(StripeIncident.objects.values_list("amount_minor", flat=True)) == [
        300,
        700,
    ]


# --- charge.dispute.created ------------------------------------------------------------


def test_a_dispute_is_flagged_once_with_an_attention_row(client, card_order, staff):
    order, payment, parts = _paid(client, card_order)
    before = _balances(order)
    dispute = {
        "id": "dp_test_1",
        "object": "dispute",
        "charge": payment.charge_id,
        "payment_intent": payment.payment_intent_id,
        "amount": payment.amount_minor,
        "currency": payment.currency,
        "reason": "fraudulent",
        "status": "needs_response",
    }
    response = post_event(client, "charge.dispute.created", dispute)
    assert response.json()["outcome"] == "dispute"
    assert StripeEvent.objects.get(event_id=response.event_id).payment_intent_id == (
        payment.payment_intent_id
    )
    replay = post_event(
        client, "charge.dispute.created", dispute, event_id=response.event_id
    )
    assert replay.json()["outcome"] == "duplicate"
    incident = StripeIncident.objects.get()
    assert (incident.kind, incident.reason) == ("dispute", "fraudulent")
    flags = LedgerEntry.objects.filter(kind=K.DISPUTE)
    assert sorted(flags.values_list("seller_order_id", flat=True)) == [
        p.pk for p in parts
    ]
    assert _balances(order) == before
    client.force_login(staff)
    page = client.get(reverse("orders_staff:attention")).content.decode()
    assert page.count('data-testid="stripe-incident"') == 1
    assert 'data-kind="dispute"' in page and "dp_test_1" in page


def test_a_dispute_found_by_its_charge_alone(client, card_order):
    order, payment, _ = _paid(client, card_order)
    dispute = {
        "id": "dp_test_2",
        "object": "dispute",
        "charge": payment.charge_id,
        "amount": 100,
        "currency": payment.currency,
        "reason": "general",
    }
    assert post_event(client, "charge.dispute.created", dispute).json()["outcome"] == (
        "dispute"
    )
    assert StripeIncident.objects.get().payment == payment


def test_charge_events_for_a_charge_not_ours_change_nothing(client, card_order):
    _paid(client, card_order)
    stranger = {
        "id": "ch_someone_else",
        "object": "charge",
        "payment_intent": "pi_someone_else",
        "amount_refunded": 500,
        "currency": "eur",
    }
    response = post_event(client, "charge.refunded", stranger)
    assert response.json()["outcome"] == "not_ours"
    assert not StripeIncident.objects.exists()
