"""Which offer a buyer sees and whether it can be bought (Oscar's extension point)."""

from oscar.apps.partner import availability
from oscar.apps.partner.strategy import *  # noqa: F403
from oscar.apps.partner.strategy import (
    NoTax,
    StockRequired,
    Structured,
    UseFirstStockRecord,
)

from marketplace.persian import format_jalali, to_persian_digits
from sellers.selectors import (
    open_booths,
    partner_holiday_until,
    partner_ids_week_full,
)


class Selector:
    """Responsible for returning the strategy for a request. Every buyer gets the
    marketplace strategy; there are no per-customer prices."""

    def strategy(self, request=None, user=None, **kwargs):
        return MarketplaceStrategy(request)


class OnHoliday(availability.Unavailable):
    """The booth is on holiday: the product is shown with its price, but cannot be
    bought until she is back."""

    code = "holiday"

    def __init__(self, until):
        self.until = until
        self.message = f"فروشنده تا {format_jalali(until)} در تعطیلات است"

    def is_purchase_permitted(self, quantity):
        return False, self.message


class WeekFull(availability.Unavailable):
    """Her weekly made-to-order capacity is used up: orderable again on Saturday."""

    code = "week_full"
    message = "ظرفیت سفارش این هفتهٔ غرفه پر شده است؛ از شنبه دوباره می‌توانید سفارش دهید"

    def is_purchase_permitted(self, quantity):
        return False, self.message


class MadeToOrder(availability.Available):
    """Made after the order: no stock to run out of (its product class does not
    track stock), so it can always be ordered."""

    code = "made_to_order"
    message = "قابل سفارش"


class InStock(availability.StockRequired):
    """Oscar's stock rule in our words: Oscar's Persian catalogue prints
    «در انبار( 9 موجود)», a Latin digit inside a broken parenthesis."""

    def is_purchase_permitted(self, quantity):
        if self.num_available <= 0:
            return False, "موجودی این کالا تمام شده است"
        if quantity > self.num_available:
            count = to_persian_digits(self.num_available)
            return False, f"از این کالا حداکثر {count} عدد می‌توانید بخرید"
        return True, ""

    @property
    def short_message(self):
        return "موجود" if self.num_available > 0 else "ناموجود"

    @property
    def message(self) -> str:
        if self.num_available > 0:
            return f"در انبار ({to_persian_digits(self.num_available)} عدد)"
        return "ناموجود"


class OpenBoothStockRequired(StockRequired):
    """Stock rules, plus: a product can be bought only while it is live
    (`Product.is_live`: checked here too because Oscar's basket views do not ask
    `catalog.selectors`), its booth is approved, and the booth is not on holiday
    (`Seller.holiday_covers`).

    A made-to-order product of a booth whose weekly capacity is used up cannot
    be bought until the next Iranian week (Saturday).

    A booth that is suspended (or not yet approved) keeps its data but sells
    nothing. A booth on holiday keeps its
    products visible, with prices, but they cannot be bought until she is back.
    Both facts come from one cached entry (`sellers.selectors`): no query per
    product, and one cache read per request.
    """

    def _memo(self, name: str, read):
        """`read()` once for a strategy serving a request, however many lines and
        cards ask; afresh each time for one made without a request (a task, a
        shell), since it may outlive a change."""
        memo = self.__dict__.setdefault("_request_memo", {})
        if name in memo:
            return memo[name]
        value = read()
        if getattr(self, "request", None) is not None:
            memo[name] = value
        return value

    def availability_policy(self, product, stockrecord):
        if not product.is_live:
            return availability.Unavailable()
        if stockrecord is not None:
            booths = self._memo("open_booths", open_booths)
            if stockrecord.partner_id not in booths[0]:
                return availability.Unavailable()
            until = partner_holiday_until(stockrecord.partner_id, booths=booths)
            if until is not None:
                return OnHoliday(until)
            if not product.get_product_class().track_stock:
                # Read only for made-to-order products: pages of ready-made
                # ones must not depend on the week loads (catalogue caches).
                if stockrecord.partner_id in self._memo(
                    "week_full", partner_ids_week_full
                ):
                    return WeekFull()
                return MadeToOrder()
            return InStock(stockrecord.net_stock_level)
        return super().availability_policy(product, stockrecord)


class MarketplaceStrategy(
    UseFirstStockRecord, OpenBoothStockRequired, NoTax, Structured
):
    """Each product has one stock record, its seller's; prices carry no tax line."""

    def fetch_for_line(self, line, stockrecord=None):
        """A basket line is priced and checked against its own stock record (the
        booth it was added from), which the basket loads with it; Oscar's default
        asks the product for its first stock record, a query per line."""
        stockrecord = stockrecord or line.stockrecord
        if stockrecord is None:
            return super().fetch_for_line(line)
        return self.fetch_for_product(line.product, stockrecord)
