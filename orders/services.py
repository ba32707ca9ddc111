"""Order workflows: placing an order, and every change to a seller order.

- `order_place`: one transaction that allocates stock and capacity under row
  locks, creates the buyer order, one seller order per booth, their lines, ledger
  entries and payment records, and submits the basket. Idempotent per basket.
- `seller_order_transition`: applies the seller order's state machine
  (`TRANSITIONS`, a `marketplace.state_machine.Machine`: who may do what from
  which status, with each row's guards and side-effect steps: stock, capacity,
  ledger and payment), with its audit event, the parent's derived status and
  the notifications.
- `seller_orders_expire`: cancels parts not accepted in time (Celery beat).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from oscar.apps.address.models import Country
from oscar.apps.order.utils import OrderNumberGenerator

from marketplace.persian import format_number, format_toman, to_persian_digits
from marketplace.state_machine import Machine, Transition
from marketplace.text import plain_text
from sellers.models import (
    DeliveryOption,
    Province,
    Seller,
    SellerMember,
    SellerWeekLoad,
)
from sellers.partner.models import StockRecord
from sellers.selectors import bazaar_pickups, week_full_invalidate

from . import notifications
from .calendar import add_working_days, add_working_hours, week_start
from .ledger import commission_rate_for, ledger_entries_for_placement, ledger_reverse
from .limits import order_total_refusal
from .models import (
    LedgerEntry,
    Line,
    Order,
    SellerOrder,
    SellerOrderEvent,
    ShippingAddress,
)
from .parts import (
    delivery_choices,
    is_made_to_order,
    line_preparation_days,
    line_problem,
)
from .payments import CARD, CASH_FOR_KIND, gateway_for
from .permissions import can_manage_orders
from .status import OrderStatus, order_status_sync

S = SellerOrder.Status
logger = logging.getLogger(__name__)


class PlacementError(Exception):
    """The order cannot be placed; nothing was written. `message` is Persian and
    names the line or booth at fault."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class ReviewChanged(PlacementError):
    """What she reviewed is no longer what would be placed (a price, a
    quantity, a delivery fee or the total moved, or a line came or went).
    `changes` says each in Persian; `line_ids` are the basket lines concerned."""

    def __init__(self, changes: list[str], line_ids: set[int]):
        self.changes = changes
        self.line_ids = line_ids
        super().__init__("سفارش از زمان بازبینی تغییر کرده است؛ آن را دوباره ببینید.")


@dataclass(frozen=True)
class ReviewedOrder:
    """What the review page showed: each basket line's quantity and unit price,
    each booth's delivery fee, and the total, all in rials."""

    lines: dict[int, tuple[int, Decimal]]
    fees: dict[int, Decimal]
    total: Decimal


@dataclass(frozen=True)
class BuyerData:
    user: object | None  # a signed-in user, or None for a guest
    name: str
    phone: str  # normalised, +989…
    email: str = ""


@dataclass(frozen=True)
class AddressData:
    province: Province
    city: str
    district: int | None
    neighbourhood: str
    street: str
    postcode: str
    recipient_name: str
    recipient_phone: str


@dataclass(frozen=True)
class PartChoice:
    delivery_kind: str
    payment_method: str
    note: str = ""


def placement_key(basket) -> str:
    """One order per basket: a double click, a retry and a second tab all carry
    the same basket, so they find the order the first one placed."""
    return f"basket-{basket.pk}"


def iran() -> Country:
    """Oscar's addresses need a country; ours are all in Iran, so the buyer is
    never asked."""
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="IR",
        defaults={
            "iso_3166_1_a3": "IRN",
            "iso_3166_1_numeric": "364",
            "name": "Iran",
            "printable_name": "ایران",
            "is_shipping_country": True,
        },
    )
    return country


def _plain(value: str) -> str:
    return plain_text(value or "", multiline=False)


def checkout_text_clean(
    *, buyer: BuyerData, address: AddressData, choices: dict[int, PartChoice]
) -> tuple[BuyerData, AddressData, dict[int, PartChoice]]:
    """Everything the buyer typed at checkout as plain text, the way seller text
    is (`marketplace.text.plain_text`: markup, control and bidirectional control
    characters out; ZWNJ and ZWJ kept), before it reaches the order, the booth and
    staff: her name, the recipient, the address lines, the postcode and each
    booth's note. A name, recipient or street left empty is refused
    (`PlacementError`)."""
    buyer = replace(buyer, name=_plain(buyer.name))
    address = replace(
        address,
        city=_plain(address.city),
        neighbourhood=_plain(address.neighbourhood),
        street=_plain(address.street),
        postcode=_plain(address.postcode),
        recipient_name=_plain(address.recipient_name),
    )
    for value, message in (
        (address.recipient_name, "نام گیرنده را بنویسید."),
        (address.street, "نشانی را بنویسید."),
        (address.city, "شهر را بنویسید."),
    ):
        if not value:
            raise PlacementError(message)
    choices = {
        seller_id: replace(choice, note=_plain(choice.note)[:500])
        for seller_id, choice in choices.items()
    }
    return buyer, address, choices


