"""Who sees what of an order: the one place these rules live.

- A buyer sees her own order (signed in: `Order.user`; a guest: through the
  signed link), every part of it, with booth names; never a booth's file. The
  link works until ORDER_BUYER_LINK_DAYS after the last part ended, and until
  she withdraws it (`Order.guest_link_version`).
- A booth's members (owners and members alike) see only their booth's parts
  (`sellers.permissions.membership_for`, then the part looked up within the
  booth); the buyer's name, mobile and address only until
  ORDER_BUYER_DETAILS_DAYS after the part was delivered or cancelled, and never
  the buyer's e-mail.
- Staff see everything in Oscar's dashboard and the staff order pages.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

STAFF_PERMISSION = "order.change_order"


def buyer_details_visible(part, *, now: dt.datetime | None = None) -> bool:
    """Until N days after the part ended (delivered or cancelled); always before."""
    closed = part.closed_at
    if closed is None:
        return True
    now = now or timezone.now()
    return now - closed <= dt.timedelta(days=settings.ORDER_BUYER_DETAILS_DAYS)


def buyer_link_open(order, *, now: dt.datetime | None = None) -> bool:
    """Her order link works while any part is open, and for N days after the
    last one was delivered or cancelled."""
    closed = [part.closed_at for part in order.seller_orders.all()]
    if not closed or None in closed:
        return True
    now = now or timezone.now()
    return now - max(closed) <= dt.timedelta(days=settings.ORDER_BUYER_LINK_DAYS)


def can_manage_orders(user) -> bool:
    """Staff pages of overdue and declined parts, and the ledger."""
    return bool(
        user.is_authenticated and user.is_staff and user.has_perm(STAFF_PERMISSION)
    )
