"""Read-side queries for the catalogue, shaped for the pages that use them.

Every public listing goes through `product_list_public` so the rule "only live
products of approved booths" has one home, and every list page runs the same
fixed number of queries whatever its size:
products (+ product class, via JOIN); stock records with partner and seller;
images. Views and the CMS both use these; nothing else builds product querysets
for the public.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from sellers.partner.models import StockRecord
from sellers.selectors import open_partner_ids

from .models import Category, Product, ProductCategory, ProductImage

SORTS = {
    "newest": ("-date_created", "-id"),
    "price_asc": ("stockrecords__price", "id"),
    "price_desc": ("-stockrecords__price", "-id"),
}
DEFAULT_SORT = "newest"


def _public_stockrecords() -> Prefetch:
    return Prefetch(
        "stockrecords",
        queryset=StockRecord.objects.select_related("partner__seller__district"),
    )


def _images() -> Prefetch:
    # Photos still being processed (or that failed) are not shown: the card falls
    # back to the neutral placeholder.
    return Prefetch(
        "images",
        queryset=ProductImage.objects.filter(state=ProductImage.State.READY).order_by(
            "display_order", "id"
        ),
    )


def product_list_public() -> QuerySet[Product]:
    """Live products of approved booths, ready to render as cards.

    Live (`Product.objects.live()`), standalone or a parent (a child is listed
    through its parent), with its stock record in a booth that is open
    (approved). Query count: 3 when evaluated (products, stock records, images).
    """
    open_stock = StockRecord.objects.filter(
        product=OuterRef("pk"), partner_id__in=open_partner_ids()
    )
    return (
        Product.objects.live()
        .filter(parent__isnull=True)
        .filter(Exists(open_stock))
        .select_related("product_class")
        .prefetch_related(_public_stockrecords(), _images())
    )


@dataclass(frozen=True)
class ProductFilters:
    """What a buyer can narrow a listing by. Prices are in rials."""

    min_price: int | None = None
    max_price: int | None = None
    district: int | None = None
    fulfilment: str | None = None
    sort: str = DEFAULT_SORT


def product_list_filtered(
    *,
    category: Category | None = None,
    partner_id: int | None = None,
    filters: ProductFilters | None = None,
) -> QuerySet[Product]:
    """`product_list_public`, narrowed to a category subtree, a booth and filters."""
    filters = filters or ProductFilters()
    products = product_list_public()
    if category is not None:
        in_subtree = ProductCategory.objects.filter(
            product=OuterRef("pk"), category__path__startswith=category.path
        )
        products = products.filter(Exists(in_subtree))
    if partner_id is not None:
        products = products.filter(stockrecords__partner_id=partner_id)
    if filters.fulfilment in Product.Fulfilment.values:
        products = products.filter(fulfilment=filters.fulfilment)
    if filters.district:
        products = products.filter(
            stockrecords__partner__seller__district__number=filters.district
        )
    # One stock record per product (sellers.services keeps that invariant), so
    # price filters and sorts join it directly instead of aggregating.
    if filters.min_price is not None:
        products = products.filter(stockrecords__price__gte=filters.min_price)
    if filters.max_price is not None:
        products = products.filter(stockrecords__price__lte=filters.max_price)
    return products.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


def product_get_for_detail(*, pk: int) -> Product | None:
    """One live product with everything its page shows, or None."""
    return product_list_public().filter(pk=pk).first()


def product_list_more_from_booth(
    *, product: Product, limit: int = 4
) -> QuerySet[Product]:
    """Other live products of the same booth, newest first (lazy: the cards read
    only its ids when they are cached, see catalog.cards)."""
    record = next(iter(product.stockrecords.all()), None)
    if record is None:
        return Product.objects.none()
    return (
        product_list_public()
        .filter(stockrecords__partner_id=record.partner_id)
        .exclude(pk=product.pk)
        .order_by("-date_created", "-id")[:limit]
    )


_MENU_KEY = "catalog:category-menu:v1"


def category_menu() -> list[dict]:
    """The top-level public categories for the header menu, cached.

    Cached as plain dicts (name, url) so rendering the menu costs no query; the
    cache is dropped whenever a category changes (catalog.receivers).
    """
    menu = cache.get(_MENU_KEY)
    if menu is None:
        menu = [
            {
                "name": category.name,
                "url": category.get_absolute_url(),
                "pk": category.pk,
            }
            for category in Category.objects.browsable()
            .filter(depth=1)
            .order_by("path")
        ]
        cache.set(_MENU_KEY, menu, 3600)
    return menu


def category_menu_invalidate() -> None:
    cache.delete(_MENU_KEY)
