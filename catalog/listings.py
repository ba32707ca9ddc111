"""Catalogue reads kept in the cache between changes: a listing's ordered
product ids, and the product a product page shows.

At 100,000 products the cost of a category page is its SQL: the COUNT behind
"page N of M" (~0.1 s for a 15,000-product category) and, on a deep page, the
OFFSET scan (~0.1 s on page 200). Both answer questions about the same ordered
list of ids, so the listing reads that list once (one query, ~0.1 s) and keeps
it, packed as 4 bytes an id (product ids are 32-bit AutoFields), tagged with the
global version and the listing versions it depends on (`catalog.cache_version`:
every product, a category subtree, a booth). Those are bumped only when a product
joins or leaves the listing or its order key changes (`catalog.receivers`), so a
sale that leaves a product listed rebuilds nothing here. Every page, and the
count, is then a slice of it; the cards come from `catalog.cards`, each under its
product's version.

`LISTING_CACHE_SECONDS` bounds what a missed signal can leave stale; 0 turns it
off (the paginator counts and slices the queryset, as Django does).
"""

from __future__ import annotations

import hashlib
import logging
from array import array
from collections.abc import Callable, Sequence
from functools import cached_property

from django.conf import settings
from django.db.models import QuerySet

from .cache_version import (
    LISTING_ALL,
    catalog_cached,
    depends_on,
    listing_booth_version,
    product_version,
    stock_version,
)
from .models import Product
from .selectors import product_get_for_detail, product_list_more_from_booth

logger = logging.getLogger(__name__)


class ListingIds(Sequence):
    """The ids of `queryset`, in its order, read through the cache.

    `queryset` may be a function returning it: then it is built only on a miss.

    `name` must say everything the queryset depends on besides the catalogue
    itself (the view passes its path and filters). `versions`: the listing
    versions whose products it can hold; the default, every product's, is always
    right, a narrower one (a category's, a booth's) is rebuilt less often. Django's
    Paginator counts it with `len` and pages it with slices, which return lists
    of ids.
    """

    def __init__(
        self,
        queryset: QuerySet[Product] | Callable[[], QuerySet[Product]],
        *,
        name: str,
        versions: Sequence[str] = (LISTING_ALL,),
    ) -> None:
        self.queryset = queryset
        self.name = name
        self.versions = tuple(versions)

    @cached_property
    def _ids(self) -> array:
        def packed_ids() -> bytes:
            queryset = (
                self.queryset
                if isinstance(self.queryset, QuerySet)
                else self.queryset()
            )
            return array("I", queryset.values_list("pk", flat=True)).tobytes()

        seconds = getattr(settings, "LISTING_CACHE_SECONDS", 0)
        if seconds:
            digest = hashlib.sha256(self.name.encode()).hexdigest()
            packed = catalog_cached(
                f"listing:v3:{digest}", packed_ids, seconds, versions=self.versions
            )
        else:
            depends_on(self.versions)
            packed = packed_ids()
        ids = array("I")
        ids.frombytes(packed)
        return ids

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index):
        found = self._ids[index]
        return found.tolist() if isinstance(found, array) else found


def product_listing(
    build: Callable[[], QuerySet[Product]],
    *,
    name: str,
    versions: Sequence[str] = (LISTING_ALL,),
) -> ListingIds | QuerySet[Product]:
    """What a listing page paginates: its ids through the cache (`ListingIds`,
    which says what `versions` means) when LISTING_CACHE_SECONDS is on, else the
    queryset `build` returns."""
    if not getattr(settings, "LISTING_CACHE_SECONDS", 0):
        depends_on(versions)
        return build()
    return ListingIds(build, name=name, versions=versions)


def product_get_for_page(pk: int) -> Product | None:
    """`product_get_for_detail`, read through the cache: the product with its stock
    record, booth and photos, pickled under its product, stock and global versions
    (so a change to any of them is read fresh), for LISTING_CACHE_SECONDS. None if
    not live."""
    versions = [product_version(pk), stock_version(pk)]
    seconds = getattr(settings, "LISTING_CACHE_SECONDS", 0)
    if not seconds:
        depends_on(versions)
        return product_get_for_detail(pk=pk)
    return catalog_cached(
        f"product:v3:{int(pk)}",
        lambda: product_get_for_detail(pk=pk),
        seconds,
        versions=versions,
    )


def product_ids_more_from_booth(product: Product) -> ListingIds | QuerySet[Product]:
    """`product_list_more_from_booth` as a `product_listing` over her booth."""
    record = next(iter(product.stockrecords.all()), None)
    return product_listing(
        lambda: product_list_more_from_booth(product=product),
        name=f"more-from-booth|{product.pk}",
        versions=[listing_booth_version(record.partner_id)] if record else [],
    )
