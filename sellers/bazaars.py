"""Bazaar helpers of the sellers domain that change no seller (so they are not
audited workflows): a bazaar's dates and place (staff), stall numbers as typed,
the set-aside units written on a locked stock record, the poster (segno QR
code, campaign link) and its visit counter. The seller workflows (stalls,
set-aside stock) are `sellers.services.bazaars`; stall sales `orders.stalls`.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from marketplace.persian import to_latin_digits
from marketplace.text import plain_text

from . import permissions
from .models import Bazaar, BazaarSetAside, BazaarStall, BazaarVisitDay, Seller
from .partner.models import StockRecord
from .selectors import bazaar_pickups_invalidate

NOT_HER_PRODUCT = "این محصول از غرفهٔ شما نیست."


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
    if not permissions.can_run_bazaars(actor):
        raise PermissionDenied
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


def _seconds_to_midnight(now: dt.datetime) -> int:
    """Seconds from `now` to the next local (Tehran) midnight, at least one."""
    local = timezone.localtime(now)
    midnight = dt.datetime.combine(
        local.date() + dt.timedelta(days=1), dt.time.min, tzinfo=local.tzinfo
    )
    return max(1, int((midnight - local).total_seconds()))


def bazaar_visit_count(
    *, stall: BazaarStall, client: str, user_agent: str, now: dt.datetime | None = None
) -> bool:
    """Count a scan of the stall's poster: one visit per visitor (her client
    address, `ip.client_key`, and browser) per stall per Tehran day, and none
    before the bazaar's first day. Returns whether it counted.

    The database keeps only the counter per stall and day. Who was counted is a
    cache key, a keyed hash (HMAC with the secret key) of address, browser, stall
    and day, expiring at Tehran midnight; nothing readable about the visitor is
    stored anywhere. A cache that is down counts every scan (a visit too many,
    never a visit lost). A single UPDATE with F() (no read-modify-write race);
    the day's row is created on first visit."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    if day < stall.bazaar.starts_on:
        return False
    seen = salted_hmac(
        "sellers.bazaars.visit",
        f"{client}\n{user_agent}\n{stall.pk}\n{day.isoformat()}",
        algorithm="sha256",
    ).hexdigest()
    try:
        first = cache.add(f"bazaar:visit:v1:{seen}", 1, _seconds_to_midnight(now))
    except Exception:
        first = None
    if first is False:
        return False
    counter = BazaarVisitDay.objects.filter(stall_id=stall.pk, day=day)
    if counter.update(visits=F("visits") + 1):
        return True
    try:
        with transaction.atomic():
            BazaarVisitDay.objects.create(stall_id=stall.pk, day=day, visits=1)
    except IntegrityError:  # another visit created it first
        counter.update(visits=F("visits") + 1)
    return True


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
