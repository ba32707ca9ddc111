"""The header's basket count, without loading the basket the Oscar way.

Every page shows the count. Loading `request.basket` for it costs Oscar's
`get_or_create` of a signed-in buyer's basket (a basket row for every seller
and staff member who merely opens a page), then a sum of its lines: three to
five queries on every page for anyone signed in or holding a basket. Here it
is one cache read, and one query when the cache does not have it.

Kept per buyer (signed in) and per basket (a guest's cookie), and dropped
(`orders.basket.receivers`) on every write to a basket or a line, now and again
after the commit, so a reader cannot put back a count from before the write.
Bulk updates bypass them: the one in `orders.services` moves lines into a new
basket whose creation, like the old one's submission, drops both counts. A
drop lost while the cache is down leaves a count stale for `SECONDS` at most;
the basket page and checkout always read the basket itself.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature, Signer
from django.db import transaction
from django.db.models import Sum
from django.utils.functional import SimpleLazyObject, empty

from .models import Basket

SECONDS = 300
_UNKNOWN = object()


def _user_key(user_id: int) -> str:
    return f"basket-items:u:{int(user_id)}"


def _basket_key(basket_id: int) -> str:
    return f"basket-items:b:{int(basket_id)}"


def _loaded(request):
    """The request's basket if a view or middleware already loaded it, else None."""
    basket = getattr(request, "basket", None)
    if isinstance(basket, SimpleLazyObject):
        return None if basket._wrapped is empty else basket._wrapped
    return basket


def _count(baskets, *, if_none) -> int | object:
    """Items of the one open basket in `baskets`, `if_none` if there is none, and
    _UNKNOWN if there are several (then Oscar's load merges them)."""
    counts = list(
        baskets.annotate(items=Sum("lines__quantity")).values_list("items", flat=True)[
            :2
        ]
    )
    if not counts:
        return if_none
    return (counts[0] or 0) if len(counts) == 1 else _UNKNOWN


def _cached(key: str, baskets: Callable, *, if_none) -> int | object:
    items = cache.get(key)
    if items is None:
        items = _count(baskets(), if_none=if_none)
        if items is not _UNKNOWN:
            cache.set(key, items, SECONDS)
    return items


def basket_items_for_header(request) -> int:
    """Items in the visitor's open basket: one cache read, or one query.

    The rule is Oscar's middleware's, only cheaper:
    - a basket the request already loaded (the basket page, checkout) counts
      itself (no query once its lines are loaded);
    - a signed-in buyer still holding a guest basket cookie has just logged in:
      her basket is loaded the Oscar way, which merges the guest basket into
      hers and tells her so;
    - a signed-in buyer: the items of her open basket (none yet: 0; several:
      Oscar's load merges them first);
    - a guest: the items of the open, ownerless basket her signed cookie names
      (a bad or stale cookie is left to Oscar, which deletes it).
    """
    basket = _loaded(request)
    if basket is not None:
        return basket.num_items
    cookie = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if cookie:
            return request.basket.num_items
        items = _cached(
            _user_key(user.pk), lambda: Basket.open.filter(owner=user), if_none=0
        )
    else:
        if not cookie:
            return 0
        try:
            basket_id = int(Signer().unsign(cookie))
        except (BadSignature, ValueError):
            return request.basket.num_items
        # No such open basket: a stale cookie, which Oscar's load deletes.
        items = _cached(
            _basket_key(basket_id),
            lambda: Basket.open.filter(pk=basket_id, owner=None),
            if_none=_UNKNOWN,
        )
    return request.basket.num_items if items is _UNKNOWN else items


def basket_count_drop(*, basket_id: int, owner_id: int | None) -> None:
    """A basket or one of its lines was written: drop its count and its
    owner's, now and again after the commit (`orders.basket.receivers`)."""
    keys = [_basket_key(basket_id)]
    if owner_id:
        keys.append(_user_key(owner_id))
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
