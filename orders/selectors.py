"""Read queries for order pages, shaped so each page runs a constant number of
queries however many parts and lines it shows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from .models import CardPayment, Line, Order, SellerOrder, SellerOrderEvent
from .payments import CARD


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
        .select_related("ship_province", "card_payment")
        .prefetch_related(_parts_prefetch())
        .first()
    )


def order_with_parts(order_pk: int) -> Order:
    return (
        Order.objects.select_related("ship_province", "card_payment")
        .prefetch_related(_parts_prefetch())
        .get(pk=order_pk)
    )


def order_history(*, user) -> QuerySet[Order]:
    """Her orders, newest first, each with its parts (booth names, statuses) and
    its card payment, all `order_amounts` reads."""
    return (
        Order.objects.filter(user=user)
        .select_related("card_payment")
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


@dataclass(frozen=True)
class PartAmounts:
    """What one part means for the buyer's money, in rials. Exactly one of
    `cancelled`, `refunded`, `paid`, `due` equals `total`; the others are 0."""

    part: SellerOrder
    total: Decimal
    #: Cancelled before any money was taken: she owes nothing for it.
    cancelled: Decimal
    #: Taken by card, then cancelled: it goes back to her card.
    refunded: Decimal
    #: Taken by card and kept, or paid to the booth on delivery.
    paid: Decimal
    #: Still to pay: on delivery or at pickup, or by card while it waits.
    due: Decimal
    by_card: bool

    @property
    def label(self) -> str:
        """The part's money in a few Persian words, for her order page."""
        if self.cancelled:
            return "لغو شد؛ پولی از شما گرفته نمی‌شود"
        if self.refunded:
            return "لغو شد؛ مبلغ به کارت شما بازگردانده می‌شود"
        if self.due and self.by_card:
            return "منتظر پرداخت با کارت"
        if self.due:
            if self.part.is_pickup:
                return "پرداخت هنگام تحویل حضوری"
            return "پرداخت هنگام تحویل"
        if self.by_card:
            return "با کارت پرداخت شد"
        return "هنگام تحویل پرداخت شد"


@dataclass(frozen=True)
class OrderAmounts:
    """An order's money as the buyer sees it now: the total she placed, how much
    of it was cancelled or goes back to her card, what she paid and what is
    still due (on delivery or pickup, or by card)."""

    parts: tuple[PartAmounts, ...]

    def _sum(self, field: str) -> Decimal:
        return sum((getattr(p, field) for p in self.parts), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self._sum("total")

    @property
    def cancelled(self) -> Decimal:
        return self._sum("cancelled")

    @property
    def refunded(self) -> Decimal:
        return self._sum("refunded")

    @property
    def paid(self) -> Decimal:
        return self._sum("paid")

    @property
    def paid_by_card(self) -> Decimal:
        return sum((p.paid for p in self.parts if p.by_card), Decimal(0))

    @property
    def due(self) -> Decimal:
        return self._sum("due")

    @property
    def due_on_delivery(self) -> Decimal:
        return sum((p.due for p in self.parts if not p.by_card), Decimal(0))

    @property
    def due_by_card(self) -> Decimal:
        return sum((p.due for p in self.parts if p.by_card), Decimal(0))

    @property
    def current(self) -> Decimal:
        """What the order comes to now: paid and still due (cancelled and
        refunded parts count for nothing)."""
        return self.paid + self.due

    @property
    def changed(self) -> bool:
        """Some part was cancelled or refunded: the total placed is not what
        she pays any more."""
        return self.current != self.total


def _card_charged_part_ids(order: Order) -> set[int]:
    """The parts Stripe took money for: those the order's PaymentIntent was for,
    once it succeeded (for the amount asked; a mismatch paid nothing)."""
    try:
        payment = order.card_payment
    except CardPayment.DoesNotExist:
        return set()
    if payment.status != CardPayment.Status.SUCCEEDED:
        return set()
    return set(payment.part_ids)


def order_amounts(order: Order) -> OrderAmounts:
    """The one rule of what a buyer owes, paid and gets back, part by part.

    A part's amount is its lines and delivery fee (`SellerOrder.total`).
    - Cancelled (declined, cancelled by her, the booth's deadline or staff,
      unpaid): *refunded* if Stripe took money for it, else *cancelled* (she
      owes nothing for it).
    - A card part Stripe took money for, still open or delivered: *paid*.
    - A card part still waiting for its payment: *due* by card.
    - A pay-on-delivery or pickup part: *due* until delivered, then *paid*.

    Reads `order.seller_orders.all()` and `order.card_payment`; the selectors
    of the buyer's pages prefetch both, so a page of orders costs no query per
    order (`tests/orders/test_amounts_owed.py`)."""
    charged = _card_charged_part_ids(order)
    zero = Decimal(0)
    parts = []
    for part in sorted(order.seller_orders.all(), key=lambda p: p.number):
        total = part.total
        cancelled = refunded = paid = due = zero
        took_card = part.pk in charged and part.payment_method == CARD
        if part.status == SellerOrder.Status.CANCELLED:
            if part.pk in charged:
                refunded = total
            else:
                cancelled = total
        elif took_card or part.status == SellerOrder.Status.DELIVERED:
            paid = total
        else:
            due = total
        parts.append(
            PartAmounts(
                part=part,
                total=total,
                cancelled=cancelled,
                refunded=refunded,
                paid=paid,
                due=due,
                by_card=part.payment_method == CARD,
            )
        )
    return OrderAmounts(parts=tuple(parts))


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