def order_place(
    *,
    basket,
    buyer: BuyerData,
    address: AddressData,
    choices: dict[int, PartChoice],
    line_ids: list[int] | None = None,
    reviewed: ReviewedOrder | None = None,
) -> tuple[Order, object | None]:
    """Place the basket's lines (`line_ids`: the buyable lines the buyer reviewed;
    None = all) as one order, and return (order, basket of the lines left out).

    Rules:
    - Idempotent: the basket row is locked and the order carries a unique key per
      basket, so concurrent or repeated calls return the one order.
    - No oversell: stock records are locked in primary-key order (two baskets
      with the same products never deadlock), then the booths' week loads in
      primary-key order; every line is checked again under the locks. A line
      that cannot be had fails the whole order with `PlacementError` naming it.
    - Each booth's part needs a delivery option on offer for this address and a
      payment method that supports it.
    - Buyer text is plain text (`checkout_text_clean`).
    - The caps (`orders.limits`): each line within the line cap and the booth's
      weekly capacity, the total with delivery within `BASKET_MAX_ORDER_TOTAL`.
    - She is charged what she reviewed: with `reviewed`, every line's quantity
      and unit price (from the locked stock record), every booth's fee and the
      total are compared with it under the locks; any difference places
      nothing and raises `ReviewChanged` saying what moved (Saleor's rule).
    """
    key = placement_key(basket)
    existing = Order.objects.filter(placement_key=key).first()
    if existing is not None:
        return existing, None
    buyer, address, choices = checkout_text_clean(
        buyer=buyer, address=address, choices=choices
    )
    try:
        with transaction.atomic():
            return _place(
                basket=basket,
                buyer=buyer,
                address=address,
                choices=choices,
                line_ids=line_ids,
                key=key,
                reviewed=reviewed,
            )
    except IntegrityError:
        existing = Order.objects.filter(placement_key=key).first()
        if existing is None:
            raise
        return existing, None


def review_compare(*, reviewed: ReviewedOrder, planned, stock) -> None:
    """Raise `ReviewChanged` unless the planned parts are exactly what she
    reviewed: the same lines with the same quantities and unit prices, the same
    booths with the same delivery fees, the same total."""
    changes: list[str] = []
    line_ids: set[int] = set()
    seen: set[int] = set()
    total = Decimal(0)
    for seller, part, subtotal, delivery, _gateway, _choice, _days in planned:
        total += subtotal + delivery.fee
        for line in part:
            seen.add(line.pk)
            title = line.product.get_title()
            price = stock[line.stockrecord_id].price
            was = reviewed.lines.get(line.pk)
            if was is None:
                changes.append(f"«{title}» پس از بازبینی به سفارش افزوده شده است.")
                line_ids.add(line.pk)
                continue
            quantity, unit_price = was
            if quantity != line.quantity:
                changes.append(
                    f"تعداد «{title}» از {format_number(quantity)} به "
                    f"{format_number(line.quantity)} تغییر کرده است."
                )
                line_ids.add(line.pk)
            if unit_price != price:
                changes.append(
                    f"قیمت «{title}» از {format_toman(unit_price)} به "
                    f"{format_toman(price)} تغییر کرده است."
                )
                line_ids.add(line.pk)
        fee_was = reviewed.fees.get(seller.pk)
        if fee_was is not None and fee_was != delivery.fee:
            changes.append(
                f"هزینهٔ ارسال غرفهٔ «{seller.brand_name}» از "
                f"{format_toman(fee_was)} به {format_toman(delivery.fee)} "
                "تغییر کرده است."
            )
    gone = set(reviewed.lines) - seen
    if gone:
        changes.append("کالایی که بازبینی کرده بودید دیگر در سفارش نیست.")
        line_ids |= gone
    if not changes and total != reviewed.total:
        changes.append(
            f"مبلغ کل از {format_toman(reviewed.total)} به {format_toman(total)} "
            "تغییر کرده است."
        )
    if changes:
        raise ReviewChanged(changes, line_ids)


