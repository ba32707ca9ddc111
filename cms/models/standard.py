from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import EditorialStreamBlock


class StandardPage(Page):
    """A page of words: about us, the programmes (in words that label no one),
    how to sell here, contact, terms, privacy. Pages may nest (a section and
    its pages)."""

    summary = models.CharField("خلاصه", max_length=300, blank=True)
    body = StreamField(EditorialStreamBlock(), verbose_name="متن", blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = "صفحهٔ متنی"
        verbose_name_plural = "صفحه‌های متنی"
