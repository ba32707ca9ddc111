from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES
from sellers.models import Bazaar, BazaarStall, Seller

from .images import GalleryImage, gallery_of


def _stall_order(stall: BazaarStall) -> tuple[int, str]:
    # "2" before "10": stall numbers are typed as text.
    return (len(stall.stall_number), stall.stall_number)


class BazaarIndexPage(Page):
    """All bazaars, in three lists: running now, coming, and past (the phase is
    `sellers.models.Bazaar.phase`, the one rule of when a bazaar runs)."""

    intro = RichTextField("معرفی", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.BazaarPage"]
    max_count = 1

    class Meta:
        verbose_name = "فهرست بازارچه‌ها"

    def bazaar_pages(self):
        return (
            BazaarPage.objects.child_of(self)
            .live()
            .public()
            .select_related("bazaar", "bazaar__district")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        phases = {phase: [] for phase in Bazaar.Phase.values}
        for page in self.bazaar_pages():
            phases[page.bazaar.phase(today)].append(page)
        phases[Bazaar.Phase.RUNNING].sort(key=lambda p: p.bazaar.ends_on)
        phases[Bazaar.Phase.COMING].sort(key=lambda p: p.bazaar.starts_on)
        phases[Bazaar.Phase.PAST].sort(key=lambda p: p.bazaar.starts_on, reverse=True)
        context.update(
            running=phases[Bazaar.Phase.RUNNING],
            coming=phases[Bazaar.Phase.COMING],
            past=phases[Bazaar.Phase.PAST],
        )
        return context


class BazaarPage(Page):
    """The public page of one bazaar (`sellers.Bazaar`, where its dates, place
    and stalls live): its name, Jalali dates, hours, place, district and a map
    link, the approved booths at their stalls, an editorial intro and a gallery.

    Built in a fixed number of queries whatever the number of booths and photos
    (tests/cms/test_bazaar_pages.py pins it)."""

    bazaar = models.ForeignKey(
        Bazaar,
        on_delete=models.PROTECT,
        # related_name="+": the domain has no way back to its pages, as it may
        # not import them.
        related_name="+",
        verbose_name="بازارچه",
    )
    intro = RichTextField("معرفی", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("bazaar"),
        FieldPanel("intro"),
        InlinePanel("gallery_images", label="عکس‌ها"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.RelatedFields(
            "bazaar", [index.SearchField("name"), index.SearchField("place")]
        ),
    ]
    parent_page_types = ["cms.BazaarIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "صفحهٔ بازارچه"

    def clean(self):
        super().clean()
        if (
            self.bazaar_id
            and BazaarPage.objects.filter(bazaar_id=self.bazaar_id)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"bazaar": "این بازارچه صفحهٔ دیگری دارد."})

    def stalls(self) -> list[BazaarStall]:
        """The approved booths taking part, by stall number (one query)."""
        stalls = BazaarStall.objects.filter(
            Seller.public_q("seller__"), bazaar_id=self.bazaar_id
        ).select_related("seller")
        return sorted(stalls, key=_stall_order)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        bazaar = Bazaar.objects.select_related("district").get(pk=self.bazaar_id)
        context.update(
            bazaar=bazaar,
            phase=bazaar.phase(),
            stalls=self.stalls(),
            gallery=gallery_of(self),
        )
        return context


class BazaarPageGalleryImage(GalleryImage):
    page = ParentalKey(
        BazaarPage, on_delete=models.CASCADE, related_name="gallery_images"
    )


def bazaar_pages_coming(today=None):
    """Live bazaar pages whose bazaar has not ended (running or coming), soonest
    first: the feed's and the calendar's entries."""
    today = today or timezone.localdate()
    return (
        BazaarPage.objects.live()
        .public()
        .filter(bazaar__ends_on__gte=today)
        .select_related("bazaar", "bazaar__district")
        .order_by("bazaar__starts_on", "pk")
    )
