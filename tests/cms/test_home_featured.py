"""The home page's featured categories, booths and products: the editors'
choice, in their order, only what is public; or else the newest."""

import pytest

from cms.models import HomeFeaturedBooth, HomeFeaturedProduct
from tests.factories import SellerFactory, make_product

pytestmark = pytest.mark.django_db


def test_without_choices_the_newest_booths_show(client, home):
    older = SellerFactory(brand_name="غرفهٔ قدیمی")
    newer = SellerFactory(brand_name="غرفهٔ تازه")
    SellerFactory(brand_name="غرفهٔ در انتظار", status="in_review")
    body = client.get("/").content.decode()
    assert older.brand_name in body and newer.brand_name in body
    assert "غرفهٔ در انتظار" not in body


def test_the_editors_choices_show_in_their_order_and_only_if_public(client, home):
    first = SellerFactory(brand_name="چرم آفتاب")
    second = SellerFactory(brand_name="سفال مهتاب")
    suspended = SellerFactory(brand_name="غرفهٔ تعلیق‌شده", status="suspended")
    SellerFactory(brand_name="غرفهٔ انتخاب‌نشده")
    live = make_product(seller=first, title="کیف دوشی چرم")
    hidden = make_product(seller=first, title="کیف پنهان")
    hidden.is_public = False
    hidden.save()
    home.featured_booths = [
        HomeFeaturedBooth(seller=second),
        HomeFeaturedBooth(seller=suspended),
        HomeFeaturedBooth(seller=first),
    ]
    home.featured_products = [
        HomeFeaturedProduct(product=hidden),
        HomeFeaturedProduct(product=live),
    ]
    home.save_revision().publish()

    body = client.get("/").content.decode()

    assert body.index("سفال مهتاب") < body.index("چرم آفتاب")
    assert "غرفهٔ تعلیق‌شده" not in body
    assert "غرفهٔ انتخاب‌نشده" not in body  # chosen booths replace the newest
    featured = body.split("برگزیده‌ها", 1)[1].split("تازه‌ترین کارها", 1)[0]
    assert "کیف دوشی چرم" in featured and "کیف پنهان" not in featured
