"""The card refund outbox: Stripe is never called while a row lock is held.

Rules:
- A part's card refund is asked for inside the transaction that cancels it
  (decline, buyer cancel, expire, staff cancel: `StripeGateway.refund`, from
  `seller_order_transition`) or that finds money for a part that can no longer
  be sold (`orders.card._refund_late_part`): `card_refund_request` writes one
  `CardRefund` row, `PENDING`, with the idempotency key Stripe will see
  (`refund_key`: order, booth, action), and nothing else. The cancellation
  (stock, capacity, the ledger's reversals, the buyer's message) commits with
  it whether or not Stripe is up.
- After commit the row is handed to Celery (`orders.tasks.card_refund_send`);
  a broker that is down loses nothing, the row is still pending.
- `card_refund_send` makes one attempt: it claims the row in a short
  transaction (attempts + 1, `next_attempt_at` moved on by the backoff, so a
  worker that dies mid-call is retried later), calls Stripe with no
  transaction open, then records the answer: `SENT` with Stripe's refund id
  (re_…), the refund transaction on Oscar's payment `Source` and the part's
  timeline; or the error, to be retried after `card_refund_backoff`
  (exponential, capped), and `FAILED` after `CARD_REFUND_MAX_ATTEMPTS`.
- `card_refunds_sweep` (Celery beat, every few minutes) sends every pending
  row that is due: a lost enqueue, a Redis outage or a Stripe outage end
  there. Every attempt carries the same idempotency key, so Stripe refunds a
  part once however many times it is asked.
- The buyer and the booth see «بازپرداخت در جریان است» while a refund is
  pending or failed, then that it was returned; staff see the refunds pending
  for more than `CARD_REFUND_STUCK_MINUTES`, and the failed ones, on the
  attention page (`card_refunds_stuck`).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import notifications
from .models import CardPayment, CardRefund, SellerOrder, SellerOrderEvent
from .payments import CARD
from .stripe_gateway import CardPaymentError, refund_create, refund_key

logger = logging.getLogger(__name__)
R = CardRefund.Status

#: Refunds for money that came after the part could no longer be sold: the
#: buyer is told when Stripe confirms (she was told nothing at cancellation).
LATE_ACTIONS = ("sold_out", "switched")


def card_refund_backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th attempt: doubling from
    `CARD_REFUND_RETRY_SECONDS`, at most `CARD_REFUND_RETRY_MAX_SECONDS`."""
    base = settings.CARD_REFUND_RETRY_SECONDS
    seconds = min(
        base * 2 ** max(attempts - 1, 0), settings.CARD_REFUND_RETRY_MAX_SECONDS
    )
    return dt.timedelta(seconds=seconds)


def card_refund_request(
    *, seller_order: SellerOrder, payment: CardPayment, action: str
) -> CardRefund:
    """The part's share of the card payment, to go back: a pending row in the
    caller's transaction (one per part and action: the idempotency key is
    unique), handed to Celery after commit. Never calls Stripe."""
    from .card import card_part_minor

    refund, created = CardRefund.objects.get_or_create(
        idempotency_key=refund_key(seller_order, action),
        defaults={
            "seller_order": seller_order,
            "payment": payment,
            "action": action,
            "amount_rials": seller_order.total,
            "amount_minor": card_part_minor(seller_order, payment),
            "currency": payment.currency,
        },
    )
    if created:
        refund_pk = refund.pk
        transaction.on_commit(lambda: card_refund_enqueue(refund_pk))
    return refund


def card_refund_enqueue(refund_id: int) -> None:
    """Hand the row to Celery; a broker that is down (or a task that fails
    when run eagerly) is logged, never raised: the sweep sends the row."""
    from .tasks import card_refund_send as task

    try:
        task.delay(refund_id)
    except Exception:
        logger.warning(
            "card refund %s not queued; the sweep will send it",
            refund_id,
            exc_info=True,
        )