def _place(*, basket, buyer, address, choices, line_ids, key, reviewed=None):
    from orders.basket.models import Basket
    from orders.basket.models import Line as BasketLine

    locked_basket = Basket.objects.select_for_update().get(pk=basket.pk)
    existing = Order.objects.filter(placement_key=key).first()
    if existing is not None:
        return existing, None
    if locked_basket.status not in Basket.editable_statuses:
        raise PlacementError("این سبد خرید دیگر باز نیست.")

    all_lines = list(
        BasketLine.objects.filter(basket=locked_basket)
        .select_related("product__product_class")
        .order_by("pk")
    )
    wanted = set(line_ids) if line_ids is not None else {ln.pk for ln in all_lines}
    lines = [ln for ln in all_lines if ln.pk in wanted]
    leftover = [ln for ln in all_lines if ln.pk not in wanted]
    if not lines:
        raise PlacementError("سبد خرید شما خالی است.")

    # Locks in primary-key order: stock records first, then week loads.
    stock_ids = sorted({ln.stockrecord_id for ln in lines if ln.stockrecord_id})
    stock = {
        sr.pk: sr
        for sr in StockRecord.objects.select_for_update()
        .filter(pk__in=stock_ids)
        .order_by("pk")
    }
    for line in lines:
        if line.stockrecord_id not in stock:
            raise PlacementError(f"«{line.product.get_title()}» دیگر فروخته نمی‌شود.")
    partner_ids = {sr.partner_id for sr in stock.values()}
    sellers = {
        s.partner_id: s
        for s in Seller.objects.filter(partner_id__in=partner_ids).select_related(
            "province", "centre", "district", "programme"
        )
    }

    # Group by booth, in the order the buyer added them.
    parts: dict[int, list] = {}
    for line in lines:
        seller = sellers.get(stock[line.stockrecord_id].partner_id)
        if seller is None:
            raise PlacementError(f"«{line.product.get_title()}» دیگر فروخته نمی‌شود.")
        parts.setdefault(seller.pk, []).append(line)
    seller_by_id = {s.pk: s for s in sellers.values()}

    week = week_start(timezone.localdate())
    mto_units = {
        seller_id: sum(ln.quantity for ln in part if is_made_to_order(ln.product))
        for seller_id, part in parts.items()
    }
    loads = {}
    capped = [
        sid
        for sid, units in mto_units.items()
        if units and seller_by_id[sid].weekly_capacity is not None
    ]
    if capped:
        # Missing rows first, in one INSERT … ON CONFLICT DO NOTHING in
        # seller-pk order (two placements never wait on each other's new rows
        # crosswise), then every row locked in pk order (docs: "Lock order").
        capped.sort()
        SellerWeekLoad.objects.bulk_create(
            [SellerWeekLoad(seller_id=sid, week_start=week) for sid in capped],
            ignore_conflicts=True,
        )
        loads = {
            load.seller_id: load
            for load in SellerWeekLoad.objects.select_for_update()
            .filter(seller_id__in=capped, week_start=week)
            .order_by("pk")
        }

    for seller_id, part in parts.items():
        seller = seller_by_id[seller_id]
        load = loads.get(seller_id)
        left = None if load is None else max(0, seller.weekly_capacity - load.units)
        for line in part:
            problem = line_problem(
                product=line.product,
                stockrecord=stock[line.stockrecord_id],
                seller=seller,
                quantity=line.quantity,
                week_units_left=left,
            )
            if problem:
                raise PlacementError(problem)
            if left is not None and is_made_to_order(line.product):
                left -= line.quantity

    options_by_seller: dict[int, list] = {sid: [] for sid in parts}
    for option in DeliveryOption.objects.filter(seller_id__in=list(parts)).order_by(
        "pk"
    ):
        options_by_seller[option.seller_id].append(option)

    now = timezone.now()
    today = timezone.localdate()
    pickups = bazaar_pickups(today=today)
    planned = []
    for seller_id, part in parts.items():
        seller = seller_by_id[seller_id]
        subtotal = sum(
            (stock[ln.stockrecord_id].price * ln.quantity for ln in part), Decimal(0)
        )
        choice = choices.get(seller_id)
        offered = delivery_choices(
            seller,
            options_by_seller[seller_id],
            subtotal,
            address_in_tehran=address.province.is_tehran,
            bazaar_pickup=pickups.get(seller_id),
        )
        delivery = next(
            (c for c in offered if choice and c.kind == choice.delivery_kind), None
        )
        if delivery is None:
            raise PlacementError(
                f"روش ارسال سفارش غرفهٔ «{seller.brand_name}» را دوباره انتخاب کنید."
            )
        try:
            gateway = gateway_for(choice.payment_method)
        except LookupError:
            gateway = None
        if gateway is None or not gateway.supports(delivery.kind):
            raise PlacementError(
                f"روش پرداخت سفارش غرفهٔ «{seller.brand_name}» را دوباره انتخاب کنید."
            )
        days = max(line_preparation_days(ln.product) for ln in part)
        planned.append((seller, part, subtotal, delivery, gateway, choice, days))

    if reviewed is not None:
        review_compare(reviewed=reviewed, planned=planned, stock=stock)

    too_large = order_total_refusal(sum((p[2] + p[3].fee for p in planned), Decimal(0)))
    if too_large:
        raise PlacementError(too_large)

    # Allocate: stock (Oscar's allocation, consumed at hand-over) and capacity.
    for line in lines:
        record = stock[line.stockrecord_id]
        if not is_made_to_order(line.product):
            record.num_allocated = (record.num_allocated or 0) + line.quantity
            record.save(update_fields=["num_allocated"])
    for seller_id, load in loads.items():
        load.units += mto_units[seller_id]
        load.save(update_fields=["units"])

    fees = sum((p[3].fee for p in planned), Decimal(0))
    total = sum((p[2] for p in planned), Decimal(0)) + fees
    number = str(OrderNumberGenerator().order_number(locked_basket))
    shipping_address = ShippingAddress.objects.create(
        last_name=address.recipient_name,
        line1=address.street,
        line2=address.neighbourhood,
        line3=f"منطقه {address.district}" if address.district else "",
        line4=address.city,
        state=address.province.name,
        postcode=address.postcode,
        country=iran(),
        phone_number=address.recipient_phone,
    )
    order = Order.objects.create(
        number=number,
        site_id=getattr(settings, "SITE_ID", None),
        basket=locked_basket,
        user=buyer.user,
        currency="IRR",
        total_incl_tax=total,
        total_excl_tax=total,
        shipping_incl_tax=fees,
        shipping_excl_tax=fees,
        shipping_address=shipping_address,
        shipping_method="ارسال جداگانهٔ هر غرفه",
        shipping_code="per-booth",
        status=OrderStatus.NEW,  # derived again below when parts await payment
        guest_email="" if buyer.user else buyer.email,
        date_placed=now,
        placement_key=key,
        buyer_name=buyer.name,
        buyer_phone=buyer.phone,
        ship_province=address.province,
        ship_city=address.city,
        ship_district=address.district,
        ship_neighbourhood=address.neighbourhood,
        ship_street=address.street,
        ship_postcode=address.postcode,
        recipient_name=address.recipient_name,
        recipient_phone=address.recipient_phone,
    )
    deadline = add_working_hours(now, settings.ORDER_ACCEPT_HOURS)
    pay_deadline = now + dt.timedelta(minutes=settings.CARD_PAYMENT_HOLD_MINUTES)
    seller_orders, all_lines, events, entries = [], [], [], []
    for index, (seller, part, subtotal, delivery, gateway, choice, days) in enumerate(
        planned, start=1
    ):
        # A card part waits for Stripe's webhook before the booth sees it; its
        # stock is held until the payment deadline (orders.card).
        awaiting = gateway.code == CARD
        seller_order = SellerOrder.objects.create(
            order=order,
            seller=seller,
            number=f"{number}-{index}",
            status=S.AWAITING_PAYMENT if awaiting else S.NEW,
            delivery_kind=delivery.kind,
            delivery_label=delivery.label,
            delivery_fee=delivery.fee,
            subtotal=subtotal,
            payment_method=gateway.code,
            seller_holds_cash=gateway.seller_holds_cash,
            pickup_address=delivery.pickup_address,
            buyer_note=choice.note[:500],
            preparation_days=days,
            expected_ready_on=add_working_days(today, days),
            accept_deadline=pay_deadline if awaiting else deadline,
            created_at=now,
            capacity_week=week,
        )
        rate = commission_rate_for(seller)
        part_lines = []
        for line in part:
            part_lines.append(
                Line.for_sale(
                    order=order,
                    seller_order=seller_order,
                    seller=seller,
                    record=stock[line.stockrecord_id],
                    product=line.product,
                    quantity=line.quantity,
                    made_to_order=is_made_to_order(line.product),
                    commission_rate=rate,
                )
            )
        all_lines += part_lines
        events.append(
            SellerOrderEvent(
                seller_order=seller_order,
                actor=buyer.user,
                action="placed",
                to_status=seller_order.status,
                created_at=now,
            )
        )
        if not awaiting:  # a card part's entries are written when it is paid
            entries += ledger_entries_for_placement(seller_order, part_lines)
        seller_orders.append((seller_order, gateway))
    # One insert each for every part's lines, events and ledger entries.
    Line.objects.bulk_create(all_lines)
    SellerOrderEvent.objects.bulk_create(events)
    LedgerEntry.objects.bulk_create(entries)
    for seller_order, gateway in seller_orders:
        gateway.authorise(seller_order)
    order_status_sync(order)

    leftover_basket = None
    if leftover:
        leftover_basket = Basket.objects.create(owner=locked_basket.owner)
        BasketLine.objects.filter(pk__in=[ln.pk for ln in leftover]).update(
            basket=leftover_basket
        )
    locked_basket.submit()

    if loads:
        transaction.on_commit(week_full_invalidate)
    # Written now, sent only if the placement commits (notifications' rule).
    notifications.order_placed(order)
    return order, leftover_basket


