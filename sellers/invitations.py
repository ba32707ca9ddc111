"""Who may invite, and how often: the limits that keep invitations from being an
SMS cannon (issue 11). `services.member_invite` calls `invitation_check_allowed`
before it writes anything; every invitation sends one SMS with the booth's name.

Rules:
- only a booth that is approved or in review may invite (a rejected, suspended or
  just-applied booth has not been looked at by staff, and its name goes out in
  the SMS);
- a booth sends at most INVITATIONS_PER_DAY invitations in any 24 hours,
  cancelled ones included;
- one number is invited by one booth at most INVITATIONS_PER_NUMBER times in
  REINVITE_WINDOW (the first invitation and one re-invitation), cancelled ones
  included, so inviting and cancelling cannot repeat the SMS.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.persian import to_persian_digits

from .models import Seller, SellerInvitation

INVITING_STATUSES = {Seller.Status.APPROVED, Seller.Status.IN_REVIEW}
INVITATIONS_PER_DAY = 5
INVITATIONS_PER_NUMBER = 2
REINVITE_WINDOW = dt.timedelta(days=30)


def invitation_check_allowed(*, seller: Seller, phone: str) -> None:
    """Raise `ValidationError` (Persian) if `seller` may not invite `phone` now."""
    if seller.status not in INVITING_STATUSES:
        raise ValidationError("دعوت عضو تازه پس از بررسی و تأیید غرفه ممکن می‌شود.")
    now = timezone.now()
    sent = SellerInvitation.objects.filter(seller=seller)
    if sent.filter(created_at__gt=now - dt.timedelta(days=1)).count() >= (
        INVITATIONS_PER_DAY
    ):
        raise ValidationError(
            f"هر غرفه در یک روز حداکثر {to_persian_digits(INVITATIONS_PER_DAY)} "
            "دعوت‌نامه می‌تواند بفرستد. لطفاً فردا دوباره امتحان کنید."
        )
    if sent.filter(phone=phone, created_at__gt=now - REINVITE_WINDOW).count() >= (
        INVITATIONS_PER_NUMBER
    ):
        raise ValidationError(
            {
                "phone": "این شماره به‌تازگی چند بار دعوت شده است. لطفاً خودش با "
                "همین شماره در دستاورد ثبت‌نام کند و بعداً دوباره دعوتش کنید."
            }
        )
