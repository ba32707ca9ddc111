"""Holiday mode: her products stay visible but cannot be bought until she is back."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.text import plain_text

from .. import audit
from ..models import Seller
from ._guards import require_owner

HOLIDAY_MAX_DAYS = 365


@audit.workflow
def seller_holiday_set(
    *, seller: Seller, actor: User, until: dt.date | None, message: str = ""
) -> Seller:
    """Start or change holiday mode (`until` = the last day off), or end it
    (`until=None`). Owners only.

    What "on holiday" means on a given day is `Seller.holiday_covers`: while it
    holds, her products stay visible with their prices but cannot be bought, and
    show the date she returns (the partner strategy reads it from the cached
    open-booth data, which the seller's post_save receiver drops). Audited.
    """
    require_owner(seller=seller, actor=actor)
    message = plain_text(message, multiline=False)
    if until is not None:
        today = timezone.localdate()
        if until < today:
            raise ValidationError(
                {"until": "تاریخ بازگشت باید امروز یا روزهای بعد باشد."}
            )
        if until > today + dt.timedelta(days=HOLIDAY_MAX_DAYS):
            raise ValidationError({"until": "تعطیلات حداکثر یک سال می‌تواند باشد."})
        if len(message) > 200:
            raise ValidationError({"message": "پیام حداکثر ۲۰۰ نویسه باشد."})
    else:
        message = ""
    seller.holiday_until = until
    seller.holiday_message = message
    seller.save(update_fields=["holiday_until", "holiday_message"])
    audit.record(
        seller=seller,
        actor=actor,
        action="holiday_start" if until else "holiday_end",
        reason=until.isoformat() if until else "",
    )
    return seller
