"""Product cards, rendered once and kept in the cache.

A card (`partials/product_card.html`: photo, title, price, booth name, holiday
tag) is the same for every visitor, so it is rendered once and reused by every
listing that shows it: catalogue, category, booth, home, "more from this booth",
for anonymous visitors and signed-in ones alike. A listing reads its page's
product ids only, takes the cards the cache already holds in one round trip, and
builds and renders just the missing ones (the usual three queries: products,
stock records with their booth, photos).

Invariant: a card key carries the catalogue version (`catalog.cache_version`),
which `catalog.receivers` bumps whenever a product, its stock, its photos, a
booth or a category changes, so a changed card is never served.
The holiday tag is not in the cached HTML: the card keeps its booth's last
holiday day and the tag is decided each time the card is shown
(`Seller.holiday_covers` with today's date), so a holiday that ended an hour ago
shows no tag. `CARD_CACHE_SECONDS` only bounds what a missed signal (a bulk
update) can leave stale; 0 turns the cache off and
every card is rendered for its page, as before.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from sellers.models import Seller

from .cache_version import catalog_cache, catalog_version
from .models import Product
from .selectors import product_list_public

logger = logging.getLogger(__name__)

CARD_TEMPLATE = "partials/product_card.html"


# Where the holiday tag goes in a card. The card is cached; whether its booth is on
# holiday depends on the day it is shown, so the tag is decided then
# (`Seller.holiday_covers`), from the date kept with the card.
_HOLIDAY_SLOT = "<!--holiday-->"
HOLIDAY_TEMPLATE = "partials/product_card_holiday.html"


def product_card_data(product: Product) -> tuple[str, str]:
    """What the cache keeps of a card: (its HTML with the holiday slot, its
    booth's last holiday day as an ISO date or "")."""
    stock = next(iter(product.stockrecords.all()), None)
    seller = getattr(stock.partner, "seller", None) if stock else None
    until = seller.holiday_until if seller else None
    html = render_to_string(
        CARD_TEMPLATE,
        {"product": product, "holiday_slot": mark_safe(_HOLIDAY_SLOT)},  # noqa: S308
    )
    return html, until.isoformat() if until else ""


def _card_html(data: tuple[str, str], today: dt.date) -> SafeString:
    html, until = data
    tag = ""
    if until and Seller.holiday_covers(dt.date.fromisoformat(until), today):
        tag = render_to_string(
            HOLIDAY_TEMPLATE, {"until": dt.date.fromisoformat(until)}
        ).strip()
    return mark_safe(html.replace(_HOLIDAY_SLOT, tag, 1))  # noqa: S308


def product_card_render(product: Product) -> SafeString:
    """One card's HTML; `product` as `product_list_public` builds it."""
    return _card_html(product_card_data(product), timezone.localdate())


def product_cards(
    products: QuerySet[Product] | Iterable[Product] | Iterable[int],
) -> list[SafeString]:
    """The cards of `products`, in their order.

    `products` is a listing's (sliced, unevaluated) queryset built on
    `product_list_public`, products already fetched, or product ids (a page of
    `catalog.listings.ListingIds`). Queries: none when every card is cached
    (a queryset costs one, for its ids); three more when some are not.
    """
    seconds = getattr(settings, "CARD_CACHE_SECONDS", 0)
    if isinstance(products, QuerySet) and products._result_cache is None:
        if not seconds:
            return [product_card_render(product) for product in products]
        products = products.values_list("pk", flat=True)
    fetched: dict[int, Product] = {}
    ids: list[int] = []
    for item in products:
        if isinstance(item, Product):
            fetched[item.pk] = item
            ids.append(item.pk)
        else:
            ids.append(int(item))
    if not ids:
        return []

    today = timezone.localdate()
    prefix, cached = None, {}
    if seconds:
        try:
            prefix = f"card:v2:{catalog_version()}:"
            cached = catalog_cache().get_many([prefix + str(pk) for pk in ids])
        except Exception:
            logger.warning("card cache unreachable; rendering the cards", exc_info=True)
            prefix, cached = None, {}

    cards: dict[int, SafeString] = {
        pk: _card_html(cached[prefix + str(pk)], today)
        for pk in ids
        if prefix and prefix + str(pk) in cached
    }
    missing = [pk for pk in ids if pk not in cards]
    if missing:
        unfetched = [pk for pk in missing if pk not in fetched]
        if unfetched:
            fetched.update(
                (product.pk, product)
                for product in product_list_public().filter(pk__in=unfetched)
            )
        rendered = {
            pk: product_card_data(fetched[pk]) for pk in missing if pk in fetched
        }
        cards.update((pk, _card_html(data, today)) for pk, data in rendered.items())
        if prefix and rendered:
            try:
                catalog_cache().set_many(
                    {prefix + str(pk): data for pk, data in rendered.items()},
                    seconds,
                )
            except Exception:
                logger.warning(
                    "card cache unreachable; cards not stored", exc_info=True
                )
    # A product that stopped being live since its id was listed has no card.
    return [cards[pk] for pk in ids if pk in cards]
