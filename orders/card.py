"""Card payment for buyers abroad (Stripe), one PaymentIntent per order.

Rules:
- The rate: staff set rials per unit of `STRIPE_CURRENCY` with its date
  (`exchange_rate_set`); the newest is in force. The buyer sees it before paying;
  the order keeps both amounts and the rate it was charged at (`CardPayment`).
- Amounts: each card part is converted on its own (rials ÷ rate, in cents,
  rounded half up); the PaymentIntent is their sum, so a part's refund is
  exactly its share.
- One PaymentIntent per order: `card_payment_start` locks the order row and
  sends the basket's idempotency key, so a double click, a retry or a second tab
  finds the one intent. `transfer_group` is the order number.
- Placement holds a card part's stock for `CARD_PAYMENT_HOLD_MINUTES`
  ("awaiting payment"; the booth does not see it yet). Only Stripe's webhook
  marks it paid, never the buyer's redirect.
- A success for another amount or currency than the intent we recorded marks
  nothing paid: the payment becomes `MISMATCH` for staff (the attention page).
- Webhook events (`stripe_event_handle`): the event id is stored under a unique
  constraint in the same transaction as its effect; a replay or an event that
  arrives late changes nothing more; unknown types are logged and ignored.
  `charge.refunded` and `charge.dispute.created` are `orders.stripe_incidents`'
  (a refund made in Stripe's dashboard, a dispute: ledger flags and a staff
  attention row; our own refunds change nothing).
- A payment that succeeds for a part no longer waiting (the hold ran out, she
  cancelled or switched to cash) is put through if the stock can still be had
  under lock; otherwise that part is refunded and she is told. Stock never goes
  below zero.
- Refunds are per part, through the outbox (`orders.refunds`): the part's
  cancellation (`StripeGateway.refund`) or a late payment writes a pending
  `CardRefund`, and Stripe is called after commit, never under a row lock.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import CardPayment, ExchangeRate, Order, SellerOrder, SellerOrderEvent
from .payments import CARD
from .services import (
    BUYER,
    SYSTEM,
    placement_key,
    seller_order_transition,
    seller_orders_cancel_overdue,
)
from .stripe_gateway import (
    CardPaymentError,
    Intent,
    WebhookEvent,
    intent_from_event,
    payment_intent_cancel,
    payment_intent_create,
    payment_intent_retrieve,
)

logger = logging.getLogger(__name__)
S = SellerOrder.Status

__all__ = ["CardPaymentError"]


# --- the rate ---------------------------------------------------------------------


def exchange_rate_current() -> ExchangeRate | None:
    """The rate in force for `STRIPE_CURRENCY` (the newest set), or None."""
    return (
        ExchangeRate.objects.filter(currency=settings.STRIPE_CURRENCY.lower())
        .order_by("-created_at", "-pk")
        .first()
    )


def exchange_rate_set(
    *, rials_per_unit: Decimal, effective_on: dt.date, actor
) -> ExchangeRate:
    """Staff set a new rate (never edit an old one: orders keep theirs)."""
    if rials_per_unit <= 0:
        raise ValueError("rate must be positive")
    return ExchangeRate.objects.create(
        currency=settings.STRIPE_CURRENCY.lower(),
        rials_per_unit=rials_per_unit,
        effective_on=effective_on,
        set_by=actor,
    )


def rials_to_minor(rials: Decimal, rials_per_unit: Decimal) -> int:
    """Rials → cents of the card currency, half up (two-decimal currencies)."""
    return int(
        (Decimal(rials) * 100 / Decimal(rials_per_unit)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
    )


def minor_display(amount_minor: int) -> str:
    """Cents → "12.34" (Latin digits, as on her card statement)."""
    return f"{amount_minor // 100}.{amount_minor % 100:02d}"


def card_part_minor(part: SellerOrder, payment: CardPayment) -> int:
    return rials_to_minor(part.total, payment.rials_per_unit)


def card_parts(order: Order):
    return order.seller_orders.filter(payment_method=CARD).order_by("pk")


def order_awaits_card_payment(order: Order) -> bool:
    return order.seller_orders.filter(status=S.AWAITING_PAYMENT).exists()


# --- starting the payment ---------------------------------------------------------


@dataclass(frozen=True)
class CardPaymentStart:
    payment: CardPayment
    client_secret: str


def payment_idempotency_key(order: Order) -> str:
    """Per basket, like the order itself: the same checkout always asks Stripe
    for the same PaymentIntent."""
    return f"pi-{placement_key(order.basket) if order.basket_id else order.number}"


def card_payment_start(*, order: Order) -> CardPaymentStart:
    """The order's PaymentIntent, created on first call (under the order's row
    lock, with the basket's idempotency key) and fetched afterwards for its
    client secret (never stored). Raises `CardPaymentError` (Persian) when
    Stripe cannot be reached or there is no rate."""
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=order.pk)
        payment = CardPayment.objects.filter(order=order).first()
        if payment is None:
            rate = exchange_rate_current()
            if rate is None:
                raise CardPaymentError(
                    "نرخ ارز پرداخت کارتی هنوز تعیین نشده است؛ روش پرداخت دیگری "
                    "برگزینید."
                )
            parts = list(card_parts(order).filter(status=S.AWAITING_PAYMENT))
            if not parts:
                raise CardPaymentError("این سفارش پرداخت کارتی ندارد.")
            amount_rials = sum((p.total for p in parts), Decimal(0))
            amount_minor = sum(
                rials_to_minor(p.total, rate.rials_per_unit) for p in parts
            )
            key = payment_idempotency_key(order)
            intent = payment_intent_create(
                amount_minor=amount_minor,
                currency=rate.currency,
                order_number=order.number,
                idempotency_key=key,
            )
            payment = CardPayment.objects.create(
                order=order,
                payment_intent_id=intent.id,
                idempotency_key=key,
                amount_rials=amount_rials,
                amount_minor=amount_minor,
                currency=rate.currency,
                rials_per_unit=rate.rials_per_unit,
                rate_effective_on=rate.effective_on,
                part_ids=[p.pk for p in parts],
            )
            return CardPaymentStart(payment, intent.client_secret)
    intent = payment_intent_retrieve(payment.payment_intent_id)
    return CardPaymentStart(payment, intent.client_secret)


# --- the webhook -------------------------------------------------------------------

HANDLED = (
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
)


def stripe_event_handle(event: WebhookEvent) -> str:
    """Apply one verified event once; returns what happened (for the log).

    The event row and its effect commit together: a replay finds the row
    (unique `event_id`) and does nothing. An effect that fails rolls the row
    back too, so Stripe's retry redoes it. Nothing here calls Stripe: a late
    payment's refund is a pending outbox row (`orders.refunds`)."""
    from .models import StripeEvent
    from .stripe_incidents import INCIDENT_EVENTS, stripe_incident_handle

    intent_id = ""
    if event.type.startswith("payment_intent."):
        intent_id = str(event.object.get("id", ""))
    elif event.type in INCIDENT_EVENTS:
        intent_id = str(event.object.get("payment_intent") or "")
    try:
        with transaction.atomic():
            if StripeEvent.objects.filter(event_id=event.id).exists():
                return "duplicate"
            record = StripeEvent.objects.create(
                event_id=event.id, type=event.type, payment_intent_id=intent_id
            )
            if event.type in INCIDENT_EVENTS:
                outcome = stripe_incident_handle(event)
            elif event.type not in HANDLED:
                logger.info("stripe event %s (%s) ignored", event.id, event.type)
                outcome = "ignored"
            else:
                outcome = _apply_intent(event.type, intent_from_event(event))
            record.outcome = outcome
            record.save(update_fields=["outcome"])
            return outcome
    except IntegrityError:
        # The same event delivered twice at once: the other one applied it.
        return "duplicate"


