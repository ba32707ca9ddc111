"""Oscar's basket middleware through its marked extension point
(`apply_offers_to_basket`)."""

from __future__ import annotations

from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware

from .offers import offers_exist


class BasketMiddleware(OscarBasketMiddleware):
    def apply_offers_to_basket(self, request, basket):
        """Oscar's, skipped while no offer exists at all (`offers_exist`): nothing
        could apply, and Oscar would still count the lines and look for vouchers
        and site offers on every basket it loads."""
        if offers_exist():
            super().apply_offers_to_basket(request, basket)
