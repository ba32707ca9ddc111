"""Catalogue pages, served from the database (no Haystack).

Thin views: the queries live in `catalog.selectors`, the price and availability
rule in the partner strategy.
"""

from urllib.parse import unquote

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from .forms import ProductFilterForm
from .models import Category
from .selectors import (
    product_get_for_detail,
    product_list_filtered,
    product_list_more_from_booth,
)


class ProductListMixin:
    paginate_by = 24
    context_object_name = "products"

    def get_filter_form(self) -> ProductFilterForm:
        if not hasattr(self, "_filter_form"):
            self._filter_form = ProductFilterForm(self.request.GET or None)
        return self._filter_form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.get_filter_form()
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class CatalogueView(ProductListMixin, ListView):
    """All live products."""

    template_name = "oscar/catalogue/browse.html"

    def get_queryset(self):
        return product_list_filtered(filters=self.get_filter_form().to_filters())


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

    def get_queryset(self):
        return product_list_filtered(
            category=self.category, filters=self.get_filter_form().to_filters()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        return context


class ProductDetailView(TemplateView):
    """One live product: gallery, price, availability, booth card, more from the booth."""

    template_name = "oscar/catalogue/detail.html"

    def get(self, request, *args, **kwargs):
        product = product_get_for_detail(pk=kwargs["pk"])
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
        context.update(
            product=product,
            seller=getattr(record.partner, "seller", None) if record else None,
            more_from_booth=product_list_more_from_booth(product=product),
        )
        return context
