"""Stripe: the only module that imports `stripe`.

It turns the SDK's objects and errors into this project's dataclasses and
exceptions, so the card workflows (`orders.card`) and the webhook view never see
the SDK. Settings (keys from the environment, docs/SECURITY.md):

- `STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET`, `STRIPE_PUBLISHABLE_KEY`;
- `STRIPE_API_BASE`: another API address (stripe-mock in tests); empty = Stripe;
- `STRIPE_TIMEOUT_SECONDS`, `STRIPE_MAX_NETWORK_RETRIES`: the SDK retries
  connection errors and 5xx answers itself; every write carries an idempotency
  key, so a retry never charges or refunds twice.

Capture: **immediate** (`capture_method=automatic`). A booth may take longer than
a card authorisation lasts to make a made-to-order piece, and a part is refunded
on its own when declined or cancelled, so holding authorisations buys nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

import stripe
from django.conf import settings

from .payments import PaymentGateway

logger = logging.getLogger(__name__)


class CardPaymentError(Exception):
    """Stripe refused or could not be reached. `message` is Persian, for the
    buyer or staff; `declined` says the card itself was refused."""

    def __init__(self, message: str, *, declined: bool = False):
        self.message = message
        self.declined = declined
        super().__init__(message)


class WebhookSignatureInvalid(Exception):
    """The payload is not signed with our webhook secret (or is not JSON)."""


@dataclass(frozen=True)
class Intent:
    id: str
    status: str
    amount: int
    currency: str
    client_secret: str
    latest_charge: str
    failure_message: str
    metadata: dict


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    #: `data.object` as a plain dict
    object: dict


UNAVAILABLE = (
    "درگاه پرداخت کارتی (Stripe) اکنون در دسترس نیست. چند دقیقهٔ دیگر دوباره "
    "امتحان کنید یا روش پرداخت دیگری برگزینید."
)
DECLINED = "کارت شما پذیرفته نشد: {reason}"


def _client() -> stripe.StripeClient:
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base,
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def _call(what: str, fn):
    """Run one SDK call; its errors become `CardPaymentError` (logged)."""
    try:
        return fn()
    except stripe.CardError as error:
        logger.info("stripe %s: card declined (%s)", what, error.code)
        raise CardPaymentError(
            DECLINED.format(reason=error.user_message or error.code or ""),
            declined=True,
        ) from error
    except stripe.StripeError as error:
        # Timeouts and connection errors (APIConnectionError), 5xx (APIError),
        # bad requests and keys: the buyer can only wait or pay otherwise.
        logger.warning("stripe %s failed: %s: %s", what, type(error).__name__, error)
        raise CardPaymentError(UNAVAILABLE) from error


def _intent(obj) -> Intent:
    data = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    charge = data.get("latest_charge") or ""
    if isinstance(charge, dict):
        charge = charge.get("id", "")
    error = data.get("last_payment_error") or {}
    return Intent(
        id=data["id"],
        status=data.get("status") or "",
        amount=int(data.get("amount") or 0),
        currency=(data.get("currency") or "").lower(),
        client_secret=data.get("client_secret") or "",
        latest_charge=charge,
        failure_message=(error.get("message") or "") if isinstance(error, dict) else "",
        metadata=dict(data.get("metadata") or {}),
    )


def payment_intent_create(
    *,
    amount_minor: int,
    currency: str,
    order_number: str,
    idempotency_key: str,
    description: str = "",
) -> Intent:
    """One PaymentIntent for an order: `transfer_group` = the order number (its
    parts can be traced and, one day, transferred per booth)."""
    client = _client()
    params = {
        "amount": amount_minor,
        "currency": currency,
        "transfer_group": order_number,
        "capture_method": "automatic",
        "automatic_payment_methods": {"enabled": True},
        "metadata": {"order": order_number},
        "description": description or f"Dastavard order {order_number}",
    }
    return _intent(
        _call(
            "payment_intent_create",
            lambda: client.v1.payment_intents.create(
                params=params, options={"idempotency_key": idempotency_key}
            ),
        )
    )


def payment_intent_retrieve(intent_id: str) -> Intent:
    client = _client()
    return _intent(
        _call(
            "payment_intent_retrieve",
            lambda: client.v1.payment_intents.retrieve(intent_id),
        )
    )


def payment_intent_cancel(intent_id: str) -> None:
    """Best effort: a PaymentIntent already paid or cancelled cannot be."""
    client = _client()
    _call("payment_intent_cancel", lambda: client.v1.payment_intents.cancel(intent_id))


def refund_create(
    *, payment_intent_id: str, amount_minor: int, idempotency_key: str, reason: str
) -> str:
    """Refund part of a PaymentIntent; returns the refund id (re_…)."""
    client = _client()
    refund = _call(
        "refund_create",
        lambda: client.v1.refunds.create(
            params={
                "payment_intent": payment_intent_id,
                "amount": amount_minor,
                # The key lets a `charge.refunded` recognise our refund before
                # our row has its id (orders.stripe_incidents).
                "metadata": {"reason": reason[:450], "key": idempotency_key},
            },
            options={"idempotency_key": idempotency_key},
        ),
    )
    return refund.id


def event_verify(payload: bytes, signature: str) -> WebhookEvent:
    """Check the `Stripe-Signature` header with the SDK (HMAC with our webhook
    secret, within its 5-minute tolerance) and parse the event."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise WebhookSignatureInvalid("STRIPE_WEBHOOK_SECRET is not set")
    try:
        event = stripe.Webhook.construct_event(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET
        )
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise WebhookSignatureInvalid(str(error)) from error
    data = event.to_dict()
    obj = (data.get("data") or {}).get("object") or {}
    return WebhookEvent(id=data.get("id", ""), type=data.get("type", ""), object=obj)


