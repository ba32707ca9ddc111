"""Journey 2 in the browser: a seller's two rotated 12 MP phone photos, with her
home's GPS position in their EXIF, appear on the product page upright, small and
without any metadata. The placeholder shows while they are processed.

The photos go in through the photo pipeline's own functions (what the seller
panel's form and service call), the task runs when the test says so, and a phone
browser then loads the page from live_server; the image bytes it was served are
read back with Pillow.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from catalog import tasks
from catalog.photos import photo_check_upload, photo_process, photo_store_upload
from tests.catalog import photo_samples as samples
from tests.factories import SellerFactory, make_product

pytestmark = pytest.mark.browser


def test_phone_photos_appear_upright_small_and_without_exif(
    transactional_db, live_server, phone_page, settings, tmp_path, monkeypatch
):
    settings.PRODUCT_PHOTO_PRIVATE_ROOT = tmp_path / "private"
    seller = SellerFactory(brand_name="چرم نیلوفر", slug="charm-niloofar")
    product = make_product(seller=seller, title="کیف چرم دست‌دوز")
    queued: list[int] = []
    monkeypatch.setattr(tasks.product_photo_process, "delay", queued.append)

    # Given two photos from her phone, stored sideways, with GPS in EXIF
    originals = [samples.phone_jpeg((4000, 3000), o) for o in (6, 8)]
    for position, data in enumerate(originals):
        upload = samples.upload(data, f"IMG_2024030{position}_102030.jpg")
        photo_check_upload(upload)
        photo_store_upload(product=product, uploaded_file=upload, position=position)
    assert len(queued) == 2  # queued on commit, not processed yet

    # While they are processed, the product page shows the neutral placeholder
    page = phone_page
    page.goto(live_server.url + product.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=product.title)).to_be_visible()
    gallery = page.locator(".gallery")
    expect(gallery.locator(".img-placeholder")).to_be_visible()
    expect(gallery.locator("img")).to_have_count(0)

    # When the background task has run
    for image_id in queued:
        photo_process(image_id)
    page.reload()

    # Then both photos are on the page, and the first one is shown upright
    pictures = gallery.locator("img")
    expect(pictures).to_have_count(2)
    first = pictures.first
    expect(first).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
    )
    width, height = first.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert height > width  # portrait, as she held the phone
    box = first.bounding_box()
    assert box["height"] > box["width"]

    # And every image file the page offers (the one the browser chose, the
    # JPEG fallback, any WebP source) is small, upright and carries no EXIF
    for index, original in enumerate(originals):
        urls = pictures.nth(index).evaluate(
            """img => {
                const urls = [img.currentSrc, img.src];
                const picture = img.closest('picture');
                if (picture) {
                    for (const source of picture.querySelectorAll('source')) {
                        for (const entry of source.srcset.split(',')) {
                            urls.push(new URL(entry.trim().split(' ')[0],
                                              document.baseURI).href);
                        }
                    }
                }
                return [...new Set(urls.filter(Boolean))];
            }"""
        )
        assert urls
        for url in urls:
            response = page.request.get(url)
            assert response.ok, url
            data = response.body()
            picture = Image.open(io.BytesIO(data))
            fmt = {"JPEG": "jpeg", "WEBP": "webp"}[picture.format]
            samples.assert_no_metadata(data, fmt)
            assert max(picture.size) <= 1600
            assert picture.height > picture.width
            assert len(data) < 400 * 1024
            assert samples.corners(picture) == samples.upright_reference(original)
            assert "niloofar" not in url.lower() and "IMG_" not in url
