"""A basket seen as booths' parts: what the basket page, checkout and placement
share. One home for "can this line be bought, and if not, why" and for "which
delivery options does this booth offer to this address".

Built from what `Basket.all_lines` loads (product, stock record, booth) plus one
query for the booths' delivery options and one for their week loads, so the
pages stay at a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from marketplace.persian import format_jalali, to_persian_digits
from sellers.models import DeliveryOption, Seller, SellerWeekLoad
from sellers.selectors import bazaar_pickups

from .calendar import add_working_days, week_start
from .limits import line_quantity_refusal

Kind = DeliveryOption.Kind

SOLD_OUT = "«{title}» تمام شده است."
ONLY_LEFT = "از «{title}» فقط {n} عدد مانده است."
PAUSED = "فروش «{title}» فعلاً متوقف است."
HOLIDAY = "غرفهٔ «{booth}» تا {date} در تعطیلات است."
SUSPENDED = "غرفهٔ «{booth}» فعلاً سفارش نمی‌پذیرد."
WEEK_FULL = (
    "ظرفیت سفارش این هفتهٔ غرفهٔ «{booth}» پر شده است؛ «{title}» را از شنبه "
    "می‌توانید سفارش دهید."
)


@dataclass
class DeliveryChoice:
    option: DeliveryOption
    fee: Decimal
    pickup_address: str = ""

    @property
    def kind(self) -> str:
        return self.option.kind

    @property
    def label(self) -> str:
        return self.option.get_kind_display()


@dataclass
class PartLine:
    line: object  # basket line
    problem: str | None = None

    @property
    def buyable(self) -> bool:
        return self.problem is None


@dataclass
class BasketPart:
    seller: Seller
    lines: list[PartLine] = field(default_factory=list)
    options: list[DeliveryChoice] = field(default_factory=list)

    @property
    def buyable_lines(self) -> list[PartLine]:
        return [pl for pl in self.lines if pl.buyable]

    @property
    def subtotal(self) -> Decimal:
        return sum(
            (pl.line.line_price_incl_tax for pl in self.buyable_lines), Decimal(0)
        )

    @property
    def preparation_days(self) -> int:
        """The slowest line: a made-to-order product's own days, a ready-made
        one `ORDER_READY_MADE_PREPARATION_DAYS`."""
        days = [line_preparation_days(pl.line.product) for pl in self.buyable_lines]
        return max(days, default=0)

    @property
    def expected_ready_on(self) -> dt.date:
        return add_working_days(timezone.localdate(), self.preparation_days)

    @property
    def expected_ready_display(self) -> str:
        return format_jalali(self.expected_ready_on)

    def option(self, kind: str) -> DeliveryChoice | None:
        for choice in self.options:
            if choice.kind == kind:
                return choice
        return None


def line_preparation_days(product) -> int:
    if product.fulfilment == "made_to_order":
        return product.preparation_days or 1
    return getattr(settings, "ORDER_READY_MADE_PREPARATION_DAYS", 1)


def is_made_to_order(product) -> bool:
    return not product.get_product_class().track_stock


def line_problem(
    *,
    product,
    stockrecord,
    seller: Seller | None,
    quantity: int,
    week_units_left: int | None,
    today: dt.date | None = None,
) -> str | None:
    """Why this line cannot be bought now, in Persian, or None if it can.

    The order of the reasons is the order a buyer can act on: a booth that is
    not selling, then one on holiday, then the product paused, then capacity
    (made to order) or stock (ready made), after the line caps
    (`orders.limits`). `week_units_left` is what is left of
    the booth's weekly made-to-order capacity (None: no cap)."""
    title = product.get_title()
    today = today or timezone.localdate()
    if seller is None or seller.status != Seller.Status.APPROVED:
        return SUSPENDED.format(booth=seller.brand_name if seller else "")
    if Seller.holiday_covers(seller.holiday_until, today):
        return HOLIDAY.format(
            booth=seller.brand_name, date=format_jalali(seller.holiday_until)
        )
    if (
        not product.is_public
        or product.is_paused
        or product.deleted_at is not None
        or product.moderation_status != "approved"
    ):
        return PAUSED.format(title=title)
    too_many = line_quantity_refusal(product=product, seller=seller, quantity=quantity)
    if too_many:
        return too_many
    if is_made_to_order(product):
        if week_units_left is not None and week_units_left < quantity:
            return WEEK_FULL.format(booth=seller.brand_name, title=title)
        return None
    if stockrecord is None:
        return SOLD_OUT.format(title=title)
    # In stock, less allocated to orders, less held for a bazaar.
    available = stockrecord.net_stock_level
    if available <= 0:
        return SOLD_OUT.format(title=title)
    if available < quantity:
        return ONLY_LEFT.format(title=title, n=to_persian_digits(available))
    return None


