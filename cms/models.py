from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page

from catalog.listings import product_listing
from catalog.selectors import category_menu, product_list_public


class CustomImage(AbstractImage):
    """Our image model from day one, so fields (alt text, credit) can be added
    later without the hand-written data migration Wagtail warns about."""

    alt_text = models.CharField("متن جایگزین", max_length=255, blank=True)

    admin_form_fields = Image.admin_form_fields + ("alt_text",)


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(
        CustomImage, on_delete=models.CASCADE, related_name="renditions"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class HomePage(Page):
    """The site root at `/`: a welcome, the categories and the newest work."""

    hero_title = models.CharField(
        "عنوان", max_length=200, default="بازارچه دستاوردهای زنان شهر تهران"
    )
    hero_text = models.TextField(
        "متن معرفی",
        blank=True,
        default="دست‌سازه‌های زنان کارآفرین تهران، از خانه‌هایشان به خانهٔ شما.",
    )
    body = RichTextField("متن", blank=True)
    newest_count = models.PositiveSmallIntegerField("تعداد محصولات تازه", default=12)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
        FieldPanel("newest_count"),
    ]
    # The home page is the one root; everything else hangs below it.
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "صفحهٔ اصلی"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = category_menu()
        count = self.newest_count
        context["newest_products"] = product_listing(
            lambda: product_list_public().order_by("-date_created", "-id")[:count],
            name=f"home-newest|{count}",
        )
        return context
