"""Demo orders for `manage.py seed_demo` (its `--orders N`): a full inbox, an
order history and a ledger for a new user to look at.

Orders go through the real services (`order_place`, `seller_order_transition`),
so the demo shows exactly what the site does: parts in every state (new,
accepted, ready for pickup, shipped, delivered, declined, cancelled by the
buyer, cancelled for lateness), with their events, stock allocations, ledger
entries and payment records. Deterministic and idempotent: order i is placed
from basket "demo-order-i" once; a re-run adds only the missing ones.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from random import Random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from marketplace.persian import to_latin_digits
from sellers.models import DeliveryOption, Province, Seller
from sellers.provinces import provinces_ensure

from .basket.models import Basket
from .models import Order, SellerOrder
from .services import (
    AddressData,
    BuyerData,
    PartChoice,
    order_place,
    seller_order_transition,
)

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


def _demo_products(limit: int = 300):
    """Ready-made, buyable products of approved booths, with plenty of stock."""
    from sellers.partner.models import StockRecord

    return list(
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
        .order_by("pk")[:limit]
    )


def seed_orders(
    count: int, *, buyer_username: str, now: dt.datetime | None = None
) -> int:
    """Place demo orders 0..count-1 that do not exist yet; returns how many were
    placed. The first half belong to the demo buyer (her history); the rest to
    guests."""
    if count <= 0:
        return 0
    demo_delivery_setup()
    records = _demo_products()
    if not records:
        return 0
    user = get_user_model().objects.filter(username=buyer_username).first()
    tehran = Province.objects.get(code=Province.TEHRAN_CODE)
    # Each demo order carries its number in the buyer's name: a re-run skips it.
    done = set(
        Order.objects.filter(buyer_name__startswith="demo ").values_list(
            "buyer_name", flat=True
        )
    )
    placed = 0
    for index in range(count):
        mine = user is not None and index % 2 == 0
        marker = f"demo {index}"
        if marker in done:
            continue
        rng = Random(index)  # noqa: S311  (deterministic demo data)
        booths: dict[int, list] = {}
        for record in rng.sample(records, k=min(len(records), 6)):
            booths.setdefault(record.partner.seller.pk, []).append(record)
            if len(booths) == 1 + index % 3:
                break
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
                _play(part, SCENARIOS[(index + part_index) % len(SCENARIOS)])
        placed += 1
    return placed


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
