"""Background jobs of the accounts app (Celery; eager under `make run` and in tests)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from .phone import mask_phone
from .services import accounts_purge_stale
from .sms import SmsError, send_sms

logger = logging.getLogger(__name__)


@shared_task(bind=True, ignore_result=True, soft_time_limit=30, time_limit=40)
def sms_send_task(self, phone: str, text: str) -> None:
    """Hand one SMS to the gateway, outside any request.

    Queued by `services.sms_send_later` once the transaction commits, so no
    request waits for the gateway (and how long a request takes says nothing
    about whether the number has an account). A gateway that fails (`SmsError`)
    is tried again with backoff (`SMS_RETRY_SECONDS`, doubling, at most
    `SMS_RETRIES` times), so an order's messages survive a short outage; then
    it is logged as an error. Run eagerly (no broker) there is no queue to wait
    in: the failure is logged, and the person can ask for a new code.
    """
    try:
        send_sms(phone=phone, text=text)
    except SmsError as exc:
        retries = self.request.retries
        if self.request.is_eager or retries >= settings.SMS_RETRIES:
            logger.error(
                "Could not send an SMS to %s (%d tries): %s",
                mask_phone(phone),
                retries + 1,
                exc,
            )
            return
        logger.warning(
            "SMS to %s: gateway failed (%s), trying again", mask_phone(phone), exc
        )
        raise self.retry(
            exc=exc,
            countdown=settings.SMS_RETRY_SECONDS * 2**retries,
            max_retries=settings.SMS_RETRIES,
        ) from exc
    except Exception:
        logger.exception("Could not send an SMS to %s", mask_phone(phone))


@shared_task(ignore_result=True)
def accounts_purge_task() -> int:
    """Delete the codes and throttle rows no rule needs any more (hourly, beat)."""
    return accounts_purge_stale()
