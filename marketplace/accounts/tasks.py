"""Background jobs of the accounts app (Celery; eager under `make run` and in tests)."""

from __future__ import annotations

import logging

from celery import shared_task

from marketplace.metrics import SMS

from .phone import mask_phone
from .services import accounts_purge_stale
from .sms import send_sms

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, soft_time_limit=30, time_limit=40)
def sms_send_task(phone: str, text: str) -> None:
    """Hand one SMS to the gateway, outside any request.

    Queued by `services.sms_send_later` once the transaction commits, so no
    request waits for the gateway (and how long a request takes says nothing
    about whether the number has an account). A gateway failure is logged; the
    person can ask for a new code.
    """
    try:
        send_sms(phone=phone, text=text)
    except Exception:
        SMS.labels(outcome="failed").inc()
        logger.exception("Could not send an SMS to %s", mask_phone(phone))
    else:
        SMS.labels(outcome="sent").inc()


@shared_task(ignore_result=True)
def accounts_purge_task() -> int:
    """Delete the codes and throttle rows no rule needs any more (hourly, beat)."""
    return accounts_purge_stale()
