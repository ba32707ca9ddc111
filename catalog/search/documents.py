"""What a search document holds, built in one place for both backends.

The dignity rule and staff privacy are enforced here by construction: a document
is built field by field from public product and booth data (title, category
names, booth brand name, description, materials, price, fulfilment, the booth's
province and Tehran district, where it delivers, booth kind). Never a case-file field, a mentoring note, a moderation coaching
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
from decimal import Decimal
from functools import cache
from urllib.parse import quote

from django.urls import reverse
from django.utils.html import strip_tags

from catalog.models import Category, Product, ProductCategory
from catalog.selectors import product_list_public
from orders.parts import delivery_choices
from sellers.models import DeliveryOption, Seller
from sellers.partner.models import StockRecord

from .base import REGIONS
from .normalize import expand, prefixes, tokens

# Treebeard's materialised path: 4 characters a level (Oscar's Category.steplen).
PATH_STEP = 4


@cache
def _url_pattern() -> str:
    sample = reverse("catalogue:detail", kwargs={"product_slug": "SLUG", "pk": 12345})
    return (
        sample.replace("{", "{{")
        .replace("}", "}}")
        .replace("SLUG", "{slug}")
        .replace("12345", "{pk}")
    )


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


def booth_reach(seller_ids: Iterable[int]) -> dict[int, list[str]]:
    """{booth id: the regions (`base.REGIONS`) she delivers to}, by the one rule
    of which delivery option applies to which address
    (`orders.parts.delivery_choices`), asked once for an address in Tehran and
    once for one outside it. Two queries, however many booths."""
    sellers = list(
        Seller.objects.filter(pk__in=set(seller_ids)).select_related(
            "province", "centre"
        )
    )
    options: dict[int, list[DeliveryOption]] = {s.pk: [] for s in sellers}
    for option in DeliveryOption.objects.filter(seller__in=sellers).order_by("pk"):
        options[option.seller_id].append(option)
    return {
        seller.pk: [
            region
            for region, in_tehran in REGIONS.items()
            if delivery_choices(
                seller, options[seller.pk], Decimal(0), address_in_tehran=in_tehran
            )
        ]
        for seller in sellers
    }


def _rows(ids: list[int]) -> Iterator[tuple[dict, dict | None, list[str]]]:
    """(product, its stock record with the booth's public fields and where she
    delivers, its category paths) for these products, as plain values: five
    queries, no product instances (indexing 100,000 products must take minutes,
    not tens of them)."""
    products = Product.objects.filter(pk__in=ids).values(
        "id",
        "title",
        "slug",
        "description",
        "materials",
        "fulfilment",
        "date_created",
    )
    records: dict[int, dict] = {}
    for record in (
        StockRecord.objects.filter(product_id__in=ids)
        .order_by("id")
        .values(
            "product_id",
            "price",
            "partner_id",
            "partner__seller__brand_name",
            "partner__seller__id",
            "partner__seller__kind",
            "partner__seller__district__number",
            "partner__seller__province__code",
        )
    ):
        records.setdefault(record["product_id"], record)
    reach = booth_reach(
        r["partner__seller__id"] for r in records.values() if r["partner__seller__id"]
    )
    for record in records.values():
        record["ships_to"] = reach.get(record["partner__seller__id"], [])
    paths: dict[int, list[str]] = {}
    for product_id, path in (
        ProductCategory.objects.filter(product_id__in=ids)
        .order_by("category__path")
        .values_list("product_id", "category__path")
    ):
        paths.setdefault(product_id, []).append(path)
    for product in products.order_by("id"):
        yield product, records.get(product["id"]), paths.get(product["id"], [])


def _category_paths(leaf_paths: list[str]) -> list[str]:
    found: dict[str, None] = {}
    for path in leaf_paths:
        for end in range(PATH_STEP, len(path) + 1, PATH_STEP):
            found[path[:end]] = None
    return list(found)


def _product_url(product: dict) -> str:
    """Oscar's `Product.get_absolute_url`, without a `reverse` a product."""
    return _url_pattern().format(slug=quote(product["slug"]), pk=product["id"])


def product_document(
    product: dict,
    record: dict | None,
    leaf_paths: list[str],
    categories: dict[str, CategoryInfo],
) -> dict:
    """The search document of one live product (rows from `_rows`)."""
    record = record or {}
    paths = _category_paths(leaf_paths)
    category_names = " ".join(categories[p].name for p in paths if p in categories)
    title = tokens(product["title"])
    price = record.get("price")
    doc = {
        "id": product["id"],
        "title": product["title"],
        "url": _product_url(product),
        "title_words": " ".join(expand(title)),
        "category_words": " ".join(expand(tokens(category_names))),
        "booth_words": " ".join(
            expand(tokens(record.get("partner__seller__brand_name") or ""))
        ),
        "body_words": " ".join(
            expand(tokens(strip_tags(product["description"] or "")))
            + expand(tokens(product["materials"]))
        ),
        "title_prefixes": prefixes(expand(title)),
        "category_paths": paths,
        "district": record.get("partner__seller__district__number"),
        "province": record.get("partner__seller__province__code") or "",
        "ships_to": record.get("ships_to", []),
        "price": int(price) if price is not None else None,
        "fulfilment": product["fulfilment"],
        "seller_kind": record.get("partner__seller__kind") or "",
        "partner_id": record.get("partner_id") or 0,
        "date_created": product["date_created"].isoformat(),
    }
    doc["fingerprint"] = hashlib.sha1(  # noqa: S324  (a change detector, not security)
        json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return doc


def _documents(ids: list[int], categories: dict[str, CategoryInfo]) -> list[dict]:
    return [
        product_document(product, record, paths, categories)
        for product, record, paths in _rows(ids)
    ]


def documents_for(
    ids: Iterable[int] | None = None, *, batch: int = 1000
) -> Iterator[list[dict]]:
    """Documents of the live products among `ids` (all live products if None),
    in batches, by id. Liveness is `product_list_public`'s rule, nothing else."""
    categories = category_infos()
    live = product_list_public().order_by("id").values_list("id", flat=True)
    if ids is not None:
        ids = sorted(set(ids))
        for start in range(0, len(ids), batch):
            chunk = list(live.filter(pk__in=ids[start : start + batch]))
            if chunk:
                yield _documents(chunk, categories)
        return
    last = 0
    while True:
        chunk = list(live.filter(pk__gt=last)[:batch])
        if not chunk:
            return
        last = chunk[-1]
        yield _documents(chunk, categories)


def live_product_count() -> int:
    return product_list_public().count()
