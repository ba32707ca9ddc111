"""Periodic order jobs (scheduled by CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task


@shared_task
def expire_overdue_seller_orders() -> int:
    """Cancel parts not accepted in time, and card parts not paid in time; stock
    back, buyer and booth told."""
    from .card import card_parts_expire_unpaid
    from .services import seller_orders_expire

    return seller_orders_expire() + card_parts_expire_unpaid()
