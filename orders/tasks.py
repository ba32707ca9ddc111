"""Periodic order jobs (scheduled by CELERY_BEAT_SCHEDULE in settings), and the
card refund outbox's sender (`orders.refunds`)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def expire_overdue_seller_orders() -> int:
    """Cancel parts not accepted in time, and card parts not paid in time; stock
    back, buyer and booth told. The second runs whatever befalls the first."""
    from .card import card_parts_expire_unpaid
    from .services import seller_orders_expire

    done = 0
    for run in (seller_orders_expire, card_parts_expire_unpaid):
        try:
            done += run()
        except Exception:
            logger.exception("%s stopped; the next run tries again", run.__name__)
    return done


@shared_task(bind=True)
def card_refund_send(self, refund_id: int) -> str:
    """One attempt at one pending card refund; on failure, again after the
    row's backoff. Run eagerly (tests, no broker) there is no waiting: the
    sweep retries instead."""
    from django.utils import timezone

    from .models import CardRefund
    from .refunds import card_refund_send as send

    outcome = send(refund_id=refund_id)
    if outcome == "retry" and not self.request.is_eager:
        due = CardRefund.objects.values_list("next_attempt_at", flat=True).get(
            pk=refund_id
        )
        countdown = max((due - timezone.now()).total_seconds(), 1)
        self.apply_async((refund_id,), countdown=countdown)
    return outcome


@shared_task
def card_refunds_sweep() -> int:
    """Every few minutes: send the pending card refunds that are due."""
    from .refunds import card_refunds_sweep as sweep

    return sweep()


@shared_task
def stripe_reconcile_run() -> int:
    """Hourly: compare the card payments that can still change with Stripe
    (`orders.card.stripe_reconcile`); what needs a person is logged. Returns
    how many disagreed."""
    from .card import stripe_reconcile

    rows = stripe_reconcile()
    for row in rows:
        log = logger.warning if row.action.startswith("report") else logger.info
        log(
            "stripe reconcile %s %s: here=%s stripe=%s %s",
            row.order_number,
            row.payment_intent_id,
            row.ours,
            row.stripe,
            row.action,
        )
    return len(rows)
