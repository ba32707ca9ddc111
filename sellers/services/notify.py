"""Telling a booth: a panel notification now, an SMS to each owner after commit."""

from __future__ import annotations

import logging

from django.db import transaction

from marketplace.accounts.sms import SmsError, send_sms

from ..models import Seller, SellerMember, SellerNotification

logger = logging.getLogger(__name__)


def seller_notify(*, seller: Seller, text: str) -> SellerNotification:
    """Tell the booth: a panel notification now, an SMS to each owner after commit."""
    notification = SellerNotification.objects.create(seller=seller, text=text)
    phones = list(
        seller.members.filter(role=SellerMember.Role.OWNER).values_list(
            "user__username", flat=True
        )
    )

    def _send():
        for phone in phones:
            sms_quietly(phone=phone, text=f"دستاورد: {text}")

    transaction.on_commit(_send)
    return notification


def sms_quietly(*, phone: str, text: str) -> None:
    """SMS is a courtesy on top of the panel notification: a number that is not a
    mobile, or a gateway that is down, must not undo or break the action."""
    try:
        send_sms(phone=phone, text=text)
    except (ValueError, SmsError):
        logger.warning("SMS to a seller could not be sent", exc_info=True)