def card_refund_send(*, refund_id: int, now: dt.datetime | None = None) -> str:
    """One attempt at one refund (see the module's rules). Returns "sent",
    "retry", "failed", or "skipped" (not pending, or another worker holds it)."""
    now = now or timezone.now()
    with transaction.atomic():
        refund = (
            # Only the refund's row: a part busy in a transition is not
            # a reason to skip its refund.
            CardRefund.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("payment", "seller_order")
            .filter(pk=refund_id, status=R.PENDING)
            .first()
        )
        if refund is None:
            return "skipped"
        refund.attempts += 1
        refund.next_attempt_at = now + card_refund_backoff(refund.attempts)
        refund.save(update_fields=["attempts", "next_attempt_at"])
    # No transaction is open here: Stripe may take its time.
    try:
        stripe_id = refund_create(
            payment_intent_id=refund.payment.payment_intent_id,
            amount_minor=refund.amount_minor,
            idempotency_key=refund.idempotency_key,
            reason=f"{refund.seller_order.number} {refund.action}",
        )
    except CardPaymentError as error:
        return _attempt_failed(refund.pk, error)
    _sent(refund.pk, stripe_id, now)
    return "sent"


def _attempt_failed(refund_id: int, error: CardPaymentError) -> str:
    cause = error.__cause__ or error
    with transaction.atomic():
        refund = CardRefund.objects.select_for_update().get(pk=refund_id)
        if refund.status != R.PENDING:
            return "skipped"
        refund.last_error = f"{type(cause).__name__}: {cause}"[:255]
        outcome = "retry"
        if refund.attempts >= settings.CARD_REFUND_MAX_ATTEMPTS:
            refund.status = R.FAILED
            outcome = "failed"
            logger.error(
                "card refund %s failed %s times; staff must act: %s",
                refund.idempotency_key,
                refund.attempts,
                refund.last_error,
            )
        refund.save(update_fields=["last_error", "status"])
    return outcome


def _sent(refund_id: int, stripe_id: str, now: dt.datetime) -> None:
    """Stripe answered: the row, Oscar's `Source` and the part's timeline, once."""
    from oscar.apps.payment.models import Source

    with transaction.atomic():
        refund = (
            CardRefund.objects.select_for_update(of=("self",))
            .select_related("seller_order")
            .get(pk=refund_id)
        )
        if refund.status == R.SENT:
            return
        refund.status = R.SENT
        refund.stripe_refund_id = stripe_id
        refund.sent_at = now
        refund.last_error = ""
        refund.save(
            update_fields=["status", "stripe_refund_id", "sent_at", "last_error"]
        )
        part = refund.seller_order
        source = (
            Source.objects.select_for_update()
            .filter(
                order_id=part.order_id,
                reference=part.number,
                source_type__code=CARD,
            )
            .first()
        )
        if source is not None and source.amount_available_for_refund > 0:
            source.refund(
                min(refund.amount_rials, source.amount_available_for_refund),
                reference=stripe_id,
            )
        SellerOrderEvent.objects.create(
            seller_order=part,
            action="refund_sent",
            from_status=part.status,
            to_status=part.status,
            note=f"refund {stripe_id}",
        )
        if refund.action in LATE_ACTIONS:
            part_pk = part.pk
            transaction.on_commit(
                lambda: notifications.card_part_refunded(
                    SellerOrder.objects.select_related("order", "seller").get(
                        pk=part_pk
                    )
                )
            )


def card_refunds_sweep(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Send every pending refund that is due (Celery beat); returns how many
    Stripe accepted. One row's trouble never stops the others."""
    now = now or timezone.now()
    due = list(
        CardRefund.objects.filter(status=R.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in due:
        try:
            sent += card_refund_send(refund_id=pk, now=now) == "sent"
        except Exception:
            logger.exception("card refund %s: the sweep goes on", pk)
    return sent


def card_refunds_stuck(*, now: dt.datetime | None = None) -> QuerySet[CardRefund]:
    """For staff: refunds pending longer than `CARD_REFUND_STUCK_MINUTES`, and
    every failed one."""
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=settings.CARD_REFUND_STUCK_MINUTES)
    return (
        CardRefund.objects.filter(
            Q(status=R.PENDING, created_at__lte=since) | Q(status=R.FAILED)
        )
        .select_related("seller_order__seller", "seller_order__order")
        .order_by("created_at", "pk")
    )
