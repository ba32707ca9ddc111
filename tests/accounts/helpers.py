"""Constants and helpers shared by the account tests."""

from __future__ import annotations

import re

from marketplace.accounts import sms

PHONE = "+989121234567"
UNKNOWN_PHONE = "+989351112233"
PASSWORD = "Kar-too-khoonemoone-1403"  # noqa: S105  (a test password)
WRONG_PASSWORD = "not-her-password"  # noqa: S105


def last_code(outbox: list[sms.SmsMessage], phone: str = PHONE) -> str:
    """The six-digit code in the newest SMS to `phone`."""
    texts = [message.text for message in outbox if message.phone == phone]
    assert texts, f"no SMS was sent to {phone}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)
