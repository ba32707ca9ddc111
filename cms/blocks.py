"""StreamField blocks of the editorial pages.

Kept stable on purpose, in one module: every editorial StreamField uses
`EditorialStreamBlock`, so its definition is written once. Wagtail (6.2+) stores
a StreamField in a migration as a compact `block_lookup`, so changing an option
here makes a small migration, not the 197 KB ones of wagtail#3710. Renaming a
block type (`heading`, `paragraph`, ...) or a StructBlock's child changes stored
content: that needs a data migration (wagtail-streamfield-migration-toolkit);
adding a block type does not. Text blocks allow a short list of rich-text
features: no embeds, no raw HTML.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="تصویر")
    caption = blocks.CharBlock(label="توضیح تصویر", required=False, max_length=200)

    class Meta:
        icon = "image"
        label = "تصویر"
        template = "cms/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="نقل قول", max_length=600)
    attribution = blocks.CharBlock(label="گوینده", required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = "نقل قول"
        template = "cms/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="متن دکمه", max_length=80)
    page = blocks.PageChooserBlock(label="صفحه", required=False)
    url = blocks.URLBlock(label="یا نشانی", required=False)

    class Meta:
        icon = "link"
        label = "دکمه"
        template = "cms/blocks/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError("یک صفحه یا یک نشانی بدهید.")}
            )
        return value


class EditorialStreamBlock(blocks.StreamBlock):
    """The editorial body of the home, story and standard pages."""

    heading = blocks.CharBlock(
        label="عنوان بخش",
        max_length=120,
        form_classname="title",
        icon="title",
        template="cms/blocks/heading.html",
    )
    paragraph = blocks.RichTextBlock(label="متن", features=RICH_TEXT_FEATURES)
    image = ImageWithCaptionBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        label = "بخش‌ها"