class EventNotReady(Exception):
    """The event is for one of our orders whose PaymentIntent is not recorded
    yet (its creation has not committed): nothing is kept, and Stripe retries."""


def _apply_intent(event_type: str, intent: Intent) -> str:
    number = intent.metadata.get("order", "")
    # The order's row lock first: `card_payment_start` holds it while it asks
    # Stripe for the intent, so an event that overtakes the checkout request
    # waits here until the intent is recorded.
    orders = Order.objects.select_for_update()
    if number:
        order = orders.filter(number=number).first()
    else:  # no metadata: find the order through the intent we recorded
        order = orders.filter(card_payment__payment_intent_id=intent.id).first()
    if order is None:
        logger.warning("stripe event for a PaymentIntent not ours: %s", intent.id)
        return "not_ours"
    payment = (
        CardPayment.objects.select_for_update()
        .filter(payment_intent_id=intent.id)
        .first()
    )
    if payment is None:
        if CardPayment.objects.filter(order=order).exists():
            logger.warning("stripe event for another intent of %s", number)
            return "other_intent"
        raise EventNotReady(intent.id)
    if event_type == "payment_intent.succeeded":
        return card_payment_succeeded(payment=payment, intent=intent)
    if payment.status == CardPayment.Status.SUCCEEDED:
        return "already_paid"  # an older failure or cancel arriving late
    if payment.status == CardPayment.Status.MISMATCH:
        return "mismatch"  # kept for staff
    if event_type == "payment_intent.payment_failed":
        payment.status = CardPayment.Status.FAILED
        payment.failure_message = intent.failure_message[:255]
        payment.save(update_fields=["status", "failure_message"])
        return "failed"
    payment.status = CardPayment.Status.CANCELLED
    payment.save(update_fields=["status"])
    return "cancelled"