# --- the seller order's state machine ------------------------------------------------

SELLER, BUYER, SYSTEM, STAFF = "seller", "buyer", "system", "staff"

#: What a part's reason or note and its tracking code may hold (their columns).
NOTE_MAX = 500
TRACKING_MAX = 64

CANCELLED_BY = {
    "decline": SellerOrder.CancelledBy.SELLER,
    "cancel": SellerOrder.CancelledBy.BUYER,
    "expire": SellerOrder.CancelledBy.SYSTEM,
    "unpaid": SellerOrder.CancelledBy.PAYMENT,
    "staff_cancel": SellerOrder.CancelledBy.STAFF,
}


@dataclass
class PartMove:
    """What a move's steps work on: the locked part, the move and who makes
    it, what was typed, and (for the `after` steps) the part's lines and the
    gateway of its payment method as it is after the `before` steps."""

    part: SellerOrder
    action: str
    actor: object
    note: str
    tracking_code: str
    payment_reference: str
    now: dt.datetime
    lines: list = field(default_factory=list)
    gateway: object = None


def _not_now(part: SellerOrder) -> str:
    return (
        f"این کار در وضعیت کنونی سفارش ممکن نیست (وضعیت: {part.get_status_display()})."
    )


# Guards: a Persian refusal, or None.


