"""Public sitemap: only public things (live products, public categories, open booths)."""

from django.contrib.sitemaps import Sitemap

from catalog.models import Category
from catalog.selectors import product_list_public
from sellers.selectors import seller_list_public


class ProductSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return product_list_public().order_by("pk").prefetch_related(None)

    def lastmod(self, product):
        return product.date_updated


class CategorySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Category.objects.browsable().order_by("path")


class BoothSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return seller_list_public().order_by("pk")


SITEMAPS = {
    "products": ProductSitemap,
    "categories": CategorySitemap,
    "booths": BoothSitemap,
}
