"""Card payment tests: signed webhook events (stripe-mock keeps no state, so the
tests build the event sequences themselves and sign them through the SDK with
the test secret) and a card order. The two misbehaving local servers (one that
never answers, one that answers 500) live in the `tests.orders.stripe_faults`
plugin."""

from __future__ import annotations

import itertools
import json
import time
from decimal import Decimal

import stripe
from django.urls import reverse
from django.utils import timezone

from orders.card import card_payment_start, exchange_rate_set
from orders.models import CardPayment
from tests.conftest import STRIPE_TEST_WEBHOOK_SECRET
from tests.orders.stripe_faults import error_server, hanging_server

__all__ = ["error_server", "hanging_server"]

_ids = itertools.count(1)
RATE_RIALS = Decimal(1_000_000)  # 100,000 toman per euro


def set_rate(rials=RATE_RIALS, day=None, actor=None):
    """The rate in force, set (by default) today."""
    return exchange_rate_set(
        rials_per_unit=Decimal(rials),
        effective_on=day or timezone.localdate(),
        actor=actor,
    )


def intent_object(payment: CardPayment, *, status="succeeded", charge=None, error=""):
    obj = {
        "id": payment.payment_intent_id,
        "object": "payment_intent",
        "amount": payment.amount_minor,
        "currency": payment.currency,
        "status": status,
        "transfer_group": payment.order.number,
        "metadata": {"order": payment.order.number},
        "latest_charge": charge
        if charge is not None
        else (f"ch_test_{payment.pk}" if status == "succeeded" else None),
        "last_payment_error": {"message": error, "code": "card_declined"}
        if error
        else None,
    }
    return obj


def signed(event_type: str, obj: dict, *, event_id: str = "", secret: str = ""):
    """(payload, Stripe-Signature header) signed with the test webhook secret."""
    event = {
        "id": event_id or f"evt_test_{next(_ids)}_{int(time.time() * 1000)}",
        "object": "event",
        "type": event_type,
        "api_version": "2025-01-01",
        "created": int(time.time()),
        "data": {"object": obj},
    }
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(
        payload, secret or STRIPE_TEST_WEBHOOK_SECRET
    )
    return payload, header, event["id"]


def post_event(client, event_type: str, obj: dict, **kwargs):
    payload, header, event_id = signed(event_type, obj, **kwargs)
    response = client.post(
        reverse("stripe:webhook"),
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    response.event_id = event_id
    return response


def start(order) -> CardPayment:
    return card_payment_start(order=order).payment
