"""How much one basket line and one order may hold: the one home of the caps.

`BASKET_MAX_LINE_QUANTITY` units of a product per line, made-to-order units no
more than the booth's weekly capacity, and `BASKET_MAX_ORDER_TOTAL` rials per
order. Every way into a basket asks `basket_line_refusal` (Oscar's add form, its
line form, our basket page), the merge at login clamps a line to the line cap
(`orders.basket.models.Basket.merge_line`), `orders.parts.line_problem` asks
`line_quantity_refusal` (basket page, checkout, and `order_place` under its
locks), and `order_place` asks `order_total_refusal` of the total with delivery.
The order cap keeps every amount an order writes inside its money columns.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import F, Sum

from marketplace.persian import format_toman, to_persian_digits

LINE_TOO_MANY = "از «{title}» در هر سفارش حداکثر {n} عدد می‌توانید بخرید."
WEEK_TOO_MANY = (
    "غرفهٔ «{booth}» هر هفته حداکثر {n} عدد سفارش می‌پذیرد؛ از «{title}» بیش از "
    "این نمی‌توانید سفارش دهید."
)
ORDER_TOO_LARGE = (
    "مبلغ هر سفارش حداکثر {amount} است؛ تعداد کالاها را کمتر کنید یا سفارش را در "
    "چند نوبت ثبت کنید."
)


def line_quantity_max() -> int:
    return int(settings.BASKET_MAX_LINE_QUANTITY)


def order_total_max() -> Decimal:
    """In rials."""
    return Decimal(settings.BASKET_MAX_ORDER_TOTAL)


def line_quantity_refusal(*, product, seller, quantity: int) -> str | None:
    """Why one line may not hold `quantity` units of `product` (Persian), or None.

    Rule: at most `BASKET_MAX_LINE_QUANTITY` units; a made-to-order product at
    most the booth's weekly capacity (what is left of this week is
    `orders.parts.line_problem`'s)."""
    title = product.get_title()
    if quantity > line_quantity_max():
        return LINE_TOO_MANY.format(
            title=title, n=to_persian_digits(line_quantity_max())
        )
    capacity = getattr(seller, "weekly_capacity", None)
    if (
        capacity is not None
        and not product.get_product_class().track_stock
        and quantity > capacity
    ):
        return WEEK_TOO_MANY.format(
            booth=seller.brand_name, n=to_persian_digits(capacity), title=title
        )
    return None


def order_total_refusal(total: Decimal) -> str | None:
    """Why an order (or a basket's goods) of `total` rials is refused, or None."""
    if total > order_total_max():
        return ORDER_TOO_LARGE.format(amount=format_toman(order_total_max()))
    return None


def basket_line_refusal(*, basket, product, stockrecord, quantity: int) -> str | None:
    """Why `basket`'s line of `product` (from `stockrecord`) may not become
    `quantity` units: the line caps, then the basket's goods total at today's
    prices with this line at `quantity` (its other lines as they are)."""
    seller = getattr(stockrecord.partner, "seller", None) if stockrecord else None
    refusal = line_quantity_refusal(product=product, seller=seller, quantity=quantity)
    if refusal or stockrecord is None:
        return refusal
    others = Decimal(0)
    if basket.id is not None:
        others = basket.lines.exclude(product=product).aggregate(
            total=Sum(F("quantity") * F("stockrecord__price"))
        )["total"] or Decimal(0)
    return order_total_refusal(others + stockrecord.price * quantity)
