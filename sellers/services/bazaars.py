"""Bazaar operations on the sellers' side: the bazaar itself (staff), booths at
numbered stalls (staff), stock a booth sets aside for her stall, and the QR
poster's visit counter. Stall sales, which write her ledger, are
`orders.stalls.stall_sale_record`.

Rules:
- Only approved booths get a stall; one stall per booth per bazaar, one booth
  per stall number. A past bazaar is not changed.
- Set-aside units are held from the moment she sets them aside until the
  bazaar's last day (`Bazaar.phase`): online they are not for sale
  (`StockRecord.net_stock_level`), and the day after the bazaar they are back
  with no job to run. She cannot set aside more than she could sell online.
- Every change of set-aside units, and every stall sale, happens under the
  stock record's row lock: the lock `orders.services.order_place` takes, in the
  same (primary-key) order, so a unit is never both set aside and sold online.
- Visits through the poster's QR code are one counter per stall and day, bumped
  with an UPDATE … SET visits = visits + 1; nothing about the visitor is kept.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from marketplace.persian import to_latin_digits, to_persian_digits
from marketplace.text import plain_text

from .. import audit, permissions
from ..models import Bazaar, BazaarSetAside, BazaarStall, BazaarVisitDay, Seller
from ..partner.models import StockRecord
from ..selectors import bazaar_pickups_invalidate

NOT_APPROVED = "فقط غرفه‌های تأییدشده می‌توانند در بازارچه جایگاه بگیرند."
BAZAAR_PAST = "این بازارچه برگزار شده است و دیگر تغییر نمی‌کند."
STALL_TAKEN = "جایگاه شمارهٔ {n} را غرفهٔ دیگری گرفته است."
MADE_TO_ORDER = (
    "«{title}» سفارشی است و موجودی ندارد؛ فروش آن در بازارچه ظرفیت هفتگی را می‌گیرد."
)
TOO_MANY = "از «{title}» فقط {n} عدد می‌توانید کنار بگذارید (بقیه سفارش داده شده یا برای بازارچهٔ دیگری کنار گذاشته شده است)."
NOT_HER_PRODUCT = "این محصول از غرفهٔ شما نیست."


def _require_staff(actor: User) -> None:
    if not permissions.can_run_bazaars(actor):
        raise PermissionDenied


def bazaar_save(
    *,
    actor: User,
    bazaar: Bazaar | None = None,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    place: str,
    opening_hours: str = "",
    district=None,
    map_url: str = "",
) -> Bazaar:
    """Create a bazaar or change one (staff with `sellers.change_bazaar`). Its
    name, like every public word about it, names the work, never the women's
    circumstances (the dignity rule; staff are trusted to follow it)."""
    _require_staff(actor)
    name = plain_text(name, multiline=False)
    place = plain_text(place, multiline=False)
    errors = {}
    if not name:
        errors["name"] = "نام بازارچه را بنویسید."
    if not place:
        errors["place"] = "مکان بازارچه را بنویسید."
    if ends_on < starts_on:
        errors["ends_on"] = "روز پایان نباید پیش از روز آغاز باشد."
    if errors:
        raise ValidationError(errors)
    bazaar = bazaar or Bazaar()
    bazaar.name = name[:200]
    bazaar.starts_on = starts_on
    bazaar.ends_on = ends_on
    bazaar.place = place[:255]
    bazaar.opening_hours = plain_text(opening_hours, multiline=False)[:100]
    bazaar.district = district
    bazaar.map_url = map_url
    bazaar.full_clean()
    with transaction.atomic():
        bazaar.save()
        transaction.on_commit(bazaar_pickups_invalidate)
    return bazaar


def stall_number_clean(value: str) -> str:
    """Stall numbers as staff type them (Persian or Latin digits), kept in
    Latin digits so they sort and compare as one."""
    number = to_latin_digits(plain_text(value or "", multiline=False)).strip()
    if not number:
        raise ValidationError({"stall_number": "شمارهٔ جایگاه را بنویسید."})
    if len(number) > 12:
        raise ValidationError({"stall_number": "شمارهٔ جایگاه حداکثر ۱۲ نویسه باشد."})
    return number


@audit.workflow
def bazaar_stall_assign(
    *, bazaar: Bazaar, seller: Seller, stall_number: str, actor: User
) -> BazaarStall:
    """Give an approved booth a numbered stall at a bazaar that is not past (or
    move her to another number). Staff only; audited on her file."""
    _require_staff(actor)
    number = stall_number_clean(stall_number)
    if bazaar.phase() == Bazaar.Phase.PAST:
        raise ValidationError(BAZAAR_PAST)
    seller = Seller.objects.select_for_update().get(pk=seller.pk)
    if seller.status != Seller.Status.APPROVED:
        raise ValidationError(NOT_APPROVED)
    taken = (
        BazaarStall.objects.filter(bazaar=bazaar, stall_number=number)
        .exclude(seller=seller)
        .exists()
    )
    if taken:
        raise ValidationError(
            {"stall_number": STALL_TAKEN.format(n=to_persian_digits(number))}
        )
    stall = BazaarStall.objects.filter(bazaar=bazaar, seller=seller).first()
    if stall is None:
        stall = BazaarStall(bazaar=bazaar, seller=seller)
    stall.stall_number = number
    try:
        with transaction.atomic():
            stall.save()
    except IntegrityError as error:  # the same number taken meanwhile
        raise ValidationError(
            {"stall_number": STALL_TAKEN.format(n=to_persian_digits(number))}
        ) from error
    audit.record(
        seller=seller,
        actor=actor,
        action="bazaar_stall_assign",
        reason=f"{bazaar.name}، جایگاه {to_persian_digits(number)}",
    )
    transaction.on_commit(bazaar_pickups_invalidate)
    return stall


@audit.workflow
def bazaar_stall_remove(*, stall: BazaarStall, actor: User) -> None:
    """Take a booth out of a bazaar that is not past, before she has sold there.
    What she set aside for it goes back online. Staff only; audited."""
    _require_staff(actor)
    bazaar = stall.bazaar
    if bazaar.phase() == Bazaar.Phase.PAST:
        raise ValidationError(BAZAAR_PAST)
    if stall.sales.exists():
        raise ValidationError("برای این جایگاه فروش ثبت شده است؛ نمی‌توان آن را برداشت.")
    record_ids = list(stall.set_asides.values_list("stockrecord_id", flat=True))
    records = list(
        StockRecord.objects.select_for_update().filter(pk__in=record_ids).order_by("pk")
    )
    stall_id, number = stall.pk, stall.stall_number
    stall.delete()
    for record in records:
        stock_set_aside_refresh(record)
    audit.record(
        seller=stall.seller,
        actor=actor,
        action="bazaar_stall_remove",
        reason=f"{bazaar.name}، جایگاه {to_persian_digits(number)} ({stall_id})",
    )
    transaction.on_commit(bazaar_pickups_invalidate)


def stock_set_aside_refresh(record: StockRecord, *, today: dt.date | None = None):
    """Write on the (locked) stock record the units held for bazaars that are
    not past, and the last day they are held. Callers hold the row lock."""
    today = today or timezone.localdate()
    held = BazaarSetAside.objects.filter(
        stockrecord=record,
        units__gt=0,
        stall__bazaar__in=Bazaar.objects.not_past(today),
    ).aggregate(units=Sum("units"), until=Max("stall__bazaar__ends_on"))
    record.num_set_aside = held["units"] or 0
    record.set_aside_until = held["until"]
    record.save(update_fields=["num_set_aside", "set_aside_until"])
    return record


def stockrecord_lock(*, seller: Seller, stockrecord_id: int) -> StockRecord:
    """Her stock record, locked (another booth's: a Persian error)."""
    record = (
        StockRecord.objects.select_for_update(of=("self",))
        .select_related("product__product_class")
        .filter(pk=stockrecord_id, partner_id=seller.partner_id)
        .first()
    )
    if record is None:
        raise ValidationError(NOT_HER_PRODUCT)
    return record


@audit.workflow
def bazaar_set_aside(
    *, stall: BazaarStall, stockrecord_id: int, units: int, actor: User
) -> BazaarSetAside:
    """Hold `units` of one of her ready-made products for her stall (the new
    total for this product; 0 gives them all back). A member of the booth or
    bazaar staff; not for a past bazaar; no more than she could sell online now.
    Under the stock record's row lock; audited."""
    seller = stall.seller
    if not permissions.can_work_stall(actor, seller.pk):
        raise PermissionDenied
    if stall.bazaar.phase() == Bazaar.Phase.PAST:
        raise ValidationError(BAZAAR_PAST)
    if units < 0 or units > 100_000:
        raise ValidationError({"units": "تعداد را درست بنویسید."})
    record = stockrecord_lock(seller=seller, stockrecord_id=stockrecord_id)
    product = record.product
    title = product.get_title()
    if not product.get_product_class().track_stock:
        raise ValidationError(MADE_TO_ORDER.format(title=title))
    record = stock_set_aside_refresh(record)
    row, _ = BazaarSetAside.objects.get_or_create(stall=stall, stockrecord=record)
    # What she could have for this stall: what is free online plus what this
    # stall already holds.
    can_hold = max(0, record.net_stock_level) + row.units
    if units > can_hold:
        raise ValidationError(
            {"units": TOO_MANY.format(title=title, n=to_persian_digits(can_hold))}
        )
    before = row.units
    row.units = units
    row.save(update_fields=["units", "updated_at"])
    stock_set_aside_refresh(record)
    audit.record(
        seller=seller,
        actor=actor,
        action="bazaar_set_aside",
        reason=(
            f"{stall.bazaar.name}: «{title}» "
            f"{to_persian_digits(before)} → {to_persian_digits(units)}"
        ),
    )
    return row


def bazaar_visit_count(*, stall_id: int, day: dt.date | None = None) -> None:
    """One more visit through the stall's poster today. A single UPDATE with
    F() (no read-modify-write race); the day's row is created on first visit."""
    day = day or timezone.localdate()
    counter = BazaarVisitDay.objects.filter(stall_id=stall_id, day=day)
    if counter.update(visits=F("visits") + 1):
        return
    try:
        with transaction.atomic():
            BazaarVisitDay.objects.create(stall_id=stall_id, day=day, visits=1)
    except IntegrityError:  # another visit created it first
        counter.update(visits=F("visits") + 1)


def stall_poster(*, stall: BazaarStall, qr_url: str) -> dict:
    """What the printed poster shows: her brand, the bazaar, the stall number and
    the QR code of `qr_url` (the counted short link to her booth)."""
    return {
        "stall": stall,
        "bazaar": stall.bazaar,
        "seller": stall.seller,
        "qr_url": qr_url,
        "qr_data_uri": stall_poster_qr(url=qr_url),
    }


def stall_poster_qr(*, url: str) -> str:
    """The poster's QR code (segno) for `url`, as a PNG data URI: error level M
    and a wide quiet zone, so a phone reads it from a printed A4 at arm's length."""
    import segno

    return segno.make(url, error="m").png_data_uri(scale=12, border=4)


def stall_campaign_url(*, stall: BazaarStall, booth_url: str) -> str:
    """Her booth's URL tagged with the bazaar's campaign (no personal data)."""
    from urllib.parse import urlencode

    tags = {
        "utm_source": "bazaar",
        "utm_medium": "qr-poster",
        "utm_campaign": f"bazaar-{stall.bazaar_id}",
    }
    return f"{booth_url}?{urlencode(tags)}"
