"""Whether Oscar's offer machinery has anything to apply.

The marketplace runs no discounts today, but Oscar's dashboard can create them.
Oscar's middleware applies offers to every basket it loads: a COUNT of the
lines, then a query for the basket's vouchers and one for the site's offers,
on every page that shows the basket. Every offer, voucher ones included, is a
`ConditionalOffer` row, so while there is none nothing can apply and the three
queries are skipped.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from oscar.core.loading import get_model

KEY = "basket:offers-exist:v1"
#: Bounds how long a lost invalidation (Redis down while staff save an offer)
#: can keep a new offer from applying.
SECONDS = 300


def offers_exist() -> bool:
    """True when any offer exists (site, voucher, user or session): then Oscar's
    applicator runs as it would. One cache read; on a miss, one EXISTS."""
    found = cache.get(KEY)
    if found is None:
        found = get_model("offer", "ConditionalOffer").objects.exists()
        cache.set(KEY, found, SECONDS)
    return found


def offers_exist_invalidate() -> None:
    """An offer was written or deleted (`orders.basket.receivers`): drop the
    answer now, and again after the commit, since a reader between the two
    could put back the answer from before the write."""
    cache.delete(KEY)
    transaction.on_commit(lambda: cache.delete(KEY))
