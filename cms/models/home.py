from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from catalog.listings import product_listing
from catalog.models import Category
from catalog.selectors import category_menu, product_list_public
from cms.blocks import EditorialStreamBlock
from sellers.selectors import seller_list_public

#: How many booths the home page shows when editors chose none.
NEWEST_BOOTHS = 6


class HomePage(Page):
    """The site root at `/`: a hero, the editors' blocks, and featured
    categories, booths and products (the editors' choice, or else the menu's
    categories, the newest booths and the newest work)."""

    hero_title = models.CharField(
        "عنوان", max_length=200, default="بازارچه دستاوردهای زنان شهر تهران"
    )
    hero_text = models.TextField(
        "متن معرفی",
        blank=True,
        default="دست‌سازه‌های زنان کارآفرین تهران، از خانه‌هایشان به خانهٔ شما.",
    )
    body = StreamField(EditorialStreamBlock(), verbose_name="بخش‌ها", blank=True)
    newest_count = models.PositiveSmallIntegerField("تعداد محصولات تازه", default=12)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text")], "سرصفحه"),
        FieldPanel("body"),
        InlinePanel("featured_categories", label="دسته‌های برگزیده"),
        InlinePanel("featured_booths", label="غرفه‌های برگزیده"),
        InlinePanel("featured_products", label="محصولات برگزیده"),
        FieldPanel("newest_count"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("hero_title"),
        index.SearchField("hero_text"),
        index.SearchField("body"),
    ]
    # The home page is the one root; everything else hangs below it.
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.BazaarIndexPage", "cms.StoryIndexPage", "cms.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = "صفحهٔ اصلی"

    def featured_category_links(self) -> list[dict]:
        chosen = [
            item.category
            for item in self.featured_categories.select_related("category")
            if item.category.is_public
        ]
        if not chosen:
            return category_menu()
        return [{"name": c.name, "url": c.get_absolute_url()} for c in chosen]

    def featured_booth_list(self) -> list:
        chosen_ids = list(self.featured_booths.values_list("seller_id", flat=True))
        booths = seller_list_public()
        if chosen_ids:
            by_id = {s.pk: s for s in booths.filter(pk__in=chosen_ids)}
            return [by_id[pk] for pk in chosen_ids if pk in by_id]
        return list(booths.order_by("-approved_at", "-pk")[:NEWEST_BOOTHS])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = self.featured_category_links()
        context["booths"] = self.featured_booth_list()
        chosen_ids = list(self.featured_products.values_list("product_id", flat=True))
        if chosen_ids:
            live = set(
                product_list_public()
                .filter(pk__in=chosen_ids)
                .values_list("pk", flat=True)
            )
            context["featured_products"] = [pk for pk in chosen_ids if pk in live]
        # The pages of words (about, how to sell here, ...) and the sections.
        context["sections"] = self.get_children().live().public().in_menu()
        count = self.newest_count
        context["newest_products"] = product_listing(
            lambda: product_list_public().order_by("-date_created", "-id")[:count],
            name=f"home-newest|{count}",
        )
        return context


class HomeFeaturedCategory(Orderable):
    page = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_categories"
    )
    # related_name="+": a category needs no way back to the pages featuring it.
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", verbose_name="دسته"
    )
    panels = [FieldPanel("category")]


class HomeFeaturedBooth(Orderable):
    page = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_booths"
    )
    seller = models.ForeignKey(
        "sellers.Seller",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="غرفه",
    )
    panels = [FieldPanel("seller")]


class HomeFeaturedProduct(Orderable):
    page = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_products"
    )
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="محصول",
    )
    panels = [FieldPanel("product")]
