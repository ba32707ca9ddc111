"""Read queries of the seller panel's product pages, each a fixed number of
queries whatever the number of products."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from sellers.models import Seller

from .listings import ListingIds, product_listing
from .models import Category, Product, ProductImage


def _images() -> Prefetch:
    # Every photo, whatever its state: she sees the ones still being processed.
    return Prefetch(
        "images", queryset=ProductImage.objects.order_by("display_order", "id")
    )


def product_list_for_seller(*, seller: Seller) -> QuerySet[Product]:
    """Her products that are not deleted, newest first, with who listed each, its
    stock record and photos: 4 queries with the paginator's count (count,
    products, stock records, images) whatever the page size."""
    return (
        Product.objects.filter(
            stockrecords__partner_id=seller.partner_id,
            deleted_at__isnull=True,
            parent__isnull=True,
        )
        .select_related("created_by", "product_class")
        .prefetch_related("stockrecords", _images())
        .order_by("-date_created", "-id")
    )


def product_page_for_seller(*, seller: Seller, page, per_page: int) -> Page:
    """One page of `product_list_for_seller` (`page` as typed; a bad one is the
    first or last page). Her listing's ids go through the catalogue cache
    (catalog.listings), so a booth with thousands of products is not counted again
    on every visit (~35 ms at 2,800 of 100,000 products), yet any change to one of
    them shows at once; the page's rows are read fresh: 3 queries on a hit."""
    listing = product_listing(
        lambda: product_list_for_seller(seller=seller), name=f"panel|{seller.pk}"
    )
    page_obj = Paginator(listing, per_page).get_page(page)
    if isinstance(listing, ListingIds):
        ids = list(page_obj.object_list)
        rows = product_list_for_seller(seller=seller).filter(pk__in=ids)
        by_id = {product.pk: product for product in rows}
        page_obj.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page_obj


def product_for_seller(*, seller: Seller, product_id: int) -> Product | None:
    """One of her products (not deleted), or None: the panel's 404 rule."""
    return (
        product_list_for_seller(seller=seller)
        .prefetch_related("categories")
        .filter(pk=product_id)
        .first()
    )


def product_list_needing_attention(*, seller: Seller, limit: int = 5) -> list[Product]:
    """Products staff sent back with a coaching note, for her panel home (one
    query)."""
    return list(
        Product.objects.filter(
            stockrecords__partner_id=seller.partner_id,
            deleted_at__isnull=True,
            moderation_status=Product.Moderation.RETURNED,
        )
        .only("id", "title", "moderation_note", "date_updated")
        .order_by("-date_updated", "-id")[:limit]
    )


def category_choices() -> list[tuple]:
    """Leaf categories a product can be filed under, grouped by their top-level
    category (for `<optgroup>`s), in one query. A top-level category without
    children is a choice of its own."""
    categories = list(
        Category.objects.browsable()
        .order_by("path")
        .only("id", "name", "path", "depth", "numchild")
    )
    steplen = Category.steplen
    names = {category.path: category.name for category in categories}
    groups: dict[str, list[tuple[int, str]]] = {}
    roots: list[Category] = []
    for category in categories:
        if category.depth == 1:
            roots.append(category)
            groups.setdefault(category.path, [])
        if category.numchild:
            continue
        if category.depth == 1:
            continue
        root_path = category.path[:steplen]
        middle = [
            names.get(category.path[: steplen * depth], "")
            for depth in range(2, category.depth)
        ]
        label = " › ".join([*filter(None, middle), category.name])
        groups.setdefault(root_path, []).append((category.pk, label))
    choices: list[tuple] = []
    for root in roots:
        if root.numchild and groups.get(root.path):
            choices.append((root.name, groups[root.path]))
        elif not root.numchild:
            choices.append((root.pk, root.name))
    return choices