def card_payment_succeeded(*, payment: CardPayment, intent: Intent) -> str:
    """Stripe took the money (`payment` locked by the caller). Only the amount
    and currency we asked for pay: anything else marks the payment `MISMATCH`
    (nothing paid, the parts keep waiting; staff see it on the attention page).
    Once only: each
    card part still waiting is paid (booth told, ledger written with the
    charge id); a part no longer waiting is put through if its stock can still
    be had, else refunded."""
    if payment.status == CardPayment.Status.SUCCEEDED:
        return "already_paid"
    if intent.amount != payment.amount_minor or (
        (intent.currency or "").lower() != payment.currency.lower()
    ):
        payment.status = CardPayment.Status.MISMATCH
        payment.failure_message = (
            f"Stripe: {intent.amount} {intent.currency}; "
            f"expected {payment.amount_minor} {payment.currency}"
        )[:255]
        payment.save(update_fields=["status", "failure_message"])
        logger.error(
            "PaymentIntent %s of order %s succeeded with %s",
            intent.id,
            payment.order_id,
            payment.failure_message,
        )
        return "mismatch"
    payment.status = CardPayment.Status.SUCCEEDED
    payment.charge_id = intent.latest_charge or intent.id
    payment.failure_message = ""
    payment.paid_at = timezone.now()
    payment.save(update_fields=["status", "charge_id", "failure_message", "paid_at"])
    refunded = 0
    paid_for = SellerOrder.objects.filter(pk__in=payment.part_ids).order_by("pk")
    for part in paid_for.select_related("order", "seller"):
        if part.status == S.AWAITING_PAYMENT and part.payment_method == CARD:
            seller_order_transition(
                seller_order=part,
                action="pay",
                party=SYSTEM,
                payment_reference=payment.charge_id,
            )
        elif part.status == S.CANCELLED and _revive(part, payment):
            continue
        elif part.status == S.CANCELLED or part.payment_method != CARD:
            _refund_late_part(part, payment)
            refunded += 1
    return "paid" if not refunded else f"paid_refunded_{refunded}"


