"""Sending SMS: one function for the whole project, the backend chosen by a setting.

Any app sends a text message with::

    from marketplace.accounts.sms import send_sms

    send_sms(phone=seller_phone, text="سفارش تازه‌ای در غرفه شما ثبت شد.")

`settings.SMS_BACKEND` is the dotted path of a `BaseSmsBackend` subclass:

- `ConsoleSmsBackend` writes each message to standard output (development);
- `RecordingSmsBackend` appends it to the module-level list `outbox`, like
  Django's locmem e-mail backend (tests: `from marketplace.accounts import sms`,
  then read `sms.outbox`, and empty it with `sms.outbox.clear()`).

A real gateway is one more subclass whose `send` hands the message over (better:
queues it, so a slow gateway does not slow the request) and raises `SmsError`
when it cannot.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .phone import mask_phone, normalize_phone

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "marketplace.accounts.sms.ConsoleSmsBackend"


@dataclass(frozen=True)
class SmsMessage:
    phone: str  # E.164, `+989xxxxxxxxx`
    text: str
    sent_at: dt.datetime


class SmsError(Exception):
    """The backend could not hand the message over to the gateway."""


class BaseSmsBackend:
    """Interface of an SMS backend: one method, `send`."""

    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes every message to standard output. For development only."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream

    def send(self, message: SmsMessage) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"----- SMS to {message.phone} -----\n{message.text}\n-----\n")
        stream.flush()
        logger.info("SMS to %s written to the console", mask_phone(message.phone))


class DiscardingSmsBackend(BaseSmsBackend):
    """Drops every message, counting them in `discarded`: for loaders such as
    `seed_demo`, whose hundreds of order messages nobody reads."""

    discarded = 0

    def send(self, message: SmsMessage) -> None:
        DiscardingSmsBackend.discarded += 1


#: Messages "sent" through `RecordingSmsBackend`, oldest first.
outbox: list[SmsMessage] = []


class RecordingSmsBackend(BaseSmsBackend):
    """Keeps every message in `marketplace.accounts.sms.outbox`. For tests."""

    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


def get_sms_backend() -> BaseSmsBackend:
    """An instance of the backend named by `settings.SMS_BACKEND`."""
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()


def send_sms(*, phone: str, text: str) -> SmsMessage:
    """Send `text` to the Iranian mobile number `phone` (any form `normalize_phone`
    accepts) through the configured backend, and return what was sent.

    Raises `InvalidPhoneNumber` for a number that is not an Iranian mobile, and
    `SmsError` when the backend cannot deliver.
    """
    message = SmsMessage(
        phone=normalize_phone(phone), text=text, sent_at=timezone.now()
    )
    get_sms_backend().send(message)
    return message


class HttpGatewaySmsBackend(BaseSmsBackend):
    """Hands each message to an HTTP SMS gateway: a JSON POST of
    `{"to": "+989…", "text": "…"}` to `SMS_GATEWAY_URL`, with
    `Authorization: Bearer SMS_GATEWAY_TOKEN`. Iranian providers (or a small relay
    in front of one) are adapted at that URL, so the project has no per-vendor code.

    Any network error, timeout or non-2xx answer raises `SmsError`.
    """

    def __init__(self, url: str | None = None, token: str | None = None, timeout=None):
        self.url = url or getattr(settings, "SMS_GATEWAY_URL", "")
        self.token = (
            token if token is not None else getattr(settings, "SMS_GATEWAY_TOKEN", "")
        )
        self.timeout = timeout or getattr(settings, "SMS_GATEWAY_TIMEOUT", 5)
        if not self.url.startswith(("https://", "http://")):
            raise SmsError("SMS_GATEWAY_URL is not set to an http(s) URL.")

    def send(self, message: SmsMessage) -> None:
        import json
        import urllib.error
        import urllib.request

        body = json.dumps({"to": message.phone, "text": message.text}).encode()
        request = urllib.request.Request(  # noqa: S310  (scheme checked in __init__)
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise SmsError(f"SMS gateway answered {response.status}")
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(f"SMS gateway unreachable: {error}") from error
        logger.info("SMS to %s handed to the gateway", mask_phone(message.phone))