def _pickup_only(part: SellerOrder) -> str | None:
    return None if part.is_pickup else _not_now(part)


def _not_pickup(part: SellerOrder) -> str | None:
    return _not_now(part) if part.is_pickup else None


def _deadline_passed(part: SellerOrder) -> str | None:
    if part.accept_deadline > timezone.now():
        return "مهلت پذیرش این سفارش هنوز نگذشته است."
    return None


def _cancelled_as_unpaid(part: SellerOrder) -> str | None:
    if part.cancelled_by != SellerOrder.CancelledBy.PAYMENT:
        return "فقط سفارشی که پرداختش دیر رسید باز می‌شود."
    return None


# `before` steps: the part's own fields, before it is saved.


def _stamp_accepted(move: PartMove) -> None:
    move.part.accepted_at = move.now


def _stamp_fulfilled(move: PartMove) -> None:
    move.part.fulfilled_at = move.now


def _stamp_tracking_code(move: PartMove) -> None:
    move.part.tracking_code = move.tracking_code


def _stamp_delivered(move: PartMove) -> None:
    move.part.delivered_at = move.now


def _stamp_cancelled(move: PartMove) -> None:
    move.part.cancelled_at = move.now
    move.part.cancelled_by = CANCELLED_BY[move.action]
    move.part.decline_reason = move.note


def _clear_cancellation(move: PartMove) -> None:
    move.part.cancelled_at = None
    move.part.cancelled_by = ""
    move.part.decline_reason = ""


def _restart_accept_deadline(move: PartMove) -> None:
    """Only now has the booth a new part: a fresh acceptance deadline."""
    move.part.accept_deadline = add_working_hours(move.now, settings.ORDER_ACCEPT_HOURS)


def _to_cash(move: PartMove) -> None:
    move.part.payment_method = CASH_FOR_KIND[move.part.delivery_kind]
    move.part.seller_holds_cash = True


# `after` steps: once the part is saved and its event written.


def _give_back_holdings(move: PartMove) -> None:
    _put_back(move.part, move.lines)


def _refund_and_reverse_ledger(move: PartMove) -> None:
    """The cancellation's money: the payment released or refunded, then the
    part's ledger entries reversed."""
    part, action, actor, note = move.part, move.action, move.actor, move.note
    gateway = move.gateway
    # A card refund is only asked for here (a pending row of the
    # outbox, orders.refunds): Stripe is called after commit, never
    # under these locks. Its key goes on the reversals.
    reference = gateway.refund(part, part.total, action=action)
    ledger_reverse(part, actor=actor, note=note, payment_reference=reference or "")


def _take_holdings_again(move: PartMove) -> None:
    _take_again(move.part, move.lines)


def _write_sale_entries(move: PartMove) -> None:
    """A card part's entries are written when it is paid or switched to cash."""
    LedgerEntry.objects.bulk_create(
        ledger_entries_for_placement(
            move.part, move.lines, payment_reference=move.payment_reference
        )
    )


def _record_card_paid(move: PartMove) -> None:
    move.gateway.record_paid(move.part, move.payment_reference)


