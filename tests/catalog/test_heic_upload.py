"""A HEIC photo from a phone, end to end through the seller panel: made here with
pillow-heif from a generated scene carrying EXIF orientation and a GPS position,
it comes out upright, as WebP and JPEG variants, with no EXIF at all."""

from __future__ import annotations

import io

import pillow_heif
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from catalog.models import Product, ProductImage
from marketplace import images
from tests.catalog import photo_samples as samples

pytestmark = pytest.mark.django_db

# The scene's red block is top left, its blue block top right; the phone held it
# turned (orientation 6), so upright it is 900 × 1200 with blue top left.
UPRIGHT = {
    "top_left": "blue",
    "top_right": "red",
    "bottom_left": "other",
    "bottom_right": "other",
}


def test_pillow_heif_is_installed_and_registered():
    # Pinned in requirements.txt: a missing install fails here, not as a skip.
    assert images.HEIF_SUPPORTED
    assert "HEIF" in Image.OPEN
    assert {".heic", ".heif"} <= set(Image.registered_extensions())


def heic_from_a_phone() -> bytes:
    data = samples.heic_photo((1200, 900), orientation=6)
    # What the phone wrote, so that its removal below means something.
    exif = Image.Exif()
    exif.load(pillow_heif.open_heif(io.BytesIO(data)).info["exif"])
    assert exif[ExifTags.Base.Orientation] == 6
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert data[4:12] == b"ftypheic"
    return data


@pytest.mark.parametrize("content_type", ["image/heic", "image/heif"])
def test_a_heic_photo_from_the_panel_comes_out_upright_and_clean(
    client,
    panel_booth,
    bracelet_category,
    django_capture_on_commit_callbacks,
    content_type,
):
    seller, owner = panel_booth
    client.force_login(owner)
    upload = SimpleUploadedFile("IMG_0001.HEIC", heic_from_a_phone(), content_type)
    data = {
        "title": "دستبند چرم دست‌دوز",
        "description": "چرم طبیعی، دوخت دست",
        "category": str(bracelet_category.pk),
        "price": "۱۵۰٬۰۰۰",
        "fulfilment": "ready",
        "num_in_stock": "۵",
        "preparation_days": "",
        "materials": "چرم گاوی",
        "shipping_weight_grams": "۱۲۰",
        "photos": [upload],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("catalog_panel:product_create", kwargs={"seller_id": seller.pk}),
            data,
        )
    assert response.status_code == 302
    (image,) = ProductImage.objects.filter(product=Product.objects.get())
    assert image.state == "ready", image.error
    assert image.variants
    for size, variant in image.variants.items():
        for fmt in ("webp", "jpeg"):
            with default_storage.open(variant[fmt], "rb") as handle:
                output = handle.read()
            samples.assert_no_metadata(output, fmt)
            picture = Image.open(io.BytesIO(output))
            assert picture.format == fmt.upper(), size
            width, height = picture.size
            assert height > width, size  # upright: the phone held it turned
            if size == "zoom":
                assert picture.size == (900, 1200)
                assert samples.corners(picture) == UPRIGHT
