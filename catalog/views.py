"""Catalogue pages, served from the database (no Haystack).

Thin views: the queries live in `catalog.selectors`, the price and availability
rule in the partner strategy.
"""

from urllib.parse import unquote

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from marketplace.page_cache import anonymous_page_cache
from orders.reviews.services import booth_rating_for_page, product_reviews_for_page

from .cache_version import LISTING_ALL, listing_category_version
from .forms import filter_form_state
from .listings import (
    product_get_for_page,
    product_ids_more_from_booth,
    product_listing,
)
from .models import Category
from .selectors import ProductFilters, product_list_filtered

# The pages below are served from the anonymous page cache
# (marketplace.page_cache) to visitors with nothing personal; each listing's
# ids are cached under the listing versions it can change with.


class ProductListMixin:
    paginate_by = 24
    context_object_name = "products"

    def get_filters(self) -> ProductFilters:
        return filter_form_state(self.request.GET)[0]

    #: The listing versions its products can come from (catalog.cache_version).
    def get_listing_versions(self) -> list[str]:
        return [LISTING_ALL]

    def get_product_queryset(self):
        """The listing's products (subclasses say which)."""
        raise NotImplementedError

    def get_queryset(self):
        filters = self.get_filters()
        if filters.min_price is not None or filters.max_price is not None:
            # Any amount can be typed: one cache entry per amount would let
            # anyone fill the cache. A price range is a narrower query anyway.
            return self.get_product_queryset()
        # Besides the catalogue, the listing depends on its path and filters only.
        return product_listing(
            self.get_product_queryset,
            name=f"{self.request.path}|{filters!r}",
            versions=self.get_listing_versions(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form_html"] = filter_form_state(self.request.GET)[1]
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


@anonymous_page_cache
class CatalogueView(ProductListMixin, ListView):
    """All live products."""

    template_name = "oscar/catalogue/browse.html"

    def get_product_queryset(self):
        return product_list_filtered(filters=self.get_filters())


@anonymous_page_cache
class ProductCategoryView(ProductListMixin, ListView):
    """Live products in a category and its subcategories."""

    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category.objects.browsable(), pk=kwargs["pk"])
        expected = self.category.get_absolute_url()
        if unquote(request.path) != unquote(expected):
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                expected + (f"?{query}" if query else "")
            )
        return super().get(request, *args, **kwargs)

    def get_listing_versions(self) -> list[str]:
        return [listing_category_version(self.category.path)]

    def get_product_queryset(self):
        return product_list_filtered(category=self.category, filters=self.get_filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        return context


@anonymous_page_cache
class ProductDetailView(TemplateView):
    """One live product: gallery, price, availability, booth card, more from the booth."""

    template_name = "oscar/catalogue/detail.html"

    def get(self, request, *args, **kwargs):
        product = product_get_for_page(kwargs["pk"])
        if product is None:
            raise Http404("محصول پیدا نشد")
        expected = product.get_absolute_url()
        if unquote(request.path) != unquote(expected):
            return HttpResponsePermanentRedirect(expected)
        self.product = product
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.product
        record = next(iter(product.stockrecords.all()), None)
        seller = getattr(record.partner, "seller", None) if record else None
        context.update(
            product=product,
            seller=seller,
            more_from_booth=product_ids_more_from_booth(product),
            # published reviews only, her first name only (orders.reviews)
            reviews=product_reviews_for_page(
                product_id=product.pk, partner_id=record.partner_id
            )
            if record
            else [],
            booth_rating=booth_rating_for_page(
                seller_id=seller.pk, partner_id=seller.partner_id
            )
            if seller
            else None,
        )
        return context