def _authorise_cash(move: PartMove) -> None:
    move.gateway.authorise(move.part)


def _consume_stock(move: PartMove) -> None:
    records = stock_records_lock(move.lines)
    for line in move.lines:
        if line.holds_stock():
            line.stock_consume(records[line.stockrecord_id])


def _capture_payment(move: PartMove) -> None:
    move.gateway.capture(move.part)


CANCEL_STEPS = (_give_back_holdings, _refund_and_reverse_ledger)

#: The seller order's machine: every status change of a part is a row here.
TRANSITIONS = Machine(
    [
        Transition(
            "accept",
            frozenset({S.NEW}),
            S.ACCEPTED,
            frozenset({SELLER}),
            "پذیرفتن",
            before=(_stamp_accepted,),
        ),
        Transition(
            "decline",
            frozenset({S.NEW}),
            S.CANCELLED,
            frozenset({SELLER}),
            "رد کردن",
            needs_reason="دلیل رد کردن سفارش را بنویسید.",
            before=(_stamp_cancelled,),
            after=CANCEL_STEPS,
        ),
        Transition(
            "ready",
            frozenset({S.ACCEPTED}),
            S.READY,
            frozenset({SELLER}),
            "آمادهٔ تحویل حضوری",
            guards=(_pickup_only,),
            before=(_stamp_fulfilled,),
        ),
        Transition(
            "ship",
            frozenset({S.ACCEPTED}),
            S.SHIPPED,
            frozenset({SELLER}),
            "ارسال شد",
            guards=(_not_pickup,),
            before=(_stamp_fulfilled, _stamp_tracking_code),
        ),
        Transition(
            "deliver",
            frozenset({S.READY, S.SHIPPED}),
            S.DELIVERED,
            frozenset({SELLER, BUYER}),
            "تحویل شد",
            before=(_stamp_delivered,),
            after=(_consume_stock, _capture_payment),
        ),
        Transition(
            "cancel",
            frozenset({S.NEW, S.AWAITING_PAYMENT}),
            S.CANCELLED,
            frozenset({BUYER}),
            "لغو سفارش",
            before=(_stamp_cancelled,),
            after=CANCEL_STEPS,
        ),
        Transition(
            "expire",
            frozenset({S.NEW}),
            S.CANCELLED,
            frozenset({SYSTEM}),
            "لغو خودکار",
            guards=(_deadline_passed,),
            before=(_stamp_cancelled,),
            after=CANCEL_STEPS,
        ),
        # Card parts (orders.card): Stripe's webhook confirmed the payment; the
        # payment deadline passed unpaid; the buyer chose to pay on delivery
        # instead.
        Transition(
            "pay",
            frozenset({S.AWAITING_PAYMENT}),
            S.NEW,
            frozenset({SYSTEM}),
            "پرداخت شد",
            before=(_restart_accept_deadline,),
            after=(_write_sale_entries, _record_card_paid),
        ),
        Transition(
            "unpaid",
            frozenset({S.AWAITING_PAYMENT}),
            S.CANCELLED,
            frozenset({SYSTEM}),
            "لغو: پرداخت نشد",
            guards=(_deadline_passed,),
            before=(_stamp_cancelled,),
            after=CANCEL_STEPS,
        ),
        Transition(
            "switch_to_cash",
            frozenset({S.AWAITING_PAYMENT}),
            S.NEW,
            frozenset({BUYER}),
            "پرداخت هنگام تحویل",
            before=(_restart_accept_deadline, _to_cash),
            after=(_write_sale_entries, _authorise_cash),
        ),
        # Staff step in (a booth that cannot deliver, a buyer who asks by
        # phone) while the goods are still with the booth; once shipped it is
        # a return, not a cancel.
        Transition(
            "staff_cancel",
            frozenset({S.NEW, S.ACCEPTED, S.READY}),
            S.CANCELLED,
            frozenset({STAFF}),
            "لغو به دست کارکنان",
            needs_reason="دلیل لغو را بنویسید؛ برای خریدار و غرفه فرستاده می‌شود.",
            before=(_stamp_cancelled,),
            after=CANCEL_STEPS,
        ),
        # A card payment that arrives after the hold ran out (`orders.card.
        # _revive`): the part cancelled as unpaid takes its stock and capacity
        # again, then is paid ("pay") in the same transaction.
        Transition(
            "revive",
            frozenset({S.CANCELLED}),
            S.AWAITING_PAYMENT,
            frozenset({SYSTEM}),
            "بازگشایی با پرداخت دیرهنگام",
            guards=(_cancelled_as_unpaid,),
            before=(_clear_cancellation,),
            after=(_take_holdings_again,),
        ),
    ]
)