def _revive(part: SellerOrder, payment: CardPayment) -> bool:
    """A part cancelled only because its payment hold ran out, paid late: put
    it through if its stock and capacity can still be had, else False
    (nothing changed; the caller refunds it, `_refund_late_part`).

    Revival rather than always refunding (Stripe's advice for a cancelled
    order): she paid for goods the booth still has, and a refund would make
    her order again at perhaps another rate. It is safe because it is a
    declared transition ("revive", cancelled → awaiting payment, audited)
    through `seller_order_transition`, like every status change: under the
    order's lock, it takes each ready-made line's units again (the line's own
    allocation restored, so a later cancellation or delivery moves them), its
    made-to-order units in this week, recorded on the part
    (`capacity_week`) so a cancellation gives them back to that week, and then
    "pay" writes the ledger entries with the charge id, as for a part paid in
    time."""
    try:
        seller_order_transition(
            seller_order=part,
            action="revive",
            party=SYSTEM,
            note="پرداخت پس از پایان مهلت رسید و کالا هنوز موجود بود.",
        )
    except ValidationError:  # sold out, week full, or not cancelled as unpaid
        return False
    seller_order_transition(
        seller_order=part,
        action="pay",
        party=SYSTEM,
        payment_reference=payment.charge_id,
    )
    return True


def _refund_late_part(part: SellerOrder, payment: CardPayment) -> None:
    """Money came for a part that can no longer be sold (sold out, cancelled,
    switched to cash): its share goes back through the refund outbox
    (`orders.refunds`, sent after commit); she is told when Stripe confirms."""
    from .refunds import card_refund_request

    action = "sold_out" if part.status == S.CANCELLED else "switched"
    refund = card_refund_request(seller_order=part, payment=payment, action=action)
    SellerOrderEvent.objects.create(
        seller_order=part,
        action="sold_out" if action == "sold_out" else "late_refund",
        from_status=part.status,
        to_status=part.status,
        note=f"refund {refund.idempotency_key}",
    )


# --- the buyer's other choices ---------------------------------------------------


def card_payment_switch_to_cash(*, order: Order, actor=None) -> int:
    """She pays on delivery (or at pickup) instead: every card part still waiting
    becomes a new part for its booth with the cash method of its delivery, and
    the PaymentIntent is cancelled after commit (a payment that still goes
    through is refunded by the webhook). Returns how many parts moved."""
    moved = 0
    with transaction.atomic():
        # The lock order: the order, its card payment, then the parts (each
        # transition locks its part; the order lock is already ours), the way
        # the webhook takes them, so the two never deadlock.
        Order.objects.select_for_update().get(pk=order.pk)
        payment = CardPayment.objects.select_for_update().filter(order=order).first()
        for part in card_parts(order).filter(status=S.AWAITING_PAYMENT):
            seller_order_transition(
                seller_order=part, action="switch_to_cash", party=BUYER, actor=actor
            )
            moved += 1
        if payment is not None and payment.status not in (
            CardPayment.Status.SUCCEEDED,
            CardPayment.Status.MISMATCH,  # money at Stripe: staff must see it
        ):
            payment.status = CardPayment.Status.CANCELLED
            payment.save(update_fields=["status"])
            intent_id = payment.payment_intent_id
            transaction.on_commit(lambda: _cancel_quietly(intent_id))
    return moved


def _cancel_quietly(intent_id: str) -> None:
    try:
        payment_intent_cancel(intent_id)
    except CardPaymentError:
        logger.warning("could not cancel PaymentIntent %s (reconcile will)", intent_id)


def card_parts_expire_unpaid(*, now: dt.datetime | None = None) -> int:
    """Cancel card parts still unpaid after their hold (stock back, buyer told)."""
    return seller_orders_cancel_overdue(
        status=S.AWAITING_PAYMENT,
        action="unpaid",
        note="پرداخت در مهلت انجام نشد.",
        now=now,
    )


# --- reconciliation ----------------------------------------------------------------


