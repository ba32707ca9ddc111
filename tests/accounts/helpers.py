"""Constants and helpers shared by the account tests."""

from __future__ import annotations

import re

from django.urls import reverse

from marketplace.accounts import sms

PHONE = "+989121234567"
UNKNOWN_PHONE = "+989351112233"
PASSWORD = "Kar-too-khoonemoone-1403"  # noqa: S105  (a test password)
WRONG_PASSWORD = "not-her-password"  # noqa: S105
STAFF_PHONE = "+989120000001"


def last_code(outbox: list[sms.SmsMessage], phone: str = PHONE) -> str:
    """The six-digit code in the newest SMS to `phone`."""
    texts = [message.text for message in outbox if message.phone == phone]
    assert texts, f"no SMS was sent to {phone}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def log_in(client, phone: str = STAFF_PHONE) -> None:
    """Log in with her password (through the login view, as a person would)."""
    response = client.post(
        reverse("accounts:login"), {"phone": phone, "password": PASSWORD}
    )
    assert response.status_code == 302


def log_in_by_code(client, outbox, phone: str = STAFF_PHONE) -> None:
    """Log in with a one-time SMS code (asked for, then typed)."""
    client.post(reverse("accounts:otp_request"), {"phone": phone})
    response = client.post(
        reverse("accounts:otp_verify"), {"code": last_code(outbox, phone)}
    )
    assert response.status_code == 302


def totp_now(bin_key: bytes) -> str:
    """The code an authenticator app holding `bin_key` shows now."""
    from django_otp.oath import totp

    return f"{totp(bin_key, step=30, t0=0, digits=6):06d}"


def token_for(user) -> str:
    """The code of her one TOTP device now."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return totp_now(TOTPDevice.objects.get(user=user).bin_key)