def transitions_for(seller_order: SellerOrder, party: str) -> list[str]:
    """The actions `party` may take on this part now (for the buttons)."""
    return [t.action for t in TRANSITIONS.allowed(seller_order, party)]


def seller_order_transition(
    *,
    seller_order: SellerOrder,
    action: str,
    party: str,
    actor=None,
    note: str = "",
    tracking_code: str = "",
    payment_reference: str = "",
) -> SellerOrder:
    """Apply `action` to the part as `party` (seller, buyer, system, staff).

    Rules, read from the action's row of `TRANSITIONS`: it must exist, be open
    to that party and start from the part's current status (read under a row
    lock, so two clicks act once); its guards ("ready" is for pickup parts,
    "ship" for courier and post, the system's cancellations wait for the
    deadline, revival is for parts cancelled as unpaid); a reason when it needs
    one (declining, a staff cancellation). The staff party needs
    `can_manage_orders`. Every change writes an event (who, what, when) and
    runs the row's steps: a cancellation puts the stock and capacity back,
    reverses the part's ledger entries and releases or refunds its payment;
    delivery consumes the stock and captures the payment; a card part leaves
    "awaiting payment" when paid (`payment_reference` = the Stripe charge: its
    ledger entries are written then) or switched to pay on delivery, and only
    then has the booth a new part, with a fresh acceptance deadline. The
    parent order's status is derived again. The buyer (and, for the buyer's or
    the system's cancellations, the booth) is told after commit.

    Raises PermissionDenied (not this party's action) or ValidationError (Persian:
    not from this status, a guard's refusal, a missing reason, or a reason or
    tracking code longer than its column, `NOTE_MAX` and `TRACKING_MAX`)."""
    transition = TRANSITIONS.get(action)
    if transition is None or not transition.open_to(party):
        raise PermissionDenied(action)
    if party == STAFF and not (actor is not None and can_manage_orders(actor)):
        raise PermissionDenied(action)
    # Shown to the buyer, the booth and staff: plain text, like all typed text.
    note = plain_text(note or "", multiline=False)
    tracking_code = plain_text(tracking_code or "", multiline=False)
    # Refused, not cut: she sees that her words did not fit (the columns hold
    # 500 and 64 characters; the pages' inputs say so too).
    if len(note) > NOTE_MAX:
        raise ValidationError(
            f"متن را کوتاه‌تر بنویسید؛ حداکثر {to_persian_digits(NOTE_MAX)} نویسه."
        )
    if len(tracking_code) > TRACKING_MAX:
        raise ValidationError(
            "کد رهگیری را کوتاه‌تر بنویسید؛ "
            f"حداکثر {to_persian_digits(TRACKING_MAX)} نویسه."
        )
    with transaction.atomic():
        # The lock order (docs/ARCHITECTURE.md, "Lock order"): the buyer order
        # first, then this part. Sibling parts' transitions queue on the order
        # row, so each derives the order's status from its siblings as committed.
        order = order_lock(seller_order=seller_order)
        part = SellerOrder.objects.select_for_update().get(pk=seller_order.pk)
        if not TRANSITIONS.starts_from(transition, part):
            raise ValidationError(_not_now(part))
        refusal = TRANSITIONS.refusal(transition, part)
        if refusal:
            raise ValidationError(refusal)
        if transition.needs_reason and not note:
            raise ValidationError(transition.needs_reason)
        move = PartMove(
            part=part,
            action=action,
            actor=actor,
            note=note,
            tracking_code=tracking_code,
            payment_reference=payment_reference,
            now=timezone.now(),
        )
        old = part.status
        part.status = transition.target
        for step in transition.before:
            step(move)
        part.save()
        SellerOrderEvent.objects.create(
            seller_order=part,
            actor=actor,
            action=action,
            from_status=old,
            to_status=part.status,
            note=note or tracking_code,
            created_at=move.now,
        )
        move.lines = list(
            part.lines.select_related("stockrecord__product__product_class")
        )
        move.gateway = gateway_for(part.payment_method)
        for step in transition.after:
            step(move)
        order_status_sync(order)
        part.order = order
        # Written now, sent only if the change commits (notifications' rule).
        notifications.part_changed(part, action)
    return part


def order_lock(*, seller_order: SellerOrder) -> Order:
    """The buyer order of `seller_order`, row-locked: the first lock of every
    change to an order or its parts (docs/ARCHITECTURE.md, "Lock order").
    `seller_order` may be a bare `SellerOrder(pk=…)`: its order is looked up
    (a part never moves to another order)."""
    order_id = seller_order.order_id
    if order_id is None:
        order_id = (
            SellerOrder.objects.filter(pk=seller_order.pk)
            .values_list("order_id", flat=True)
            .first()
        )
        if order_id is None:
            raise SellerOrder.DoesNotExist(seller_order.pk)
    return Order.objects.select_for_update().get(pk=order_id)