def intent_from_event(event: WebhookEvent) -> Intent:
    return _intent(event.object)


class StripeGateway(PaymentGateway):
    """Card payment for buyers abroad, charged in `STRIPE_CURRENCY` at the
    rate staff set. One PaymentIntent per order (`orders.card` creates it and
    the webhook confirms it); the platform holds the money, so each booth's share
    is owed to her in the ledger. Refunds go back per part."""

    code = "card"
    label = "کارت بانکی خارج از ایران"
    help_text = (
        "برای خریداران خارج از ایران: پرداخت با کارت بین‌المللی از طریق Stripe، "
        "به یورو و با نرخی که پیش از پرداخت می‌بینید."
    )
    delivery_kinds = frozenset({"courier", "post", "centre_pickup"})
    seller_holds_cash = False

    def supports(self, delivery_kind: str) -> bool:
        # Offered only where the keys are configured.
        return bool(settings.STRIPE_SECRET_KEY) and super().supports(delivery_kind)

    def authorise(self, seller_order) -> None:
        # Nothing is taken at placement; the part's Source is written when the
        # webhook reports the charge (`record_paid`), so a part switched to cash
        # has the cash Source only.
        return None

    def record_paid(self, seller_order, charge_id: str) -> None:
        source = self._source(seller_order) or self._source(seller_order, create=True)
        source.allocate(seller_order.total, reference=charge_id)
        source.debit(seller_order.total, reference=charge_id)

    def capture(self, seller_order) -> None:
        # Captured when paid (immediate capture); delivery takes nothing more.
        return None

    def refund(
        self, seller_order, amount: Decimal, *, action: str = "refund"
    ) -> str | None:
        """Ask for the part's share of the charge back, through the outbox
        (`orders.refunds`): a pending `CardRefund` in the caller's transaction,
        sent to Stripe after commit, never under its locks. Returns the
        refund's idempotency key (order, booth, action: a retry or a replayed
        event refunds once), which the reversals carry; None when nothing was
        taken. Oscar's `Source` gets its refund when Stripe confirms."""
        from .refunds import card_refund_request

        source = self._source(seller_order)
        payment = getattr(seller_order.order, "card_payment", None)
        if (
            source is None
            or payment is None
            or source.amount_debited <= source.amount_refunded
        ):
            return None
        return card_refund_request(
            seller_order=seller_order, payment=payment, action=action
        ).idempotency_key


def refund_key(seller_order, action: str) -> str:
    return f"refund-{seller_order.order.number}-{seller_order.seller_id}-{action}"