def delivery_choices(
    seller: Seller,
    options,
    subtotal: Decimal,
    *,
    address_in_tehran: bool | None,
    bazaar_pickup: str | None = None,
) -> list[DeliveryChoice]:
    """The booth's active options that make sense here, with their fee.

    Courier and Kowsar-centre pickup only for a Tehran booth, and only to a
    Tehran address (`address_in_tehran` None = not known yet: shown, with the
    condition in their label); post everywhere. While a bazaar she has a stall
    at runs (`bazaar_pickup`: where, from `sellers.selectors.bazaar_pickups`),
    pickup at her stall, free, paid at pickup, whatever the address: the buyer
    comes to the bazaar."""
    choices = []
    for option in options:
        if not option.is_active:
            continue
        if option.kind in (Kind.COURIER, Kind.CENTRE_PICKUP):
            if not seller.in_tehran or address_in_tehran is False:
                continue
            if option.kind == Kind.CENTRE_PICKUP and seller.centre_id is None:
                continue
        pickup = ""
        if option.kind == Kind.CENTRE_PICKUP:
            centre = seller.centre
            pickup = f"{centre.name}، {centre.address}".strip("، ")
        choices.append(
            DeliveryChoice(
                option=option, fee=option.fee_for(subtotal), pickup_address=pickup
            )
        )
    if bazaar_pickup:
        at_bazaar = DeliveryOption(seller=seller, kind=Kind.BAZAAR_PICKUP, fee=0)
        choices.append(
            DeliveryChoice(
                option=at_bazaar, fee=Decimal(0), pickup_address=bazaar_pickup
            )
        )
    return choices


def week_units_left(sellers: list[Seller]) -> dict[int, int | None]:
    """{seller id: made-to-order units left this week (None = no cap)}: one query."""
    capped = [s for s in sellers if s.weekly_capacity is not None]
    loads = {}
    if capped:
        loads = dict(
            SellerWeekLoad.objects.filter(
                seller__in=capped, week_start=week_start(timezone.localdate())
            ).values_list("seller_id", "units")
        )
    return {
        s.pk: (
            None
            if s.weekly_capacity is None
            else max(0, s.weekly_capacity - loads.get(s.pk, 0))
        )
        for s in sellers
    }


def basket_parts(basket, *, address_in_tehran: bool | None = None) -> list[BasketPart]:
    """The basket's lines grouped by booth (first-added booth first), each line
    with its problem if any, each booth with the delivery options on offer."""
    lines = list(basket.all_lines())
    by_seller: dict[int, BasketPart] = {}
    for line in lines:
        seller = (
            getattr(line.stockrecord.partner, "seller", None)
            if line.stockrecord
            else None
        )
        if seller is None:
            continue
        part = by_seller.get(seller.pk)
        if part is None:
            part = by_seller[seller.pk] = BasketPart(seller=seller)
        part.lines.append(PartLine(line=line))
    sellers = [part.seller for part in by_seller.values()]
    left = week_units_left(sellers)
    options: dict[int, list[DeliveryOption]] = {s.pk: [] for s in sellers}
    if sellers:
        for option in DeliveryOption.objects.filter(seller__in=sellers).order_by("pk"):
            options[option.seller_id].append(option)
    today = timezone.localdate()
    pickups = bazaar_pickups(today=today)
    for part in by_seller.values():
        units_left = left[part.seller.pk]
        for part_line in part.lines:
            line = part_line.line
            part_line.problem = line_problem(
                product=line.product,
                stockrecord=line.stockrecord,
                seller=part.seller,
                quantity=line.quantity,
                week_units_left=units_left,
                today=today,
            )
            if (
                part_line.problem is None
                and units_left is not None
                and is_made_to_order(line.product)
            ):
                units_left -= line.quantity
        part.options = delivery_choices(
            part.seller,
            options[part.seller.pk],
            part.subtotal,
            address_in_tehran=address_in_tehran,
            bazaar_pickup=pickups.get(part.seller.pk),
        )
    return list(by_seller.values())