def stock_records_lock(lines) -> dict[int, StockRecord]:
    """The stock records of `lines`, row-locked in primary-key order (the lock
    order: after the parts, before the week loads)."""
    ids = sorted({line.stockrecord_id for line in lines if line.stockrecord_id})
    return {
        record.pk: record
        for record in StockRecord.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
    }


class PartUnavailable(ValidationError):
    """A cancelled part cannot be revived: its stock or its week's capacity
    has gone meanwhile (nothing was taken)."""


def _put_back(part: SellerOrder, lines) -> None:
    """What the part holds given back: each ready-made line's allocation (the
    kind frozen on the line, `Line.stock_release`), its made-to-order units to
    the week they were charged to (`SellerOrder.charged_week`)."""
    records = stock_records_lock(lines)
    for line in sorted(lines, key=lambda ln: (ln.stockrecord_id or 0, ln.pk)):
        if line.holds_stock():
            line.stock_release(records[line.stockrecord_id])
    units = sum(line.quantity for line in lines if line.made_to_order)
    if units:
        load = (
            SellerWeekLoad.objects.select_for_update()
            .filter(seller_id=part.seller_id, week_start=part.charged_week)
            .first()
        )
        if load is not None:
            load.units = max(0, load.units - units)
            load.save(update_fields=["units"])
            transaction.on_commit(week_full_invalidate)


def _take_again(part: SellerOrder, lines) -> None:
    """A revived part takes what it held again, if it can still be had: each
    ready-made line's units (within what can be sold online now), its
    made-to-order units in this week's capacity, recorded as the part's
    `capacity_week` so a later cancellation gives them back there. Raises
    `PartUnavailable` (nothing taken) otherwise. Locks in the lock order:
    stock records, then the week load."""
    records = stock_records_lock(lines)
    wanted: dict[int, int] = {}
    for line in lines:
        if line.holds_stock():
            wanted[line.stockrecord_id] = (
                wanted.get(line.stockrecord_id, 0) + line.quantity
            )
    for record_id, quantity in wanted.items():
        record = records.get(record_id)
        if record is None or (record.net_stock_level or 0) < quantity:
            raise PartUnavailable("کالای این سفارش دیگر موجود نیست.")
    week = week_start(timezone.localdate())
    units = sum(line.quantity for line in lines if line.made_to_order)
    load = None
    capacity = part.seller.weekly_capacity
    if units and capacity is not None:
        SellerWeekLoad.objects.bulk_create(
            [SellerWeekLoad(seller_id=part.seller_id, week_start=week)],
            ignore_conflicts=True,
        )
        load = SellerWeekLoad.objects.select_for_update().get(
            seller_id=part.seller_id, week_start=week
        )
        if load.units + units > capacity:
            raise PartUnavailable("ظرفیت این هفتهٔ غرفه پر شده است.")
    for line in lines:
        if line.holds_stock():
            line.stock_take(records[line.stockrecord_id])
    if load is not None:
        load.units += units
        load.save(update_fields=["units"])
        transaction.on_commit(week_full_invalidate)
    part.capacity_week = week
    part.save(update_fields=["capacity_week"])


def seller_orders_expire(*, now: dt.datetime | None = None) -> int:
    """Cancel every part still new after its acceptance deadline; returns how many."""
    return seller_orders_cancel_overdue(
        status=S.NEW, action="expire", note="مهلت پذیرش سفارش گذشت.", now=now
    )


def seller_orders_cancel_overdue(
    *, status: str, action: str, note: str, now: dt.datetime | None = None
) -> int:
    """Apply the system's `action` to every part in `status` past its deadline
    (`accept_deadline`: acceptance, or a card part's payment hold); returns how
    many. Each in its own transaction, so one failure does not hold the others."""
    now = now or timezone.now()
    ids = list(
        SellerOrder.objects.filter(status=status, accept_deadline__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for pk in ids:
        try:
            seller_order_transition(
                seller_order=SellerOrder(pk=pk),
                action=action,
                party=SYSTEM,
                note=note,
            )
        except ValidationError:
            continue  # moved on meanwhile
        except Exception:
            # One part's trouble (a provider, a bad row) never stops the run;
            # it rolled back, and the next run tries it again.
            logger.exception("%s of part %s failed; the run goes on", action, pk)
            continue
        done += 1
    return done


def membership_party(user, seller_order: SellerOrder) -> str | None:
    """ "seller" when the user is a member of the part's booth, else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if SellerMember.objects.filter(
        user=user, seller_id=seller_order.seller_id
    ).exists():
        return SELLER
    return None
