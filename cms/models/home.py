from django.db import models
from django.db.models import CharField, Value
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageViewRestriction
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

    def _chosen_ids(self) -> dict[str, list[int]]:
        """The editors' choices, each list in its order: one query for all three."""
        kinds = (
            ("category", self.featured_categories, "category_id"),
            ("booth", self.featured_booths, "seller_id"),
            ("product", self.featured_products, "product_id"),
        )
        # (sort order, row order, id): unordered rows keep the order they were added.
        chosen: dict[str, list[tuple[int, int, int]]] = {
            kind: [] for kind, _, _ in kinds
        }
        if not hasattr(self.featured_categories.all(), "union"):
            # A preview: the choices are in memory (modelcluster), not rows.
            for kind, manager, field in kinds:
                for index, item in enumerate(manager.all()):
                    chosen[kind].append(
                        (item.sort_order or 0, index, getattr(item, field))
                    )
        else:
            parts = [
                manager.annotate(kind=Value(kind, output_field=CharField()))
                .values_list("kind", field, "sort_order", "id")
                # No ORDER BY inside a UNION (SQLite refuses it); sorted below.
                .order_by()
                for kind, manager, field in kinds
            ]
            for kind, pk, order, row in parts[0].union(*parts[1:], all=True):
                chosen[kind].append((order or 0, row, pk))
        return {kind: [pk for *_, pk in sorted(rows)] for kind, rows in chosen.items()}

    def featured_category_links(self, chosen_ids: list[int]) -> list[dict]:
        if not chosen_ids:
            return category_menu()
        by_id = {
            c.pk: c for c in Category.objects.browsable().filter(pk__in=chosen_ids)
        }
        return [
            {"name": by_id[pk].name, "url": by_id[pk].get_absolute_url()}
            for pk in chosen_ids
            if pk in by_id
        ]

    def featured_booth_list(self, chosen_ids: list[int]) -> list:
        booths = seller_list_public()
        if chosen_ids:
            by_id = {s.pk: s for s in booths.filter(pk__in=chosen_ids)}
            return [by_id[pk] for pk in chosen_ids if pk in by_id]
        return list(booths.order_by("-approved_at", "-pk")[:NEWEST_BOOTHS])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        chosen = self._chosen_ids()
        context["categories"] = self.featured_category_links(chosen["category"])
        context["booths"] = self.featured_booth_list(chosen["booth"])
        if chosen["product"]:
            live = set(
                product_list_public()
                .filter(pk__in=chosen["product"])
                .values_list("pk", flat=True)
            )
            context["featured_products"] = [
                pk for pk in chosen["product"] if pk in live
            ]
        # The pages of words and the sections, in the menu and not restricted
        # (a restriction on one of them, in the same query).
        context["sections"] = (
            self.get_children()
            .live()
            .in_menu()
            .exclude(pk__in=PageViewRestriction.objects.values("page_id"))
        )
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
