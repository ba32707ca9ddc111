"""Read queries for order pages, shaped so each page runs a constant number of
queries however many parts and lines it shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from .models import Line, Order, SellerOrder, SellerOrderEvent


def _parts_prefetch() -> Prefetch:
    return Prefetch(
        "seller_orders",
        queryset=SellerOrder.objects.select_related("seller")
        .prefetch_related(
            Prefetch("lines", queryset=Line.objects.order_by("pk")),
            Prefetch(
                "events", queryset=SellerOrderEvent.objects.order_by("created_at", "pk")
            ),
            "card_refunds",
        )
        .order_by("number"),
    )


def phone_has_orders(phone: str) -> bool:
    """Some order was placed by this number (E.164), signed in or as a guest."""
    return Order.objects.filter(Q(buyer_phone=phone) | Q(user__username=phone)).exists()


def order_for_buyer(*, number: str, user) -> Order | None:
    """Her own order (signed in), with parts, lines and timelines; else None."""
    if not user.is_authenticated:
        return None
    return (
        Order.objects.filter(number=number, user=user)
        .select_related("ship_province")
        .prefetch_related(_parts_prefetch())
        .first()
    )


def order_with_parts(order_pk: int) -> Order:
    return (
        Order.objects.select_related("ship_province")
        .prefetch_related(_parts_prefetch())
        .get(pk=order_pk)
    )


def order_history(*, user) -> QuerySet[Order]:
    """Her orders, newest first, each with its parts (booth names, statuses)."""
    return (
        Order.objects.filter(user=user)
        .prefetch_related(
            Prefetch(
                "seller_orders",
                queryset=SellerOrder.objects.select_related("seller").order_by(
                    "number"
                ),
            )
        )
        .order_by("-date_placed", "-pk")
    )


INBOX_TABS = {
    "new": ("تازه", [SellerOrder.Status.NEW]),
    "in_progress": ("در حال آماده‌سازی", [SellerOrder.Status.ACCEPTED]),
    "sent": (
        "آماده یا ارسال‌شده",
        [SellerOrder.Status.READY, SellerOrder.Status.SHIPPED],
    ),
    "done": ("تحویل‌شده", [SellerOrder.Status.DELIVERED]),
    "cancelled": ("لغوشده", [SellerOrder.Status.CANCELLED]),
}


@dataclass(frozen=True)
class InboxState:
    """Her booth's parts at a glance: the count of each tab, and a fingerprint
    that changes whenever any of her parts does."""

    counts: dict[str, int]
    fingerprint: str


def inbox_state(*, seller) -> InboxState:
    """The tabs' counts and the inbox's fingerprint, in one query.

    The fingerprint is the count of her parts in each status and the newest
    `updated_at` among them. Every write to a part moves its `updated_at`
    (auto_now, and `SellerOrderQuerySet.update`); every transition moves one
    part to another status, and the state machine never goes back, so
    concurrent transitions cannot cancel out in the counts. A part's row in the
    inbox shows only what a write changes or what never changes (its lines are
    frozen at placement), so rows cached under a fingerprint are her rows."""
    # One GROUP BY status: cheaper to build and to run than a filtered COUNT
    # per status, and the inbox asks it on every visit.
    rows = (
        SellerOrder.objects.filter(seller=seller)
        .order_by()
        .values_list("status")
        .annotate(parts=Count("pk"), last_write=Max("updated_at"))
    )
    by_status = dict.fromkeys(SellerOrder.Status.values, 0)
    last = None
    for status, parts, last_write in rows:
        by_status[status] = parts
        last = last_write if last is None else max(last, last_write)
    counts = {
        tab: sum(by_status[status] for status in statuses)
        for tab, (_, statuses) in INBOX_TABS.items()
    }
    fingerprint = ".".join(
        [*(str(by_status[status]) for status in SellerOrder.Status.values),
         last.isoformat() if last else "-"]
    )  # fmt: skip
    return InboxState(counts=counts, fingerprint=fingerprint)


def inbox_parts(*, seller, tab: str) -> QuerySet[SellerOrder]:
    """Her booth's parts in one tab, newest first, with their lines' summary."""
    statuses = INBOX_TABS[tab][1]
    # Only the columns a row shows: the part's, and its lines' title and
    # quantity (Oscar's order and line rows are wide, and a page has 25 parts).
    return (
        SellerOrder.objects.filter(seller=seller, status__in=statuses)
        .only(*INBOX_ROW_FIELDS)
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=Line.objects.only(
                    "seller_order_id", "title", "quantity"
                ).order_by("pk"),
            )
        )
        .order_by("-created_at", "-pk")
    )


#: The columns of a part the inbox's rows read (orders/panel/inbox.html).
INBOX_ROW_FIELDS = (
    "seller_id",
    "number",
    "status",
    "delivery_label",
    "subtotal",
    "delivery_fee",
    "created_at",
    "accept_deadline",
)


def part_for_seller(*, seller, part_id: int) -> SellerOrder | None:
    """One of her booth's parts (another booth's id: None, so a 404)."""
    # A card part awaiting payment is not hers yet.
    return (
        SellerOrder.objects.filter(seller=seller, pk=part_id)
        .exclude(status=SellerOrder.Status.AWAITING_PAYMENT)
        .select_related("order__ship_province", "seller__centre")
        .prefetch_related(
            Prefetch("lines", queryset=Line.objects.order_by("pk")),
            Prefetch(
                "events",
                queryset=SellerOrderEvent.objects.select_related("actor").order_by(
                    "created_at", "pk"
                ),
            ),
        )
        .first()
    )
