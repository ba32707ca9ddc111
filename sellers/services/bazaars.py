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
  with an UPDATE … SET visits = visits + 1, once per visitor (address and
  browser) a Tehran day and not before the bazaar's first day; who was counted
  is only a keyed hash in the cache, until midnight.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from marketplace.persian import to_persian_digits

from .. import audit, permissions
from ..bazaars import (  # noqa: F401  (re-exported through sellers.services)
    bazaar_save,
    bazaar_visit_count,
    stall_campaign_url,
    stall_number_clean,
    stall_poster,
    stall_poster_qr,
    stock_set_aside_refresh,
    stockrecord_lock,
)
from ..models import Bazaar, BazaarSetAside, BazaarStall, Seller
from ..partner.models import StockRecord
from ..selectors import bazaar_pickups_invalidate

NOT_APPROVED = "فقط غرفه‌های تأییدشده می‌توانند در بازارچه جایگاه بگیرند."
BAZAAR_PAST = "این بازارچه برگزار شده است و دیگر تغییر نمی‌کند."
STALL_TAKEN = "جایگاه شمارهٔ {n} را غرفهٔ دیگری گرفته است."
MADE_TO_ORDER = (
    "«{title}» سفارشی است و موجودی ندارد؛ فروش آن در بازارچه ظرفیت هفتگی را می‌گیرد."
)
TOO_MANY = "از «{title}» فقط {n} عدد می‌توانید کنار بگذارید (بقیه سفارش داده شده یا برای بازارچهٔ دیگری کنار گذاشته شده است)."


def _require_staff(actor: User) -> None:
    if not permissions.can_run_bazaars(actor):
        raise PermissionDenied


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
