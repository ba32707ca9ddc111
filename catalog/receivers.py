"""Signals here only invalidate caches (see docs/ARCHITECTURE.md).

`WATCHED` is every model a cached catalogue page reads, with what a write to it
makes stale (the versions of `catalog.cache_version`). Each is invalidated on
`post_save` and `post_delete` and, for the models whose manager is a
`marketplace.bulk_writes.SignallingQuerySet` (the catalogue's and stock records),
on `rows_written` too, so a queryset `update()` or a `bulk_create()` (Oscar's stock
allocation, seeding) needs no call of its own. tests/catalog/test_cache_invalidation.py
renders every cached page and fails on a table it reads that is not watched here
(or by cms.receivers), and on a bulk write to a watched model that sends no signal.

What a write bumps:
- a stock record: that product's stock version (its page, not its card) only,
  unless a field in `STOCK_LISTING_FIELDS` changed (price, booth): a sale bumps
  nothing else;
- a product, its price, photos or categories: that product's version (its card
  and page); and the listing versions it belongs to (every product's, its
  category subtrees', its booth's) only when it joins or leaves listings or its
  order key changes: a new row, a deleted one, or a change to a field in
  `PRODUCT_LISTING_FIELDS` / `STOCK_LISTING_FIELDS`;
- a category, booth, district, partner or product class: the global version, after
  dropping the category menu or the set of open booths, in that order, whatever
  the order of the apps (a request that reads the new version reads them fresh).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from oscar.apps.partner.models import Partner

from marketplace.bulk_writes import rows_written
from orders.reviews.models import Review
from sellers.models import District, Seller
from sellers.partner.models import StockRecord
from sellers.selectors import open_partner_ids_invalidate

from .cache_version import (
    GLOBAL,
    LISTING_ALL,
    catalog_invalidate,
    listing_booth_version,
    listing_category_version,
    product_version,
    stock_version,
)
from .models import Category, Product, ProductCategory, ProductClass, ProductImage
from .selectors import category_menu_invalidate

#: model -> what a write to it makes stale (read by the tests, and by people).
WATCHED: dict[type[Model], str] = {}

#: Product fields that decide whether it is listed (the live rule, the filters)
#: or where (the sort keys): a change to one of them changes listings.
PRODUCT_LISTING_FIELDS = (
    "is_public",
    "structure",
    "parent_id",
    "is_paused",
    "deleted_at",
    "moderation_status",
    "fulfilment",
    "date_created",
)
#: Stock record fields listings read: the price sort and the booth.
STOCK_LISTING_FIELDS = ("price", "partner_id", "product_id")

_STEPLEN = Category.steplen


def _category_versions(paths: Iterable[str]) -> set[str]:
    """A category's listing and its ancestors' (whose subtrees hold it)."""
    return {
        listing_category_version(path[:end])
        for path in paths
        for end in range(_STEPLEN, len(path) + 1, _STEPLEN)
    }


def _listing_versions(product_ids: Iterable[int]) -> set[str]:
    """Every listing these products can be in, as the database says now."""
    product_ids = list(product_ids)
    paths = ProductCategory.objects.filter(product_id__in=product_ids).values_list(
        "category__path", flat=True
    )
    booths = StockRecord.objects.filter(product_id__in=product_ids).values_list(
        "partner_id", flat=True
    )
    return {
        LISTING_ALL,
        *_category_versions(paths),
        *(listing_booth_version(pk) for pk in booths),
    }


def products_changed(
    product_ids: Iterable[int],
    *,
    listings: bool,
    card: bool = True,
    extra: Iterable[str] = (),
) -> None:
    """These products' pages are stale, and with `card` their cards; with
    `listings`, so is every listing they are (or, through `extra`, were) in."""
    product_ids = {pk for pk in product_ids if pk is not None}
    keys = {stock_version(pk) for pk in product_ids} | set(extra)
    if card or listings:
        keys |= {product_version(pk) for pk in product_ids}
    if listings:
        keys |= _listing_versions(product_ids)
    if keys:
        catalog_invalidate(sorted(keys))


def _old_values(instance: Model, fields: tuple[str, ...]) -> dict | None:
    if instance.pk is None or instance._state.adding:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).values(*fields).first()


def _moved(instance: Model, old: dict | None, fields: tuple[str, ...]) -> bool:
    return old is None or any(getattr(instance, f) != old[f] for f in fields)


def _touches(fields: frozenset[str] | None, listing_fields: tuple[str, ...]) -> bool:
    """Whether a bulk write of `fields` (None: new rows) can change listings."""
    if fields is None:
        return True
    names = {f.removesuffix("_id") for f in listing_fields}
    return any(f.removesuffix("_id") in names for f in fields)


def watch(
    model: type[Model],
    what: str,
    *,
    saved: Callable | None = None,
    deleted: Callable | None = None,
    bulk: Callable | None = None,
) -> None:
    """Register `model` in WATCHED and connect its handlers (each defaults to
    bumping the global version)."""
    WATCHED[model] = what
    uid = f"catalog-cache-{model._meta.label}"

    def everything(**kwargs):
        catalog_invalidate([GLOBAL])

    post_save.connect(saved or everything, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(
        deleted or saved or everything, sender=model, dispatch_uid=uid, weak=False
    )
    rows_written.connect(bulk or everything, sender=model, dispatch_uid=uid, weak=False)


# --- products and what hangs on them --------------------------------------------


def _product_pre_save(sender, instance, **kwargs):
    instance._cache_old = _old_values(instance, PRODUCT_LISTING_FIELDS)


def _product_saved(sender, instance, **kwargs):
    old = getattr(instance, "_cache_old", None)
    products_changed(
        [instance.pk], listings=_moved(instance, old, PRODUCT_LISTING_FIELDS)
    )


def _product_deleted(sender, instance, **kwargs):
    products_changed([instance.pk], listings=True)


def _products_written(sender, pks, fields, created, **kwargs):
    if created:  # new products: nothing of theirs is cached yet but listings
        catalog_invalidate([LISTING_ALL])
        return
    products_changed(pks, listings=_touches(fields, PRODUCT_LISTING_FIELDS))


pre_save.connect(_product_pre_save, sender=Product, dispatch_uid="catalog-cache-pre")
watch(
    Product,
    "its card and page; listings when it joins, leaves or moves in them",
    saved=_product_saved,
    deleted=_product_deleted,
    bulk=_products_written,
)


def _stock_pre_save(sender, instance, **kwargs):
    instance._cache_old = _old_values(instance, STOCK_LISTING_FIELDS)


def stock_record_moved(instance: StockRecord) -> bool:
    """Whether a just-saved stock record changed its price, booth or product
    (read before the save by `_stock_pre_save`; unknown counts as changed). A
    sale, a restock or an allocation changes none of them."""
    return _moved(instance, getattr(instance, "_cache_old", None), STOCK_LISTING_FIELDS)


def _stock_saved(sender, instance, **kwargs):
    old = getattr(instance, "_cache_old", None)
    moved = _moved(instance, old, STOCK_LISTING_FIELDS)
    before = [] if old is None else [old["product_id"]]
    products_changed(
        [instance.product_id, *before],
        listings=moved,
        card=moved,
        extra=[listing_booth_version(old["partner_id"])] if moved and old else [],
    )


def _stock_deleted(sender, instance, **kwargs):
    products_changed(
        [instance.product_id],
        listings=True,
        extra=[listing_booth_version(instance.partner_id)],
    )


def _stock_written(sender, pks, fields, **kwargs):
    rows = list(
        StockRecord._base_manager.filter(pk__in=pks).values_list(
            "product_id", "partner_id"
        )
    )
    moved = _touches(fields, STOCK_LISTING_FIELDS)
    products_changed([product_id for product_id, _ in rows], listings=moved, card=moved)


pre_save.connect(_stock_pre_save, sender=StockRecord, dispatch_uid="catalog-cache-pre")
watch(
    StockRecord,
    "its product's page (stock); its card and listings on a new price or booth",
    saved=_stock_saved,
    deleted=_stock_deleted,
    bulk=_stock_written,
)


def _image_saved(sender, instance, **kwargs):
    products_changed([instance.product_id], listings=False)


def _images_written(sender, pks, **kwargs):
    ids = ProductImage._base_manager.filter(pk__in=pks).values_list(
        "product_id", flat=True
    )
    products_changed(set(ids), listings=False)


watch(
    ProductImage,
    "its product's card and page",
    saved=_image_saved,
    bulk=_images_written,
)


def _product_category_pre_save(sender, instance, **kwargs):
    old = _old_values(instance, ("category__path",))
    instance._cache_old = old["category__path"] if old else None


def _product_category_saved(sender, instance, **kwargs):
    paths = [Category._base_manager.get(pk=instance.category_id).path]
    if getattr(instance, "_cache_old", None):
        paths.append(instance._cache_old)
    products_changed(
        [instance.product_id], listings=False, extra=_category_versions(paths)
    )


def _product_category_deleted(sender, instance, **kwargs):
    path = (
        Category._base_manager.filter(pk=instance.category_id)
        .values_list("path", flat=True)
        .first()
    )
    products_changed(
        [instance.product_id],
        listings=False,
        extra=_category_versions([path] if path else []),
    )


def _product_categories_written(sender, pks, **kwargs):
    rows = list(
        ProductCategory._base_manager.filter(pk__in=pks).values_list(
            "product_id", "category__path"
        )
    )
    products_changed(
        {product_id for product_id, _ in rows},
        listings=False,
        extra=_category_versions(path for _, path in rows),
    )


pre_save.connect(
    _product_category_pre_save, sender=ProductCategory, dispatch_uid="catalog-cache-pre"
)
watch(
    ProductCategory,
    "its product's page; the listings of the category and its ancestors",
    saved=_product_category_saved,
    deleted=_product_category_deleted,
    bulk=_product_categories_written,
)


# --- layout-level: everything -----------------------------------------------------


def _category_changed(**kwargs):
    catalog_invalidate([GLOBAL], before=category_menu_invalidate)


def _booth_changed(**kwargs):
    catalog_invalidate([GLOBAL], before=open_partner_ids_invalidate)


watch(
    Category,
    "everything (menu, breadcrumbs, listings), after the category menu",
    saved=_category_changed,
    bulk=_category_changed,
)
watch(
    Seller,
    "everything (open booths, names, holidays, districts), after the open-booth set",
    saved=_booth_changed,
    bulk=_booth_changed,
)
watch(District, "everything (booth and product pages print the district)")
watch(Partner, "everything (every card and page reads its booth through it)")
watch(ProductClass, "everything (product pages read it)")


# --- buyers' reviews (product and booth pages) ---------------------------------------


def _reviews_changed(reviews) -> None:
    keys: set[str] = set()
    for partner_id, product_id in reviews:
        if partner_id:
            keys.add(listing_booth_version(partner_id))
        if product_id:
            keys.add(product_version(product_id))
    if keys:
        catalog_invalidate(keys)


def _review_saved(sender, instance, **kwargs):
    _reviews_changed([(instance.seller.partner_id, instance.product_id)])


def _reviews_written(sender, pks, **kwargs):
    _reviews_changed(
        Review.objects.filter(pk__in=pks).values_list(
            "seller__partner_id", "product_id"
        )
    )


watch(
    Review,
    "its product's page and its booth's pages (published reviews, the average)",
    saved=_review_saved,
    bulk=_reviews_written,
)
