"""Which offer a buyer sees and whether it can be bought (Oscar's extension point)."""

from oscar.apps.partner import availability
from oscar.apps.partner.strategy import *  # noqa: F403
from oscar.apps.partner.strategy import (
    NoTax,
    StockRequired,
    Structured,
    UseFirstStockRecord,
)

from sellers.selectors import open_partner_ids


class Selector:
    """Responsible for returning the strategy for a request. Every buyer gets the
    marketplace strategy; there are no per-customer prices."""

    def strategy(self, request=None, user=None, **kwargs):
        return MarketplaceStrategy(request)


class OpenBoothStockRequired(StockRequired):
    """Stock rules, plus: a product can be bought only while its booth is approved.

    A booth that is suspended (or not yet approved) keeps its data but sells nothing.
    """

    def availability_policy(self, product, stockrecord):
        if stockrecord is not None and stockrecord.partner_id not in open_partner_ids():
            return availability.Unavailable()
        return super().availability_policy(product, stockrecord)


class MarketplaceStrategy(
    UseFirstStockRecord, OpenBoothStockRequired, NoTax, Structured
):
    """Each product has one stock record, its seller's; prices carry no tax line."""
