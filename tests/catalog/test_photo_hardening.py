"""Issue 11, "also found": a PNG whose text chunk inflates to 200 MB was accepted
("saved"), then failed with a misleading "broken file"; failed photos were shown
on the edit page but not on the product list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import ProductImage
from marketplace.images import ImageRejected, image_check_upload
from tests.catalog.panel_fixtures import create_product
from tests.catalog.photo_samples import png_with_text_bomb, upload

pytestmark = pytest.mark.django_db


def test_a_png_with_a_huge_text_chunk_is_refused_at_upload_in_persian():
    with pytest.raises(ImageRejected) as info:
        image_check_upload(upload(png_with_text_bomb(200), "x.png", "image/png"))
    assert info.value.code == "too_much_text"
    assert "اطلاعات متنی" in info.value.message


def test_a_png_with_a_little_text_is_fine():
    image_check_upload(upload(png_with_text_bomb(0), "x.png", "image/png"))


def test_every_failed_photo_shows_on_the_product_list(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    product = create_product(seller, owner, bracelet_category)
    for position, reason in enumerate(["دلیل یکم", "دلیل دوم"]):
        ProductImage.objects.create(
            product=product,
            original="",
            display_order=position,
            state=ProductImage.State.FAILED,
            error=reason,
        )
    client.force_login(owner)
    page = client.get(
        reverse("catalog_panel:product_list", kwargs={"seller_id": seller.pk})
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "دلیل یکم" in text and "دلیل دوم" in text
