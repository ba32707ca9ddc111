from django.db import models
from django.db.models import Prefetch
from wagtail.admin.panels import FieldPanel
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable


class CustomImage(AbstractImage):
    """Our image model from day one, so fields (alt text, credit) can be added
    later without the hand-written data migration Wagtail warns about. Its file
    is saved through the default storage (`marketplace.storage.MediaStorage`),
    which strips metadata and gives it a random name, like every upload."""

    alt_text = models.CharField("متن جایگزین", max_length=255, blank=True)

    admin_form_fields = Image.admin_form_fields + ("alt_text",)

    @property
    def default_alt_text(self):
        # Wagtail falls back to the title; editors' titles may be file names.
        return self.alt_text


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(
        CustomImage, on_delete=models.CASCADE, related_name="renditions"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


#: The galleries' rendition (prefetched with the images: one query for all).
GALLERY_FILTER = "fill-640x480"


class GalleryImage(Orderable):
    """A photo in a page's gallery; each page type adds its `page` ParentalKey."""

    image = models.ForeignKey(
        CustomImage, on_delete=models.CASCADE, related_name="+", verbose_name="عکس"
    )
    caption = models.CharField("توضیح", max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        abstract = True


def gallery_of(page) -> list:
    """A page's gallery with the images and their renditions: two queries,
    whatever the number of photos (the renditions go where Wagtail's
    `prefetch_renditions` puts them, so `{% image %}` finds them)."""
    return list(
        page.gallery_images.model.objects.filter(page_id=page.pk)
        .select_related("image")
        .prefetch_related(
            Prefetch(
                "image__renditions",
                queryset=CustomRendition.objects.filter(filter_spec=GALLERY_FILTER),
                to_attr="prefetched_renditions",
            )
        )
    )
