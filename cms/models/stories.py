from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES, EditorialStreamBlock
from sellers.models import Seller

from .images import GalleryImage, gallery_of

NO_CONSENT = (
    "این غرفه اجازهٔ انتشار داستانش را نداده است؛ داستان را می‌توان پیش‌نویس کرد، "
    "ولی تا وقتی خودش از پنل غرفه اجازه ندهد منتشر نمی‌شود."
)


class StoryIndexPage(Page):
    """The stories, newest first: only those whose booth consents."""

    intro = RichTextField("معرفی", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.StoryPage"]
    max_count = 1

    class Meta:
        verbose_name = "فهرست داستان‌ها"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stories"] = (
            StoryPage.objects.child_of(self)
            .live()
            .public()
            .filter(seller__story_consent=True)
            .select_related("seller")
            .order_by("-first_published_at")
        )
        return context


class StoryPageForm(WagtailAdminPageForm):
    """Refuses to publish (the editor's "Publish" button) while the booth has
    not consented; saving a draft stays possible."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            # A new page is a draft until published (Wagtail sets this only after
            # validating, and `StoryPage.clean` refuses a live page without consent).
            self.instance.live = False

    def clean(self):
        cleaned = super().clean()
        seller = cleaned.get("seller")
        if (
            seller is not None
            and self.data.get("action-publish")
            and not seller.story_consent
        ):
            self.add_error("seller", forms.ValidationError(NO_CONSENT))
        return cleaned


class StoryPage(Page):
    """A booth's story (one woman's or a group's), told as she chooses, with photos.

    The consent rule: it may be public only while `Seller.story_consent` holds.
    She gives and withdraws it from her panel (`sellers.services.
    seller_story_consent_set`); withdrawing unpublishes it at once
    (`cms.receivers`). Publishing without consent is refused by the editor's
    form and by `clean` (Wagtail cleans a page as it publishes it), and `serve`
    answers 404 should a page ever be live without it."""

    seller = models.ForeignKey(
        Seller,
        on_delete=models.PROTECT,
        # The domain has no way back to its pages: it may not import them.
        related_name="+",
        verbose_name="غرفه",
    )
    summary = models.CharField("خلاصه", max_length=300, blank=True)
    body = StreamField(EditorialStreamBlock(), verbose_name="داستان", blank=True)

    base_form_class = StoryPageForm
    content_panels = Page.content_panels + [
        FieldPanel("seller"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("gallery_images", label="عکس‌ها"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "داستان"
        verbose_name_plural = "داستان‌ها"

    def may_be_public(self) -> bool:
        return self.seller.story_consent

    def clean(self):
        super().clean()
        if self.live and self.seller_id and not self.may_be_public():
            raise ValidationError({"seller": NO_CONSENT})

    def serve(self, request, *args, **kwargs):
        if not self.may_be_public():
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["gallery"] = gallery_of(self)
        context["booth_is_open"] = self.seller.is_public
        return context


class StoryPageGalleryImage(GalleryImage):
    page = ParentalKey(
        StoryPage, on_delete=models.CASCADE, related_name="gallery_images"
    )
