"""Public sitemap: only public things (live products, public categories, open
booths, live Wagtail pages that may be public), under the address of Wagtail's
default Site (`marketplace.site_url`), never Django's `example.com`."""

from django.contrib.sitemaps import Sitemap
from wagtail.models import Page

from catalog.models import Category
from catalog.selectors import product_list_public
from cms.models import StoryPage
from marketplace.site_url import site_scheme_and_host
from sellers.selectors import seller_list_public


class SiteSitemap(Sitemap):
    """Absolute URLs on the Wagtail Site's scheme and host."""

    def get_urls(self, page=1, site=None, protocol=None):
        scheme, host = site_scheme_and_host()
        return self._urls(page, scheme, host)


class ProductSitemap(SiteSitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return product_list_public().order_by("pk").prefetch_related(None)

    def lastmod(self, product):
        return product.date_updated


class CategorySitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Category.objects.browsable().order_by("path")


class BoothSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return seller_list_public().order_by("pk")


class PageSitemap(SiteSitemap):
    """Live, unrestricted Wagtail pages, less the stories whose booth has not
    consented (such a page is never served, see `StoryPage.serve`)."""

    changefreq = "weekly"

    def items(self):
        hidden = StoryPage.objects.filter(seller__story_consent=False).values("pk")
        pages = (
            Page.objects.live()
            .public()
            .filter(depth__gt=1)
            .exclude(pk__in=hidden)
            .order_by("path")
        )
        # A page outside every site's root has no public address.
        return [page for page in pages if page.get_url_parts() is not None]

    def location(self, page):
        return page.get_url_parts()[2]

    def lastmod(self, page):
        return page.last_published_at


SITEMAPS = {
    "pages": PageSitemap,
    "products": ProductSitemap,
    "categories": CategorySitemap,
    "booths": BoothSitemap,
}
