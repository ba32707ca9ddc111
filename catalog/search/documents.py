"""What a search document holds, built in one place for both backends.

The dignity rule and staff privacy are enforced here by construction: a document
is built field by field from public product and booth data (title, category
names, booth brand name, description, materials, price, fulfilment, district,
booth kind). Never a case-file field, a mentoring note, a moderation coaching
note, who created the product, the booth's programme or status reason; a test
(tests/catalog/search/test_documents.py) searches for a word planted in each of
them and finds nothing.

Only products that are live by `catalog.selectors.product_list_public` (public,
not paused or deleted, approved by moderation, of an approved booth) get a
document.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.html import strip_tags
from oscar.apps.partner.models import StockRecord

from catalog.models import Category, Product
from catalog.selectors import product_list_public

from .normalize import expand, prefixes, tokens

# Treebeard's materialised path: 4 characters a level (Oscar's Category.steplen).
PATH_STEP = 4


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    name: str
    path: str
    url: str


def category_infos() -> dict[str, CategoryInfo]:
    """Every category by its path (a few dozen rows): names for documents and
    labels for the category facet."""
    return {
        c.path: CategoryInfo(c.pk, c.name, c.path, c.get_absolute_url())
        for c in Category.objects.only("id", "name", "path", "slug", "depth")
    }


def live_products() -> QuerySet[Product]:
    """Live products with what a document reads (3 queries a batch)."""
    return (
        product_list_public()
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "stockrecords",
                queryset=StockRecord.objects.select_related(
                    "partner__seller__district"
                ).only(
                    "id",
                    "product_id",
                    "price",
                    "partner_id",
                    "partner__id",
                    "partner__seller__id",
                    "partner__seller__partner_id",
                    "partner__seller__brand_name",
                    "partner__seller__kind",
                    "partner__seller__district__number",
                ),
            ),
            Prefetch("categories", queryset=Category.objects.only("id", "path")),
        )
        .only(
            "id",
            "title",
            "slug",
            "description",
            "materials",
            "fulfilment",
            "date_created",
            "product_class_id",
            "product_class__id",
        )
        .order_by("id")
    )


def _category_paths(product: Product) -> list[str]:
    paths: dict[str, None] = {}
    for category in sorted(product.categories.all(), key=lambda c: c.path):
        for end in range(PATH_STEP, len(category.path) + 1, PATH_STEP):
            paths[category.path[:end]] = None
    return list(paths)


def product_document(product: Product, categories: dict[str, CategoryInfo]) -> dict:
    """The search document of one live product (from `live_products`)."""
    record = next(iter(product.stockrecords.all()), None)
    seller = getattr(record.partner, "seller", None) if record else None
    paths = _category_paths(product)
    category_names = " ".join(categories[p].name for p in paths if p in categories)
    title = tokens(product.title)
    description = strip_tags(product.description or "")
    doc = {
        "id": product.pk,
        "title": product.title,
        "url": product.get_absolute_url(),
        "title_words": " ".join(expand(title)),
        "category_words": " ".join(expand(tokens(category_names))),
        "booth_words": " ".join(expand(tokens(seller.brand_name if seller else ""))),
        "body_words": " ".join(
            expand(tokens(description)) + expand(tokens(product.materials))
        ),
        "title_prefixes": prefixes(expand(title)),
        "category_paths": paths,
        "district": seller.district.number if seller and seller.district else None,
        # Sellers have no province yet (only a Tehran district); when they do,
        # this is the one line to change: the mapping, the facet and the DB
        # column already carry it.
        "province": "",
        "price": int(record.price) if record and record.price is not None else None,
        "fulfilment": product.fulfilment,
        "seller_kind": seller.kind if seller else "",
        "partner_id": record.partner_id if record else 0,
        "date_created": product.date_created.isoformat(),
    }
    doc["fingerprint"] = hashlib.sha1(  # noqa: S324  (a change detector, not security)
        json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return doc


def documents_for(
    ids: Iterable[int] | None = None, *, batch: int = 1000
) -> Iterator[list[dict]]:
    """Documents of the live products among `ids` (all live products if None),
    in batches, by id."""
    categories = category_infos()
    base = live_products()
    if ids is not None:
        ids = sorted(set(ids))
        for start in range(0, len(ids), batch):
            chunk = base.filter(pk__in=ids[start : start + batch])
            yield [product_document(p, categories) for p in chunk]
        return
    last = 0
    while True:
        chunk = list(base.filter(pk__gt=last)[:batch])
        if not chunk:
            return
        last = chunk[-1].pk
        yield [product_document(p, categories) for p in chunk]


def live_product_count() -> int:
    return product_list_public().count()
