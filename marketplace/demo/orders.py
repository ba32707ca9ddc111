"""Demo orders for `manage.py seed_demo` (its `--orders N`): a full inbox, an
order history and a ledger for a new user to look at.

The first SERVICE_ORDERS orders go through the real services (`order_place`,
`seller_order_transition`), so the demo shows exactly what the site does: parts
in every state (new, accepted, ready for pickup, shipped, delivered, declined,
cancelled by the buyer, cancelled for lateness), with their events, stock
allocations, ledger entries and payment records.

Orders beyond those (`--orders 100000` for the staff reports, 1,000+ parts in
one inbox for the benchmark) are bulk-written by `_seed_orders_bulk`, a few
inserts per 500 orders: the same rows the services write (orders, parts, lines
with their frozen facts, events, ledger entries with the reversals of cancelled
parts, stock allocations of open parts), but no payment records and no shipping
address copy for Oscar's dashboard; every part of them includes the booth with
the most demo products (her inbox is the full one). Delivered history does not
lower today's stock (as if she restocked since).

Deterministic and idempotent: order i carries "demo i" as its buyer's name and
is written once; a re-run adds only the missing ones.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from random import Random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from marketplace.persian import to_latin_digits
from orders.basket.models import Basket
from orders.calendar import add_working_days
from orders.ledger import commission_rate_for, ledger_entries_for_placement
from orders.models import LedgerEntry, Line, Order, SellerOrder, SellerOrderEvent
from orders.services import (
    AddressData,
    BuyerData,
    PartChoice,
    order_place,
    seller_order_transition,
)
from orders.status import order_status_derive
from sellers.models import DeliveryOption, Province, Seller
from sellers.provinces import provinces_ensure

#: Orders placed through the real services; the rest are bulk-written.
SERVICE_ORDERS = 48
BULK_BATCH = 500
#: Bulk orders get numbers far above the ones Oscar's generator gives (100000 +
#: basket id), so the two never meet.
BULK_NUMBER_BASE = 900_000_000

DEMO_NEIGHBOURHOODS = (
    "یوسف‌آباد",
    "تهرانپارس",
    "شهرری",
    "نارمک",
    "سعادت‌آباد",
    "جنت‌آباد",
)
# (the parts' fate, as a list of actions) — one scenario per order, in turn.
SCENARIOS = (
    (),
    ("accept",),
    ("accept", "ready_or_ship"),
    ("accept", "ready_or_ship", "deliver"),
    ("decline",),
    ("cancel",),
    ("expire",),
    ("accept", "ready_or_ship", "deliver"),
)


def _demo_choice(seller: Seller, kind: str) -> PartChoice:
    """Pickup at her centre where she has one; her courier otherwise."""
    if kind == DeliveryOption.Kind.CENTRE_PICKUP and seller.centre_id is None:
        kind = DeliveryOption.Kind.COURIER
    method = "pickup" if kind == DeliveryOption.Kind.CENTRE_PICKUP else "cod"
    return PartChoice(delivery_kind=kind, payment_method=method)


def demo_delivery_setup() -> int:
    """Every booth gets a province (Tehran for the Tehran demo booths) and the
    three delivery options, if it has none yet. Returns booths set up."""
    provinces_ensure()
    tehran = Province.objects.filter(code=Province.TEHRAN_CODE).first()
    if tehran is not None:
        # save(), not a queryset update: a booth's change must reach the caches
        for seller in Seller.objects.filter(province__isnull=True):
            seller.province, seller.city = tehran, "تهران"
            seller.save(update_fields=["province", "city"])
    bare = list(
        Seller.objects.filter(delivery_options__isnull=True).values_list(
            "pk", flat=True
        )
    )
    options = []
    for seller_id in bare:
        rng = Random(seller_id)  # noqa: S311  (deterministic demo data)
        options += [
            DeliveryOption(
                seller_id=seller_id,
                kind=DeliveryOption.Kind.COURIER,
                fee=Decimal(rng.choice((300_000, 400_000, 500_000))),
                free_above=Decimal(rng.choice((5_000_000, 10_000_000))),
            ),
            DeliveryOption(
                seller_id=seller_id, kind=DeliveryOption.Kind.POST, fee=Decimal(700_000)
            ),
            DeliveryOption(
                seller_id=seller_id,
                kind=DeliveryOption.Kind.CENTRE_PICKUP,
                fee=Decimal(0),
            ),
        ]
    DeliveryOption.objects.bulk_create(options, ignore_conflicts=True)
    return len(bare)


def _buyable_stock():
    """Stock records of ready-made, buyable products of approved booths that are
    working, with plenty of stock: what demo orders are made of."""
    from sellers.partner.models import StockRecord

    return (
        StockRecord.objects.filter(
            partner__seller__status=Seller.Status.APPROVED,
            partner__seller__holiday_until__isnull=True,
            product__is_public=True,
            product__is_paused=False,
            product__deleted_at__isnull=True,
            product__moderation_status="approved",
            product__product_class__track_stock=True,
            num_in_stock__gte=5,
        )
        .select_related("product__product_class", "partner__seller")
        .order_by("pk")
    )


def _demo_products(limit: int = 300):
    return list(_buyable_stock()[:limit])


def _featured_records(owner_usernames) -> list[list]:
    """For each booth owned by one of `owner_usernames` (the demo logins
    `seed_demo` prints), its stock records as `_buyable_stock` chooses them."""
    if not owner_usernames:
        return []
    records = (
        _buyable_stock()
        .filter(
            partner__seller__members__role="owner",
            partner__seller__members__user__username__in=list(owner_usernames),
        )
        .distinct()
    )
    by_booth: dict[int, list] = {}
    for record in records:
        by_booth.setdefault(record.partner.seller.pk, []).append(record)
    return [by_booth[seller_id] for seller_id in sorted(by_booth)]


def seed_orders(
    count: int,
    *,
    buyer_username: str,
    featured_owners=(),
    now: dt.datetime | None = None,
) -> int:
    """Place demo orders 0..count-1 that do not exist yet; returns how many were
    placed. The first half belong to the demo buyer (her history); the rest to
    guests. The booths of `featured_owners` (the demo seller logins) take a part
    in every order placed through the services, in turn, so whoever logs in as
    them finds an inbox and a ledger with parts in every state."""
    if count <= 0:
        return 0
    demo_delivery_setup()
    records = _demo_products()
    if not records:
        return 0
    featured = _featured_records(featured_owners)
    user = get_user_model().objects.filter(username=buyer_username).first()
    tehran = Province.objects.get(code=Province.TEHRAN_CODE)
    # Each demo order carries its number in the buyer's name: a re-run skips it.
    done = set(
        Order.objects.filter(buyer_name__startswith="demo ").values_list(
            "buyer_name", flat=True
        )
    )
    placed = 0
    for index in range(min(count, SERVICE_ORDERS)):
        mine = user is not None and index % 2 == 0
        marker = f"demo {index}"
        if marker in done:
            continue
        rng = Random(index)  # noqa: S311  (deterministic demo data)
        booths: dict[int, list] = {}
        featured_seller = None
        if featured:
            own = featured[index % len(featured)]
            record = own[(index // len(featured)) % len(own)]
            featured_seller = record.partner.seller.pk
            booths[featured_seller] = [record]
        chosen = {r.pk for rs in booths.values() for r in rs}
        for record in rng.sample(records, k=min(len(records), 6)):
            if len(booths) >= 1 + index % 3:
                break
            if record.pk in chosen:
                continue
            booths.setdefault(record.partner.seller.pk, []).append(record)
            chosen.add(record.pk)
        with transaction.atomic():
            basket = Basket.objects.create(owner=user if mine else None)
            for seller_records in booths.values():
                for record in seller_records[:2]:
                    basket.lines.create(
                        product=record.product,
                        stockrecord=record,
                        quantity=1,
                        price_currency="IRR",
                        price_excl_tax=record.price,
                        price_incl_tax=record.price,
                        line_reference=f"{record.product_id}_{record.pk}",
                    )
            kind = (
                DeliveryOption.Kind.CENTRE_PICKUP
                if index % 4 == 2
                else DeliveryOption.Kind.COURIER
            )
            order, _ = order_place(
                basket=basket,
                buyer=BuyerData(
                    user=user if mine else None,
                    name=marker,
                    phone=f"+98935{index:07d}"[:13],
                    email="" if mine else f"demo-order-{index}@example.com",
                ),
                address=AddressData(
                    province=tehran,
                    city="تهران",
                    district=1 + index % 22,
                    neighbourhood=DEMO_NEIGHBOURHOODS[index % len(DEMO_NEIGHBOURHOODS)],
                    street=f"خیابان نمونه، پلاک {index % 90 + 1}",
                    postcode=to_latin_digits(f"{1000000000 + index:010d}"),
                    recipient_name="سحر امینی" if mine else "مهمان دستاورد",
                    recipient_phone=f"+98935{index:07d}"[:13],
                ),
                choices={
                    seller_id: _demo_choice(booth_records[0].partner.seller, kind)
                    for seller_id, booth_records in booths.items()
                },
            )
            for part_index, part in enumerate(order.seller_orders.order_by("number")):
                # A featured booth's parts go through the scenarios in turn, so
                # every state shows in her inbox (from the second, so that a
                # pickup order, index 2, is the one made ready).
                turn = (
                    index // len(featured) + 1
                    if part.seller_id == featured_seller
                    else index + part_index
                )
                _play(part, SCENARIOS[turn % len(SCENARIOS)])
        placed += 1
    wanted = [i for i in range(SERVICE_ORDERS, count) if f"demo {i}" not in done]
    for start in range(0, len(wanted), BULK_BATCH):
        placed += _seed_orders_bulk(
            wanted[start : start + BULK_BATCH], records=records, tehran=tehran
        )
    return placed


S = SellerOrder.Status
#: A bulk part's fate, drawn per part: (status, weight). Recent parts may be new.
BULK_FATES = (
    (S.NEW, 10),
    (S.ACCEPTED, 10),
    ("ready_or_ship", 10),
    (S.DELIVERED, 55),
    (S.CANCELLED, 15),
)
BULK_EVENTS = {
    S.NEW: ["placed"],
    S.ACCEPTED: ["placed", "accept"],
    S.READY: ["placed", "accept", "ready"],
    S.SHIPPED: ["placed", "accept", "ship"],
    S.DELIVERED: ["placed", "accept", "ship", "deliver"],
    S.CANCELLED: ["placed", "decline"],
}


#: The history behind the staff reports: orders spread over the last
#: HISTORY_DAYS days, over every booth with products (so over districts,
#: centres and programmes), each written once ("demo-h i").
HISTORY_ORDERS = 960
HISTORY_DAYS = 730
HISTORY_NUMBER_BASE = 800_000_000
HISTORY_MARKER = "demo-h"
#: Parts older than this are over: delivered or cancelled.
HISTORY_SETTLED_DAYS = 14
#: Who cancelled a history part, and why (a decline's reason).
HISTORY_CANCELLATIONS = (
    ("seller", "مواد اولیه تمام شده است"),
    ("seller", "سفارش‌های این هفته بیش از ظرفیت است"),
    ("buyer", ""),
    ("system", ""),
)


def seed_order_history(
    count: int = HISTORY_ORDERS, *, now: dt.datetime | None = None
) -> int:
    """Orders 0..count-1 of the history, each on its own day and hour over the
    last HISTORY_DAYS days (a Nowruz and a Yalda bump come from the days
    themselves: busier in the last weeks of Esfand and of Azar), over every
    booth; the missing ones only. Returns how many were written."""
    if count <= 0:
        return 0
    demo_delivery_setup()
    records = _demo_products()
    if not records:
        return 0
    tehran = Province.objects.get(code=Province.TEHRAN_CODE)
    done = set(
        Order.objects.filter(buyer_name__startswith=f"{HISTORY_MARKER} ").values_list(
            "buyer_name", flat=True
        )
    )
    now = now or timezone.now()

    def created_of(index: int) -> dt.datetime:
        # Evenly over the days, newest first, at a working hour.
        days = HISTORY_DAYS * (index + 0.5) / count
        return now - dt.timedelta(days=days, minutes=(index * 37) % 600)

    wanted = [i for i in range(count) if f"{HISTORY_MARKER} {i}" not in done]
    written = 0
    for start in range(0, len(wanted), BULK_BATCH):
        written += _seed_orders_bulk(
            wanted[start : start + BULK_BATCH],
            records=records,
            tehran=tehran,
            created_of=created_of,
            marker=HISTORY_MARKER,
            number_base=HISTORY_NUMBER_BASE,
            anchored=False,
        )
    return written


CANCEL_ACTIONS = {"seller": "decline", "buyer": "cancel", "system": "expire"}


def _seed_orders_bulk(
    indexes: list[int],
    *,
    records,
    tehran,
    created_of=None,
    marker: str = "demo",
    number_base: int = BULK_NUMBER_BASE,
    anchored: bool = True,
) -> int:
    """Write demo orders `indexes` in one transaction and a few inserts (see the
    module's docstring for what they hold). Returns how many were written.
    `created_of(index)`: when order `index` was placed (by default 7 minutes
    apart, newest first); `anchored`: every order includes the booth with the
    most products (the benchmark's full inbox), else one to three booths drawn
    from all."""
    if not indexes:
        return 0
    by_booth: dict[int, list] = {}
    for record in records:
        by_booth.setdefault(record.partner.seller.pk, []).append(record)
    anchor = max(by_booth, key=lambda pk: (len(by_booth[pk]), -pk))
    others = sorted(pk for pk in by_booth if pk != anchor)
    sellers = {
        s.pk: s
        for s in Seller.objects.filter(pk__in=by_booth).select_related(
            "province", "district", "centre", "programme"
        )
    }
    options = {
        (o.seller_id, o.kind): o
        for o in DeliveryOption.objects.filter(seller_id__in=by_booth, is_active=True)
    }
    now = timezone.now()
    fates = [fate for fate, _ in BULK_FATES]
    weights = [weight for _, weight in BULK_FATES]
    available = {r.pk: (r.num_in_stock or 0) - (r.num_allocated or 0) for r in records}
    allocate: dict[int, int] = {}
    orders, parts, lines_of = [], [], {}
    with transaction.atomic():
        for index in indexes:
            rng = Random(index)  # noqa: S311  (deterministic demo data)
            if created_of is None:
                created = now - dt.timedelta(minutes=7 * (index - SERVICE_ORDERS) + 1)
            else:
                created = created_of(index)
            if anchored:
                booths = [anchor] + rng.sample(others, k=min(len(others), index % 3))
            else:
                everyone = [anchor, *others]
                booths = rng.sample(everyone, k=min(len(everyone), 1 + index % 3))
            order = Order(
                number=str(number_base + index),
                site_id=getattr(settings, "SITE_ID", None),
                currency="IRR",
                shipping_method="ارسال جداگانهٔ هر غرفه",
                shipping_code="per-booth",
                guest_email=f"demo-order-{index}@example.com",
                date_placed=created,
                buyer_name=f"{marker} {index}",
                buyer_phone=f"+98936{index:07d}"[:13],
                ship_province=tehran,
                ship_city="تهران",
                ship_district=1 + index % 22,
                ship_neighbourhood=DEMO_NEIGHBOURHOODS[
                    index % len(DEMO_NEIGHBOURHOODS)
                ],
                ship_street=f"خیابان نمونه، پلاک {index % 90 + 1}",
                ship_postcode=f"{1000000000 + index:010d}",
                recipient_name="مهمان دستاورد",
                recipient_phone=f"+98936{index:07d}"[:13],
                total_incl_tax=0,
                total_excl_tax=0,
                shipping_incl_tax=0,
                shipping_excl_tax=0,
            )
            orders.append(order)
            for n, seller_id in enumerate(booths, start=1):
                seller = sellers[seller_id]
                record = rng.choice(by_booth[seller_id])
                fate = rng.choices(fates, weights)[0]
                pickup = seller.centre_id is not None and index % 4 == 2
                kind = DeliveryOption.Kind.CENTRE_PICKUP if pickup else "courier"
                if fate == "ready_or_ship":
                    fate = S.READY if pickup else S.SHIPPED
                if fate == S.NEW and now - created > dt.timedelta(hours=24):
                    fate = S.DELIVERED  # only recent parts still wait
                settled = now - created > dt.timedelta(days=HISTORY_SETTLED_DAYS)
                if created_of is not None and settled and fate != S.CANCELLED:
                    fate = S.DELIVERED  # history: long over
                cancelled_by, reason = "seller", "مواد اولیه تمام شده است"
                if created_of is not None and fate == S.CANCELLED:
                    cancelled_by, reason = rng.choice(HISTORY_CANCELLATIONS)
                is_open = fate not in (S.DELIVERED, S.CANCELLED)
                if is_open and available[record.pk] < 1:
                    fate, is_open = S.DELIVERED, False
                if is_open:
                    available[record.pk] -= 1
                    allocate[record.pk] = allocate.get(record.pk, 0) + 1
                option = options.get((seller_id, kind))
                fee = option.fee if option is not None else 0
                if kind == "courier" and option and option.free_above:
                    fee = 0 if record.price >= option.free_above else fee
                parts.append(
                    SellerOrder(
                        order=order,
                        seller=seller,
                        number=f"{order.number}-{n}",
                        status=fate,
                        delivery_kind=kind,
                        delivery_label=DeliveryOption.Kind(kind).label,
                        delivery_fee=fee,
                        subtotal=record.price,
                        payment_method="pickup" if pickup else "cod",
                        seller_holds_cash=True,
                        pickup_address=(seller.centre.address or seller.centre.name)
                        if pickup
                        else "",
                        decline_reason=reason if fate == S.CANCELLED else "",
                        cancelled_by=cancelled_by if fate == S.CANCELLED else "",
                        tracking_code=f"DEMO{index:07d}" if fate == S.SHIPPED else "",
                        expected_ready_on=add_working_days(created.date(), 2),
                        preparation_days=2,
                        accept_deadline=created
                        + dt.timedelta(hours=settings.ORDER_ACCEPT_HOURS),
                        created_at=created,
                        accepted_at=created + dt.timedelta(hours=2)
                        if fate not in (S.NEW, S.CANCELLED)
                        else None,
                        fulfilled_at=created + dt.timedelta(days=1)
                        if fate in (S.READY, S.SHIPPED, S.DELIVERED)
                        else None,
                        delivered_at=created + dt.timedelta(days=2)
                        if fate == S.DELIVERED
                        else None,
                        cancelled_at=created + dt.timedelta(hours=3)
                        if fate == S.CANCELLED
                        else None,
                    )
                )
                lines_of[id(parts[-1])] = (record, is_open)
            mine = parts[-len(booths) :]
            fees = sum((p.delivery_fee for p in mine), Decimal(0))
            order.total_incl_tax = order.total_excl_tax = sum(
                (p.total for p in mine), Decimal(0)
            )
            order.shipping_incl_tax = order.shipping_excl_tax = fees
            order.status = order_status_derive(p.status for p in mine)
        Order.objects.bulk_create(orders)
        for part in parts:
            # Assigning the saved order sets order_id and keeps it cached
            # (setting order_id alone drops the cache: a query a part later).
            part.order = part.order
        SellerOrder.objects.bulk_create(parts)
        lines, events, entries = [], [], []
        for part in parts:
            record, is_open = lines_of[id(part)]
            line = Line.for_sale(
                order=part.order,
                seller_order=part,
                seller=part.seller,
                record=record,
                product=record.product,
                quantity=1,
                made_to_order=False,
                commission_rate=commission_rate_for(part.seller),
                allocated=is_open,
            )
            lines.append(line)
            actions = BULK_EVENTS[part.status]
            if part.status == S.CANCELLED:
                actions = ["placed", CANCEL_ACTIONS[part.cancelled_by]]
            for step, action in enumerate(actions):
                events.append(
                    SellerOrderEvent(
                        seller_order=part,
                        action=action,
                        to_status=part.status if action != "placed" else S.NEW,
                        created_at=part.created_at + dt.timedelta(hours=step),
                    )
                )
            entries += [
                (part, entry) for entry in ledger_entries_for_placement(part, [line])
            ]
        Line.objects.bulk_create(lines)
        SellerOrderEvent.objects.bulk_create(events)
        for part, entry in entries:
            entry.created_at = part.created_at
        LedgerEntry.objects.bulk_create([entry for _, entry in entries])
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(
                    seller_id=entry.seller_id,
                    seller_order=part,
                    kind=LedgerEntry.Kind.REVERSAL,
                    gross=-entry.gross,
                    amount=-entry.amount,
                    cash_held_by_seller=entry.cash_held_by_seller,
                    reverses=entry,
                    note=entry.get_kind_display(),
                    created_at=part.cancelled_at,
                )
                for part, entry in entries
                if part.status == S.CANCELLED
            ]
        )
        from sellers.partner.models import StockRecord

        for record_id, units in sorted(allocate.items()):
            StockRecord.objects.filter(pk=record_id).update(
                num_allocated=Coalesce(F("num_allocated"), Value(0)) + units
            )
    return len(orders)


def _play(part: SellerOrder, actions) -> None:
    for action in actions:
        if action == "ready_or_ship":
            action = "ready" if part.is_pickup else "ship"
        if action == "expire":
            SellerOrder.objects.filter(pk=part.pk).update(
                accept_deadline=timezone.now() - dt.timedelta(minutes=1)
            )
        party = {"cancel": "buyer", "expire": "system"}.get(action, "seller")
        part = seller_order_transition(
            seller_order=part,
            action=action,
            party=party,
            note="مواد اولیه تمام شده است" if action == "decline" else "",
            tracking_code=f"DEMO{part.pk:06d}" if action == "ship" else "",
        )
