"""Two years behind the staff reports, for `seed_demo`: past bazaars (one a
season) with stalls, stall sales (and their ledger entries) and QR visits,
written in bulk; the orders of those two years are `marketplace.demo.orders.
seed_order_history`. Deterministic and idempotent: a past bazaar that exists
(by name) is left as it is. Names say what and where, nothing of anyone's
circumstances (the dignity rule)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from random import Random

from django.db import transaction
from django.utils import timezone

from marketplace.persian import JALALI_MONTHS, to_jalali, to_persian_digits
from orders.ledger import commission_rate_for
from orders.models import LedgerEntry, StallSale
from sellers.models import Bazaar, BazaarStall, BazaarVisitDay, District, Seller
from sellers.partner.models import StockRecord

#: Past bazaars: one every SEASON_DAYS, the newest this many days back.
PAST_BAZAARS = 8
SEASON_DAYS = 91
FIRST_BACK_DAYS = 40
STALLS = 6
PLACES = (
    ("بوستان گفتگو", 2),
    ("فرهنگسرای بهمن", 16),
    ("بوستان ولایت", 19),
    ("فرهنگسرای نیاوران", 1),
)


def seed_bazaar_history(*, today: dt.date | None = None) -> dict:
    """The past bazaars that do not exist yet; returns what was made."""
    today = today or timezone.localdate()
    booths = list(
        Seller.objects.filter(status=Seller.Status.APPROVED)
        .select_related("province", "district", "centre", "programme")
        .order_by("pk")
    )
    records: dict[int, list[StockRecord]] = {}
    for record in StockRecord.objects.filter(
        partner__seller__in=booths, price__gt=0
    ).select_related("product"):
        records.setdefault(record.partner.seller.pk, []).append(record)
    booths = [booth for booth in booths if booth.pk in records]
    made = {"bazaars": 0, "stalls": 0, "stall_sales": 0, "visit_days": 0}
    if not booths:
        return made
    districts = {d.number: d for d in District.objects.all()}
    for k in range(PAST_BAZAARS):
        starts = today - dt.timedelta(days=FIRST_BACK_DAYS + SEASON_DAYS * k)
        place, district = PLACES[k % len(PLACES)]
        jstart = to_jalali(starts)
        name = (
            f"بازارچه دستاوردهای زنان شهر تهران – {place} "
            f"({JALALI_MONTHS[jstart.month - 1]} {to_persian_digits(jstart.year)})"
        )
        if Bazaar.objects.filter(name=name).exists():
            continue
        made["bazaars"] += 1
        with transaction.atomic():
            made_here = _bazaar(
                Random(k),  # noqa: S311  (deterministic demo data)
                name=name,
                place=place,
                district=districts.get(district),
                starts=starts,
                booths=[booths[(k * 2 + i) % len(booths)] for i in range(STALLS)],
                records=records,
            )
        for key, value in made_here.items():
            made[key] += value
    return made


def _bazaar(rng, *, name, place, district, starts, booths, records) -> dict:
    bazaar = Bazaar.objects.create(
        name=name,
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=2),
        opening_hours="۱۰ تا ۲۰",
        place=f"{place}، تهران",
        district=district,
    )
    # One save per stall (a handful a bazaar): stalls feed cached booth and
    # bazaar pages, and a bulk insert would pass their signals by.
    stalls = [
        BazaarStall.objects.create(
            bazaar=bazaar, seller=booth, stall_number=str(number)
        )
        for number, booth in enumerate(dict.fromkeys(booths), start=1)
    ]
    sales, visits = [], []
    for stall in stalls:
        booth = stall.seller
        for day in range(3):
            visits.append(
                BazaarVisitDay(
                    stall=stall,
                    day=starts + dt.timedelta(days=day),
                    visits=rng.randint(3, 40),
                )
            )
            for _ in range(rng.randint(0, 3)):
                record = rng.choice(records[booth.pk])
                quantity = rng.randint(1, 2)
                at = timezone.make_aware(
                    dt.datetime.combine(
                        starts + dt.timedelta(days=day), dt.time(11 + rng.randint(0, 8))
                    )
                )
                sales.append(
                    StallSale(
                        stall=stall,
                        seller=booth,
                        product=record.product,
                        stockrecord=record,
                        title=record.product.title[:255],
                        quantity=quantity,
                        unit_price=record.price,
                        total=record.price * quantity,
                        commission_rate=commission_rate_for(booth),
                        by_staff=True,
                        created_at=at,
                        **StallSale.booth_facts(booth),
                    )
                )
    BazaarVisitDay.objects.bulk_create(visits)
    StallSale.objects.bulk_create(sales)
    entries = []
    for sale in sales:
        commission = (sale.total * sale.commission_rate).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        common = {
            "seller_id": sale.seller_id,
            "stall_sale": sale,
            "cash_held_by_seller": True,
            "note": f"{name}، جایگاه {to_persian_digits(sale.stall.stall_number)}"[
                :255
            ],
            "created_at": sale.created_at,
        }
        entries += [
            LedgerEntry(
                kind=LedgerEntry.Kind.SALE, gross=sale.total, amount=0, **common
            ),
            LedgerEntry(
                kind=LedgerEntry.Kind.COMMISSION,
                gross=commission,
                amount=-commission,
                **common,
            ),
        ]
    LedgerEntry.objects.bulk_create(entries)
    return {"stalls": len(stalls), "stall_sales": len(sales), "visit_days": len(visits)}
