"""The buyer order's status, derived from its seller orders by one function.

Never set `Order.status` anywhere else: `order_status_sync` is the only writer,
and every seller-order transition calls it in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", "در انتظار پرداخت"
    NEW = "new", "ثبت شد"
    IN_PROGRESS = "in_progress", "در حال انجام"
    COMPLETED = "completed", "تحویل شد"
    CANCELLED = "cancelled", "لغو شد"


def order_status_derive(part_statuses: Iterable[str]) -> str:
    """The order's status from its parts' statuses (`SellerOrder.Status` values):

    - every part cancelled → cancelled;
    - otherwise, looking only at the parts not cancelled:
      every one delivered → completed; every one awaiting (card) payment →
      awaiting payment; every one new or awaiting payment → new; else in progress.

    An order always has at least one part; none is an error."""
    statuses = list(part_statuses)
    if not statuses:
        raise ValueError("an order has at least one seller order")
    active = [s for s in statuses if s != "cancelled"]
    if not active:
        return OrderStatus.CANCELLED
    if all(s == "delivered" for s in active):
        return OrderStatus.COMPLETED
    if all(s == "awaiting_payment" for s in active):
        return OrderStatus.AWAITING_PAYMENT
    if all(s in ("new", "awaiting_payment") for s in active):
        return OrderStatus.NEW
    return OrderStatus.IN_PROGRESS


def order_status_sync(order) -> str:
    """Derive and store the order's status from its parts as they are in the
    database now; records Oscar's status change when it moved."""
    from .models import Order, OrderStatusChange, SellerOrder

    statuses = SellerOrder.objects.filter(order_id=order.pk).values_list(
        "status", flat=True
    )
    new = order_status_derive(statuses)
    old = order.status
    if new != old:
        Order.objects.filter(pk=order.pk).update(status=new)
        order.status = new
        OrderStatusChange.objects.create(order=order, old_status=old, new_status=new)
    return new


def order_status_label(value: str) -> str:
    try:
        return OrderStatus(value).label
    except ValueError:
        return value