@dataclass(frozen=True)
class ReconcileRow:
    order_number: str
    payment_intent_id: str
    ours: str
    stripe: str
    action: str  # "fixed: …" or "report: …"


def stripe_reconcile(
    *, older_than_minutes: int = 10, now: dt.datetime | None = None
) -> list[ReconcileRow]:
    """Compare with Stripe each card payment that can still change: not yet
    settled here (pending, failed, mismatch, cancelled) and made within
    `STRIPE_RECONCILE_DAYS` (a PaymentIntent left longer is abandoned), and a
    paid one with a refund still outstanding, whatever its age. Settled on
    both sides long ago is never asked again (hourly, Celery beat).

    Safe fixes: Stripe succeeded but we never heard (the webhook's own path);
    Stripe cancelled while we wait (marked cancelled); a pending refund that
    is due is sent (the outbox's one attempt). Reported, not touched: we say
    paid but Stripe does not; the amount or currency differs; a refund failed
    for good; Stripe cannot be reached."""
    from .models import CardRefund
    from .refunds import card_refund_send

    P, RS = CardPayment.Status, CardRefund.Status
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=older_than_minutes)
    since = now - dt.timedelta(days=settings.STRIPE_RECONCILE_DAYS)
    can_change = Q(
        status__in=[P.PENDING, P.FAILED, P.MISMATCH, P.CANCELLED],
        created_at__gte=since,
    ) | Q(status=P.SUCCEEDED, refunds__status__in=[RS.PENDING, RS.FAILED])
    payments = (
        CardPayment.objects.select_related("order")
        .filter(can_change, created_at__lte=cutoff)
        .distinct()
    )
    rows = []
    for payment in payments.order_by("pk"):
        for refund in payment.refunds.filter(status__in=[RS.PENDING, RS.FAILED]):
            if refund.status == RS.FAILED:
                rows.append(_row(payment, "?", f"report: refund {refund} failed"))
            elif refund.next_attempt_at <= now:
                outcome = card_refund_send(refund_id=refund.pk, now=now)
                verdict = "fixed" if outcome == "sent" else "report"
                rows.append(_row(payment, "?", f"{verdict}: refund {outcome}"))
        try:
            intent = payment_intent_retrieve(payment.payment_intent_id)
        except CardPaymentError as error:
            rows.append(_row(payment, "?", f"report: Stripe unreachable ({error})"))
            continue
        ours = payment.status
        if intent.amount != payment.amount_minor or intent.currency != payment.currency:
            rows.append(
                _row(
                    payment,
                    intent.status,
                    f"report: amount {intent.amount} {intent.currency} at Stripe, "
                    f"{payment.amount_minor} {payment.currency} here",
                )
            )
            continue
        if intent.status == "succeeded" and ours != CardPayment.Status.SUCCEEDED:
            with transaction.atomic():
                # The lock order: the order before its payment (as the webhook).
                Order.objects.select_for_update().get(pk=payment.order_id)
                locked = CardPayment.objects.select_for_update().get(pk=payment.pk)
                outcome = card_payment_succeeded(payment=locked, intent=intent)
            rows.append(_row(payment, intent.status, f"fixed: {outcome}"))
        elif intent.status == "canceled" and ours in (
            CardPayment.Status.PENDING,
            CardPayment.Status.FAILED,
        ):
            CardPayment.objects.filter(pk=payment.pk).update(
                status=CardPayment.Status.CANCELLED
            )
            rows.append(_row(payment, intent.status, "fixed: marked cancelled"))
        elif ours == CardPayment.Status.SUCCEEDED and intent.status != "succeeded":
            rows.append(
                _row(payment, intent.status, "report: paid here, not at Stripe")
            )
    return rows


def _row(payment: CardPayment, stripe_status: str, action: str) -> ReconcileRow:
    return ReconcileRow(
        order_number=payment.order.number,
        payment_intent_id=payment.payment_intent_id,
        ours=payment.status,
        stripe=stripe_status,
        action=action,
    )
