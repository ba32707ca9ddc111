"""Journey 2 through the seller's own form (DESIGN.md §5): on her phone she adds a
product with two 12 MP photos, stored sideways with GPS in EXIF; buyers see them
upright and small, and the files they can fetch carry no EXIF at all."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from catalog.models import Category, Product
from sellers.models import SellerMember
from tests.catalog import photo_samples as samples
from tests.factories import SellerFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "pass-1234-word"  # noqa: S105  (tests.factories.UserFactory's)


def test_two_phone_photos_through_the_panel_form(
    transactional_db, live_server, phone_page, settings, tmp_path
):
    # Given an approved booth whose listings no longer wait for review
    settings.FIRST_LISTINGS_REVIEWED = 0
    bags = Category.add_root(name="چرم", slug="charm").add_child(
        name="کیف چرمی", slug="kif"
    )
    seller = SellerFactory(brand_name="چرم نیلوفر", slug="niloofar")
    owner = UserFactory(username="+989121111111")
    SellerMember.objects.create(seller=seller, user=owner, role="owner")
    originals = [samples.phone_jpeg((4000, 3000), o) for o in (6, 8)]
    page = phone_page

    # When she logs in and lists a product with the two photos from her phone
    page.goto(f"{live_server.url}/account/login/?next=/panel/{seller.pk}/products/new/")
    page.get_by_label("شماره موبایل").fill("09121111111")
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()
    page.get_by_label("نام محصول").fill("کیف دوشی چرم")
    page.get_by_label("توضیح", exact=True).fill("چرم طبیعی، دوخت دست")
    page.get_by_label("دسته", exact=True).select_option(label=bags.name)
    page.get_by_label("قیمت (تومان)").fill("۲۵۰٬۰۰۰")
    page.get_by_label("تعداد موجود").fill("۳")
    page.get_by_label("عکس‌ها").set_input_files(
        [
            {
                "name": f"IMG_2024030{i}_1020.jpg",
                "mimeType": "image/jpeg",
                "buffer": data,
            }
            for i, data in enumerate(originals)
        ]
    )
    page.get_by_role("button", name="ذخیره").click()
    expect(
        page.get_by_test_id("panel-product").filter(has_text="کیف دوشی چرم")
    ).to_be_visible()

    # Then buyers see both photos upright on the product page
    product = Product.objects.get(title="کیف دوشی چرم")
    page.goto(live_server.url + product.get_absolute_url())
    pictures = page.locator(".gallery img")
    expect(pictures).to_have_count(2)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0",
        arg=pictures.first.element_handle(),
    )
    width, height = pictures.first.evaluate("i => [i.naturalWidth, i.naturalHeight]")
    assert height > width

    # And each file the page serves is small, upright and has no metadata left
    for index, original in enumerate(originals):
        src = pictures.nth(index).evaluate("img => img.currentSrc || img.src")
        data = page.request.get(src).body()
        picture = Image.open(io.BytesIO(data))
        fmt = {"JPEG": "jpeg", "WEBP": "webp"}[picture.format]
        samples.assert_no_metadata(data, fmt)
        assert max(picture.size) <= 1600
        assert len(data) < 400 * 1024
        assert samples.corners(picture) == samples.upright_reference(original)
        assert "IMG_" not in src and "niloofar" not in src.lower()
