"""What the staff home shows: what needs staff today, each count asked only of
those allowed to act on it, and this month at a glance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.models import Product
from catalog.services import can_moderate_products
from orders.models import CardPayment, SellerOrder
from orders.payouts import payout_batches_with_status, payout_open_balances
from orders.permissions import can_manage_orders
from orders.refunds import card_refunds_stuck
from sellers.models import Seller
from sellers.permissions import can_review_sellers

from .periods import period_this_month
from .queries import PLACED, ZERO, ReportFilter, _parts
from .tables import Cell, seller_count

SO = SellerOrder.Status
#: Declined and expired parts stay on the list this long (the attention page's window).
ENDED_DAYS = 30


@dataclass(frozen=True)
class Task:
    """One line of "needs you today": how many, what, and where to act."""

    count: int
    label: str
    url_name: str
    amount: object = None


def staff_tasks(user, *, now: dt.datetime | None = None) -> list[Task]:
    """The counts behind the staff home's first section, for what `user` may do."""
    now = now or timezone.now()
    tasks = []
    if can_review_sellers(user):
        waiting = Seller.objects.filter(
            status__in=[Seller.Status.APPLIED, Seller.Status.IN_REVIEW]
        ).count()
        tasks.append(
            Task(waiting, "درخواست فروشندگی در انتظار بررسی", "sellers_staff:queue")
        )
    if can_moderate_products(user):
        pending = Product.objects.filter(
            moderation_status=Product.Moderation.PENDING, deleted_at__isnull=True
        ).count()
        tasks.append(Task(pending, "محصول نخست در انتظار بررسی", "moderation:queue"))
    if can_manage_orders(user):
        parts = SellerOrder.objects.aggregate(
            overdue=Count("pk", filter=Q(status=SO.NEW, accept_deadline__lte=now)),
            ended=Count(
                "pk",
                filter=Q(
                    status=SO.CANCELLED,
                    cancelled_by__in=["seller", "system"],
                    cancelled_at__gte=now - dt.timedelta(days=ENDED_DAYS),
                ),
            ),
        )
        mismatched = CardPayment.objects.filter(
            status=CardPayment.Status.MISMATCH
        ).count()
        stuck = card_refunds_stuck(now=now).count()
        payable, collect = payout_open_balances()
        open_batches = (
            payout_batches_with_status()
            .filter(settled_count__lt=F("line_count"))
            .count()
        )
        tasks += [
            Task(parts["overdue"], "سفارش دیرکرد در پذیرش", "orders_staff:attention"),
            Task(
                parts["ended"],
                "سفارش ردشده یا بی‌پاسخ در ۳۰ روز گذشته",
                "orders_staff:attention",
            ),
            Task(
                mismatched,
                "پرداخت کارتی با مبلغ نادرست (بررسی و بازپرداخت)",
                "orders_staff:attention",
            ),
            Task(stuck, "بازپرداخت کارتی معطل", "orders_staff:attention"),
            Task(
                len(payable),
                "غرفه با مبلغ قابل واریز",
                "orders_staff:ledger",
                sum((row.amount for row in payable), 0),
            ),
            Task(
                len(collect),
                "غرفه بدهکار کارمزد (دریافت)",
                "orders_staff:ledger",
                -sum((row.amount for row in collect), 0),
            ),
            Task(open_batches, "فهرست واریز یا دریافت باز", "orders_staff:ledger"),
        ]
    return tasks


def month_at_a_glance(*, today: dt.date | None = None) -> dict:
    """This Jalali month: parts placed, online sales, applications and approvals."""
    report = ReportFilter(period=period_this_month(today or timezone.localdate()))
    orders = (
        _parts(report)
        .filter(PLACED)
        .aggregate(
            n=Count("pk"),
            value=Coalesce(Sum("subtotal", filter=~Q(status=SO.CANCELLED)), ZERO),
        )
    )
    sellers = Seller.objects.aggregate(
        applied=Count("pk", filter=report.within("submitted_at")),
        approved=Count("pk", filter=report.within("approved_at")),
    )
    return {
        "period": report.period,
        "orders": Cell(orders["n"]),
        "value": Cell(orders["value"], "money"),
        "applied": seller_count(sellers["applied"]),
        "approved": seller_count(sellers["approved"]),
    }
