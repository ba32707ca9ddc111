"""Stripe after the checkout: money that moved at Stripe outside our flows.

Rules:
- `charge.refunded` (Stripe sends it for every refund of a charge, ours too):
  a refund we made is recognised by its id (`CardRefund.stripe_refund_id`) or
  by the outbox key it carries in its metadata (for the moment between
  Stripe's answer and our row saying so) and changes nothing. Any other
  refund was made in Stripe's dashboard: one `StripeIncident` (per refund id,
  so the next `charge.refunded`, which lists it again, adds nothing), flag
  entries in the ledger and a row on the staff attention page. When Stripe
  sends no refund list, the charge's refunded total beyond our own refunds
  (pending or sent) and the external ones already recorded is the new one.
- `charge.dispute.created`: one `StripeIncident` per dispute, ledger flags and
  an attention row.
- The ledger's flags (`orders.ledger.ledger_flag_card_incident`) move no
  balance: money left the platform's Stripe balance, which is not yet what a
  booth is owed. Staff decide (cancel the part, whose reversals move her
  balance the ordinary way; or nothing, when the platform bears it).
- Run inside `orders.card.stripe_event_handle`'s transaction, once per event.
"""

from __future__ import annotations

import logging

from .ledger import ledger_flag_card_incident
from .models import CardPayment, CardRefund, StripeIncident
from .stripe_gateway import WebhookEvent

logger = logging.getLogger(__name__)
IK = StripeIncident.Kind
R = CardRefund.Status

#: The event types this module handles (besides the PaymentIntent ones).
INCIDENT_EVENTS = ("charge.refunded", "charge.dispute.created")


def stripe_incident_handle(event: WebhookEvent) -> str:
    """Record what `event` (one of `INCIDENT_EVENTS`) says, once; returns the
    outcome for the event's row."""
    obj = event.object
    payment = _payment_for(obj)
    if payment is None:
        logger.warning("stripe %s for a charge not ours: %s", event.type, obj.get("id"))
        return "not_ours"
    if event.type == "charge.dispute.created":
        _record(
            payment,
            kind=IK.DISPUTE,
            stripe_id=str(obj.get("id", "")),
            amount_minor=int(obj.get("amount") or 0),
            currency=str(obj.get("currency") or payment.currency),
            reason=str(obj.get("reason") or ""),
            event_id=event.id,
        )
        return "dispute"
    return _charge_refunded(payment, obj, event.id)


def _intent_id(obj: dict) -> str:
    intent = obj.get("payment_intent") or ""
    if isinstance(intent, dict):
        intent = intent.get("id", "")
    return str(intent)


def _payment_for(obj: dict) -> CardPayment | None:
    payments = CardPayment.objects.select_for_update()
    intent = _intent_id(obj)
    if intent:
        payment = payments.filter(payment_intent_id=intent).first()
        if payment is not None:
            return payment
    charge = obj.get("charge") if obj.get("object") == "dispute" else obj.get("id")
    if isinstance(charge, dict):
        charge = charge.get("id")
    if not charge:
        return None
    return payments.filter(charge_id=charge).first()


def _charge_refunded(payment: CardPayment, charge: dict, event_id: str) -> str:
    ours = list(CardRefund.objects.filter(payment=payment))
    our_ids = {r.stripe_refund_id for r in ours if r.stripe_refund_id}
    our_keys = {r.idempotency_key for r in ours}
    currency = str(charge.get("currency") or payment.currency)
    listed = (charge.get("refunds") or {}).get("data") or []
    if listed:
        new = 0
        for refund in listed:
            key = (refund.get("metadata") or {}).get("key", "")
            if refund.get("id") in our_ids or key in our_keys:
                continue
            new += _record(
                payment,
                kind=IK.EXTERNAL_REFUND,
                stripe_id=str(refund.get("id", "")),
                amount_minor=int(refund.get("amount") or 0),
                currency=str(refund.get("currency") or currency),
                reason=str(refund.get("reason") or ""),
                event_id=event_id,
            )
        return "refund_external" if new else "refund_known"
    refunded = int(charge.get("amount_refunded") or 0)
    known = sum(r.amount_minor for r in ours if r.status in (R.PENDING, R.SENT))
    known += sum(
        payment.incidents.filter(kind=IK.EXTERNAL_REFUND).values_list(
            "amount_minor", flat=True
        )
    )
    if refunded <= known:
        return "refund_known"
    _record(
        payment,
        kind=IK.EXTERNAL_REFUND,
        stripe_id=f"{charge.get('id', '')}:{refunded}",
        amount_minor=refunded - known,
        currency=currency,
        reason="",
        event_id=event_id,
    )
    return "refund_external"


def _record(payment: CardPayment, *, kind: str, stripe_id: str, **fields) -> bool:
    """One incident per Stripe object, its ledger flags with it; False when
    it was recorded before."""
    incident, created = StripeIncident.objects.get_or_create(
        stripe_id=stripe_id[:255],
        defaults={"kind": kind, "payment": payment, **fields},
    )
    if created:
        ledger_flag_card_incident(incident)
        logger.warning(
            "stripe %s %s on order %s: %s %s; staff must look",
            kind,
            incident.stripe_id,
            payment.order_id,
            incident.amount_minor,
            incident.currency,
        )
    return created
