"""The booth page under the anonymous page cache (production: PAGE_CACHE_SECONDS):
served whole to visitors with no session or basket, stale as soon as anything it
shows changes, never served to or filled by a signed-in visitor; and its listing
(ids and COUNT) kept in the catalogue cache (catalog.listings)."""

import datetime as dt

import pytest
from django.utils import timezone

from catalog import services as catalog_services
from catalog.listings import ListingIds
from tests.factories import SellerFactory, UserFactory, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_booth(seller_a):
    seller, owner = seller_a
    seller.show_location = True
    seller.save()
    make_product(seller=seller, title="کیف چرم قهوه‌ای")
    return seller, owner


def anonymous_get(client, url):
    """A visitor with no cookies at all (the test client keeps the CSRF cookie)."""
    client.cookies.clear()
    return client.get(url)


def test_anonymous_visitor_gets_the_booth_page_from_the_cache(
    client, cached_booth, page_cache, django_assert_num_queries
):
    seller, _ = cached_booth
    url = seller.get_absolute_url()
    first = anonymous_get(client, url)
    assert first.status_code == 200
    client.cookies.clear()
    with django_assert_num_queries(0):
        second = client.get(url)
    body = second.content.decode()
    assert second.status_code == 200
    assert "کیف چرم قهوه‌ای" in body and seller.brand_name in body
    assert "\x00csrf-token\x00" not in body
    assert second["Vary"] and "Cookie" in second["Vary"]


def test_a_new_product_shows_on_the_cached_booth_page_at_once(
    client, cached_booth, page_cache
):
    seller, _ = cached_booth
    url = seller.get_absolute_url()
    assert "گلدان سفالی" not in anonymous_get(client, url).content.decode()
    make_product(seller=seller, title="گلدان سفالی")
    assert "گلدان سفالی" in anonymous_get(client, url).content.decode()


def test_a_price_change_shows_on_the_cached_booth_page_at_once(
    client, cached_booth, page_cache
):
    seller, _ = cached_booth
    url = seller.get_absolute_url()
    assert "۱۲۵٬۰۰۰ تومان" in anonymous_get(client, url).content.decode()
    record = seller.partner.stockrecords.get()
    record.price = 3_000_000
    record.save()
    assert "۳۰۰٬۰۰۰ تومان" in anonymous_get(client, url).content.decode()


def test_a_paused_or_deleted_product_leaves_the_cached_booth_page_at_once(
    client, cached_booth, page_cache
):
    # The pause and delete services write with a queryset update (no signal).
    seller, owner = cached_booth
    url = seller.get_absolute_url()
    product = seller.partner.stockrecords.get().product
    assert "کیف چرم قهوه‌ای" in anonymous_get(client, url).content.decode()
    catalog_services.product_pause(product=product, actor=owner)
    assert "کیف چرم قهوه‌ای" not in anonymous_get(client, url).content.decode()
    catalog_services.product_unpause(product=product, actor=owner)
    assert "کیف چرم قهوه‌ای" in anonymous_get(client, url).content.decode()
    catalog_services.product_delete(product=product, actor=owner)
    assert "کیف چرم قهوه‌ای" not in anonymous_get(client, url).content.decode()


def test_a_profile_edit_and_a_holiday_show_on_the_cached_booth_page_at_once(
    client, cached_booth, page_cache
):
    seller, _ = cached_booth
    url = seller.get_absolute_url()
    assert "داستان کارگاه" not in anonymous_get(client, url).content.decode()
    seller.story = "داستان کارگاه ما از یک چرخ خیاطی شروع شد."
    seller.story_consent = True
    seller.save()
    assert "داستان کارگاه" in anonymous_get(client, url).content.decode()
    seller.holiday_until = timezone.localdate() + dt.timedelta(days=5)
    seller.holiday_message = "به زودی برمی‌گردم."
    seller.save()
    body = anonymous_get(client, url).content.decode()
    assert 'data-testid="holiday"' in body and "به زودی برمی‌گردم." in body


def test_a_renamed_district_shows_on_the_cached_booth_page_at_once(
    client, cached_booth, page_cache
):
    seller, _ = cached_booth
    url = seller.get_absolute_url()
    assert seller.district.name in anonymous_get(client, url).content.decode()
    district = seller.district
    district.name = "منطقهٔ بیست (شهرری)"
    district.save()
    assert "منطقهٔ بیست (شهرری)" in anonymous_get(client, url).content.decode()


def test_a_suspended_booth_is_gone_from_the_cache_at_once(
    client, cached_booth, page_cache
):
    seller, _ = cached_booth
    url = seller.get_absolute_url()
    assert anonymous_get(client, url).status_code == 200
    seller.status = "suspended"
    seller.save()
    assert anonymous_get(client, url).status_code == 404


def test_a_missing_booth_is_never_cached(client, page_cache):
    assert anonymous_get(client, "/booth/not-yet/").status_code == 404
    SellerFactory(slug="not-yet")
    assert anonymous_get(client, "/booth/not-yet/").status_code == 200


def test_a_signed_in_visitor_never_gets_nor_fills_the_cached_booth_page(
    client, cached_booth, page_cache, django_assert_max_num_queries
):
    seller, _ = cached_booth
    url = seller.get_absolute_url()
    anonymous_get(client, url)  # cached for anonymous visitors
    client.force_login(UserFactory(username="+989123333333"))
    with django_assert_max_num_queries(20) as captured:
        body = client.get(url).content.decode()
    assert len(captured.captured_queries) > 0
    assert "خروج" in body  # her own header, not the anonymous one
    assert "ورود / ثبت‌نام" not in body

    # Her page is not stored for the anonymous visitors either.
    client.logout()
    other = make_product(seller=seller, title="کمربند چرمی")  # a fresh version
    client.force_login(UserFactory(username="+989124444444"))
    assert "خروج" in client.get(url).content.decode()
    client.logout()
    with django_assert_max_num_queries(20) as captured:
        body = anonymous_get(client, url).content.decode()
    assert len(captured.captured_queries) > 0
    assert other.title in body and "خروج" not in body


def test_the_booth_listing_count_is_cached(
    client, cached_booth, django_assert_max_num_queries
):
    seller, owner = cached_booth
    url = seller.get_absolute_url()
    first = client.get(url)
    assert isinstance(first.context["paginator"].object_list, ListingIds)
    assert first.context["paginator"].count == 1
    with django_assert_max_num_queries(20) as captured:
        second = client.get(url)
    assert second.context["paginator"].count == 1
    assert not [
        query
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith("SELECT COUNT(")
    ]
    # and it is exact: a new product counts at once
    make_product(seller=seller, title="سبد حصیری")
    assert client.get(url).context["paginator"].count == 2
