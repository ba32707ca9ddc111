"""Sales at a bazaar stall, recorded on a phone by the booth or by staff.

Rules (`stall_sale_record`):
- Only while the bazaar runs (`Bazaar.phase`), at a stall of that booth, by a
  member of the booth or bazaar staff (`sellers.permissions.can_work_stall`).
- A ready-made product draws from the units she set aside for this stall
  first, then from her stock, under the stock record's row lock (the lock
  `orders.services.order_place` takes): the stall and the web never sell the
  same unit twice, and units allocated to online orders are never sold here.
- A made-to-order product sold at the stall is an order she must make: it
  takes her weekly capacity (the week load row, locked after the stock record,
  as at placement) and is refused when her week is full.
- Each sale is two ledger entries (`orders.ledger.ledger_record_stall_sale`):
  the sale with amount 0 (she holds the cash) and the commission she owes, at
  the programme's rate frozen on the sale. An audit entry goes on her file.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from marketplace.persian import format_toman, to_persian_digits
from sellers import audit, permissions
from sellers.models import Bazaar, BazaarSetAside, BazaarStall, SellerWeekLoad
from sellers.selectors import week_full_invalidate
from sellers.services import stock_set_aside_refresh, stockrecord_lock

from .calendar import week_start
from .ledger import commission_rate_for, ledger_record_stall_sale
from .limits import order_total_max
from .models import StallSale
from .parts import is_made_to_order

MAX_QUANTITY = 1000
NOT_RUNNING = "فروش در بازارچه را فقط در روزهای برگزاری آن می‌توان ثبت کرد."
SALE_TOO_LARGE = "مبلغ هر فروش حداکثر {amount} است."
NOT_ENOUGH = "از «{title}» فقط {n} عدد دارید."
WEEK_FULL = (
    "ظرفیت سفارش این هفتهٔ شما پر است؛ «{title}» را فقط {n} عدد دیگر "
    "می‌توانید سفارش بگیرید."
)


@audit.workflow
def stall_sale_record(
    *,
    stall: BazaarStall,
    stockrecord_id: int,
    quantity: int,
    actor: User,
    unit_price: Decimal | None = None,
) -> StallSale:
    """Record a sale at her stall (see the module's rules); `unit_price` in
    rials, her listed price when not given. Returns the sale."""
    seller = stall.seller
    if not permissions.can_work_stall(actor, seller.pk):
        raise PermissionDenied
    bazaar = stall.bazaar
    if bazaar.phase() != Bazaar.Phase.RUNNING:
        raise ValidationError(NOT_RUNNING)
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError({"quantity": "تعداد را درست بنویسید."})
    if unit_price is not None and unit_price <= 0:
        raise ValidationError({"unit_price": "قیمت را درست بنویسید."})

    record = stockrecord_lock(seller=seller, stockrecord_id=stockrecord_id)
    product = record.product
    title = product.get_title()
    made = is_made_to_order(product)
    from_set_aside = 0
    if made:
        _take_week_capacity(seller, quantity, title)
    else:
        record = stock_set_aside_refresh(record)
        held = (
            BazaarSetAside.objects.filter(stall=stall, stockrecord=record)
            .select_for_update()
            .first()
        )
        held_units = held.units if held else 0
        from_set_aside = min(quantity, held_units)
        free = max(0, record.net_stock_level)
        if quantity - from_set_aside > free:
            raise ValidationError(
                {
                    "quantity": NOT_ENOUGH.format(
                        title=title, n=to_persian_digits(held_units + free)
                    )
                }
            )
        record.num_in_stock = (record.num_in_stock or 0) - quantity
        record.save(update_fields=["num_in_stock"])
        if from_set_aside:
            held.units -= from_set_aside
            held.sold += from_set_aside
            held.save(update_fields=["units", "sold", "updated_at"])
            stock_set_aside_refresh(record)

    price = record.price if unit_price is None else unit_price
    if price is None:
        raise ValidationError({"unit_price": "قیمت را بنویسید."})
    if price * quantity > order_total_max():  # the money columns' bound too
        raise ValidationError(
            SALE_TOO_LARGE.format(amount=format_toman(order_total_max()))
        )
    sale = StallSale.objects.create(
        stall=stall,
        seller=seller,
        product=product,
        stockrecord=record,
        title=title[:255],
        quantity=quantity,
        unit_price=price,
        total=price * quantity,
        commission_rate=commission_rate_for(seller),
        from_set_aside=from_set_aside,
        made_to_order=made,
        created_by=actor,
        by_staff=not seller.members.filter(user=actor).exists(),
        created_at=timezone.now(),
        **StallSale.booth_facts(seller),
    )
    ledger_record_stall_sale(
        sale,
        note=f"{bazaar.name}، جایگاه {to_persian_digits(stall.stall_number)}",
    )
    audit.record(
        seller=seller,
        actor=actor,
        action="stall_sale",
        reason=(
            f"{bazaar.name}: «{title}» × {to_persian_digits(quantity)} (فروش {sale.pk})"
        ),
    )
    return sale


def _take_week_capacity(seller, quantity: int, title: str) -> None:
    """Made-to-order units taken at the stall count in her week, like an online
    order's (`orders.services.order_place`): the week load row is locked."""
    if seller.weekly_capacity is None:
        return
    week = week_start(timezone.localdate())
    SellerWeekLoad.objects.get_or_create(seller=seller, week_start=week)
    load = SellerWeekLoad.objects.select_for_update().get(
        seller=seller, week_start=week
    )
    left = max(0, seller.weekly_capacity - load.units)
    if quantity > left:
        raise ValidationError(
            {"quantity": WEEK_FULL.format(title=title, n=to_persian_digits(left))}
        )
    load.units += quantity
    load.save(update_fields=["units"])
    transaction.on_commit(week_full_invalidate)


# --- what a stall page shows (panel and staff) -----------------------------------


def stall_page_queryset():
    """Stalls with their bazaar, booth and sale totals (count, units, toman),
    for the stall pages: the stall and its totals in one query."""
    from django.db.models import Count, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    def total(expression, zero):
        return Coalesce(
            Subquery(
                StallSale.objects.filter(stall=OuterRef("pk"))
                .order_by()
                .values("stall")
                .annotate(n=expression)
                .values("n")
            ),
            zero,
        )

    return BazaarStall.objects.select_related("bazaar", "seller").annotate(
        sale_count=total(Count("pk"), 0),
        units_sold=total(Sum("quantity"), 0),
        total_sold=total(Sum("total"), Value(Decimal(0))),
    )


def stall_stock(stall: BazaarStall) -> list:
    """Her live products' stock records, each with `held_units` and
    `sold_units` of this stall's set-aside (None: nothing set aside): the
    product choices and the set-aside list in one query."""
    from django.db.models import OuterRef, Subquery

    from sellers.partner.models import StockRecord

    aside = BazaarSetAside.objects.filter(stall=stall, stockrecord=OuterRef("pk"))
    return list(
        StockRecord.objects.filter(partner_id=stall.seller.partner_id)
        .filter(product__is_public=True, product__deleted_at__isnull=True)
        .select_related("product")
        .annotate(
            held_units=Subquery(aside.values("units")[:1]),
            sold_units=Subquery(aside.values("sold")[:1]),
        )
        .order_by("product__title", "pk")
    )


def stall_products(
    stall: BazaarStall, stock: list | None = None
) -> list[tuple[int, str]]:
    """(stock record id, title) choices of her live products."""
    stock = stall_stock(stall) if stock is None else stock
    return [(record.pk, record.product.get_title()) for record in stock]


def stall_sales(stall: BazaarStall, *, limit: int = 50):
    """The stall's latest sales: one query."""
    return list(
        StallSale.objects.filter(stall=stall).order_by("-created_at", "-pk")[:limit]
    )
