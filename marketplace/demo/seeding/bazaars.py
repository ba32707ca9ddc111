"""Demo bazaars for `seed_demo`: one running and two coming, in Tehran
districts, with approved booths at numbered stalls, stock set aside for the
running one and a few stall sales, all through the real services (so the
ledger, the stock records and the audit trail are as they would be).

`marketplace/demo/seeding/pages.py` (the cms pages) reads `DEMO_BAZAARS` from
here, so each bazaar gets its page. Dignity: the names say what the women
made and where, nothing of their circumstances. Idempotent: a bazaar that
already has stalls is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jdatetime
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orders.stalls import stall_sale_record
from sellers import services
from sellers.models import Bazaar, District, Seller, SellerMember
from sellers.partner.models import StockRecord
from sellers.selectors import bazaar_pickups_invalidate


@dataclass(frozen=True)
class BazaarPlan:
    name: str
    place: str
    district: int
    opening_hours: str
    #: First and last day, in days from the day of seeding.
    starts_in: int
    ends_in: int
    stalls: int
    #: Where it is on OpenStreetMap (the bazaar page links it).
    map_url: str = ""
    #: A Nowruz bazaar is held in the last days of Esfand, before the new year:
    #: the next such days from the day of seeding (its name says so), lasting
    #: `ends_in - starts_in + 1` days.
    nowruz: bool = False


def _osm(lat: float, lon: float) -> str:
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


DEMO_BAZAARS = (
    BazaarPlan(
        "بازارچه دستاوردهای زنان شهر تهران – بوستان گفتگو",
        "بوستان گفتگو، ورودی خیابان سعادت‌آباد",
        2,
        "۱۰ تا ۲۰",
        -1,
        2,
        6,
        map_url=_osm(35.7806, 51.3703),
    ),
    BazaarPlan(
        "بازارچه دستاوردهای زنان شهر تهران – فرهنگسرای بهمن",
        "فرهنگسرای بهمن، میدان بهمن",
        16,
        "۹ تا ۱۸",
        12,
        15,
        4,
        map_url=_osm(35.6527, 51.4095),
    ),
    BazaarPlan(
        "بازارچه نوروزی دستاوردهای زنان شهر تهران – بوستان آب و آتش",
        "بوستان آب و آتش، بزرگراه شهید چمران",
        3,
        "۱۶ تا ۲۳",
        0,
        6,
        4,
        map_url=_osm(35.7585, 51.4139),
        nowruz=True,
    ),
)

#: The first day of the Nowruz bazaar: 20 Esfand, a week before the new year.
NOWRUZ_BAZAAR_START = (12, 20)


def bazaar_plan_dates(plan: BazaarPlan, today: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of a demo bazaar seeded on `today`: relative to
    today, or, for the Nowruz bazaar, the next 20 Esfand on."""
    if not plan.nowruz:
        return (
            today + dt.timedelta(days=plan.starts_in),
            today + dt.timedelta(days=plan.ends_in),
        )
    year = jdatetime.date.fromgregorian(date=today).year
    start = jdatetime.date(year, *NOWRUZ_BAZAAR_START).togregorian()
    if start < today:
        start = jdatetime.date(year + 1, *NOWRUZ_BAZAAR_START).togregorian()
    return start, start + dt.timedelta(days=plan.ends_in - plan.starts_in)


def bazaar_plan_fields(plan: BazaarPlan, today: dt.date) -> dict:
    """What a demo bazaar is created with (this module and the cms pages)."""
    starts_on, ends_on = bazaar_plan_dates(plan, today)
    return {
        "place": plan.place,
        "district": District.objects.filter(number=plan.district).first(),
        "opening_hours": plan.opening_hours,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "map_url": plan.map_url,
    }


def seed_bazaars(*, staff_username: str, today: dt.date | None = None) -> dict:
    """The demo bazaars with stalls, set-aside stock and stall sales; returns
    what was made."""
    today = today or timezone.localdate()
    staff = get_user_model().objects.get(username=staff_username)
    booths = list(
        Seller.objects.filter(status=Seller.Status.APPROVED).order_by("pk")[:8]
    )
    made = {"bazaars": 0, "stalls": 0, "set_asides": 0, "stall_sales": 0}
    for plan in DEMO_BAZAARS:
        bazaar, created = Bazaar.objects.get_or_create(
            name=plan.name, defaults=bazaar_plan_fields(plan, today)
        )
        made["bazaars"] += created
        if not bazaar.map_url and plan.map_url:
            # Seeded before demo bazaars had their map link.
            bazaar.map_url = plan.map_url
            bazaar.save(update_fields=["map_url"])
        if bazaar.stalls.exists() or bazaar.phase(today) == Bazaar.Phase.PAST:
            continue
        offset = DEMO_BAZAARS.index(plan) * 2  # a few booths in two bazaars
        chosen = (booths[offset:] + booths[:offset])[: plan.stalls]
        for number, seller in enumerate(chosen, start=1):
            stall = services.bazaar_stall_assign(
                bazaar=bazaar, seller=seller, stall_number=str(number), actor=staff
            )
            made["stalls"] += 1
            owner = _owner(seller)
            if owner is None:
                continue
            ready = _ready_made_records(seller)
            # Units are held from now to the bazaar: not for months ahead.
            soon = bazaar.starts_on <= today + dt.timedelta(days=31)
            for record in ready[:2] if soon else ():
                if record.net_stock_level >= 4:
                    services.bazaar_set_aside(
                        stall=stall, stockrecord_id=record.pk, units=2, actor=owner
                    )
                    made["set_asides"] += 1
            if bazaar.is_running(today) and number <= 3:
                made["stall_sales"] += _sell(stall, owner, ready)
    transaction.on_commit(bazaar_pickups_invalidate)
    bazaar_pickups_invalidate()
    return made


def _owner(seller: Seller):
    member = (
        SellerMember.objects.filter(seller=seller, role=SellerMember.Role.OWNER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return member.user if member else None


def _ready_made_records(seller: Seller) -> list[StockRecord]:
    return list(
        StockRecord.objects.filter(
            partner_id=seller.partner_id,
            product__product_class__track_stock=True,
            product__is_public=True,
            product__deleted_at__isnull=True,
        )
        .select_related("product")
        .order_by("pk")[:3]
    )


def _sell(stall, owner, records) -> int:
    """One or two sales at her stall: the first from what she set aside."""
    sold = 0
    for record, quantity in zip(records[:2], (1, 2), strict=False):
        try:
            stall_sale_record(
                stall=stall, stockrecord_id=record.pk, quantity=quantity, actor=owner
            )
        except ValidationError:
            continue  # sold out in the demo data: nothing to sell here
        sold += 1
    return sold
