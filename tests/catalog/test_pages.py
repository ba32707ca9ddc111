"""Public catalogue pages: what they show, what they hide, and their query counts."""

import pytest
from django.urls import reverse

from sellers.models import Seller
from tests.factories import SellerFactory, make_product

pytestmark = pytest.mark.django_db


def test_catalogue_lists_live_products_with_toman_prices(client, make_products):
    make_products(2)
    response = client.get(reverse("catalogue:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "دستبند چرم 0" in body
    assert "۱۰۰٬۰۰۰ تومان" in body  # 1,000,000 rials
    assert 'dir="rtl"' in body


def test_products_of_booths_that_are_not_open_are_hidden(client, bracelets):
    for status in (
        Seller.Status.APPLIED,
        Seller.Status.IN_REVIEW,
        Seller.Status.SUSPENDED,
        Seller.Status.REJECTED,
    ):
        make_product(seller=SellerFactory(status=status), title=f"پنهان {status}")
    visible = make_product(seller=SellerFactory(), title="پیدا")
    body = client.get(reverse("catalogue:index")).content.decode()
    assert "پیدا" in body
    assert "پنهان" not in body
    assert client.get(visible.get_absolute_url()).status_code == 200


def test_product_of_suspended_booth_is_404(client):
    product = make_product(seller=SellerFactory(status=Seller.Status.SUSPENDED))
    assert client.get(product.get_absolute_url()).status_code == 404


def test_non_public_product_is_404(client):
    product = make_product(is_public=False)
    assert client.get(product.get_absolute_url()).status_code == 404


def test_category_page_includes_subcategories(client, leather, make_products):
    make_products(3)
    response = client.get(leather.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="product-card"') == 3


def test_category_with_wrong_slug_redirects_to_canonical_url(client, bracelets):
    url = reverse(
        "catalogue:category",
        kwargs={"category_slug": "wrong-slug", "pk": bracelets.pk},
    )
    response = client.get(url + "?sort=newest")
    assert response.status_code == 301
    assert response["Location"].endswith("?sort=newest")


def test_product_page_shows_price_booth_and_add_to_basket(
    client, seller, make_products
):
    product, sibling = make_products(2)
    body = client.get(product.get_absolute_url()).content.decode()
    assert product.title in body
    assert "۱۰۰٬۰۰۰ تومان" in body
    assert seller.brand_name in body
    assert 'data-testid="add-to-basket"' in body
    assert sibling.title in body  # more from the same booth


def test_product_wrong_slug_redirects(client, make_products):
    (product,) = make_products(1)
    url = reverse("catalogue:detail", kwargs={"product_slug": "x", "pk": product.pk})
    assert client.get(url).status_code == 301


def test_sold_out_product_cannot_be_added(client, seller, bracelets):
    product = make_product(seller=seller, category=bracelets, num_in_stock=0)
    body = client.get(product.get_absolute_url()).content.decode()
    assert 'data-testid="add-to-basket"' not in body


def test_price_filter_accepts_persian_digits_and_separators(client, make_products):
    make_products(5)  # 100,000 .. 104,000 toman
    response = client.get(
        reverse("catalogue:index"), {"min_price": "۱۰۲٬۰۰۰", "sort": "price_asc"}
    )
    body = response.content.decode()
    assert body.count('data-testid="product-card"') == 3
    assert body.index("دستبند چرم 2") < body.index("دستبند چرم 4")


def test_bad_filter_input_shows_a_persian_message_not_an_error(client, make_products):
    make_products(2)
    response = client.get(
        reverse("catalogue:index"), {"min_price": "ارزان", "district": "99"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "مبلغ را فقط با عدد وارد کنید" in body
    assert body.count('data-testid="product-card"') == 2


def test_min_price_above_max_price_is_explained(client, make_products):
    make_products(1)
    response = client.get(
        reverse("catalogue:index"), {"min_price": "500000", "max_price": "1000"}
    )
    assert "حداقل قیمت نباید از حداکثر قیمت بیشتر باشد" in response.content.decode()


def test_district_filter(client, bracelets):
    near = SellerFactory(district__number=20)
    far = SellerFactory(district__number=4)
    make_product(seller=near, title="از منطقه بیست")
    make_product(seller=far, title="از منطقه چهار")
    body = client.get(reverse("catalogue:index"), {"district": "20"}).content.decode()
    assert "از منطقه بیست" in body
    assert "از منطقه چهار" not in body


def test_page_number_out_of_range_is_404_not_500(client, make_products):
    make_products(1)
    assert client.get(reverse("catalogue:index"), {"page": "999"}).status_code == 404
    assert client.get(reverse("catalogue:index"), {"page": "abc"}).status_code == 404


def test_seller_text_is_escaped(client, seller, bracelets):
    product = make_product(
        seller=seller, category=bracelets, title="<script>alert(1)</script>"
    )
    product.description = (
        '<img src=x onerror="alert(1)"><a href="javascript:alert(1)">x</a>'
    )
    product.save()
    body = client.get(product.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in body
    assert "onerror" not in body
    assert "javascript:" not in body


# --- Query-count pins: constant whatever the page size -------------------------


@pytest.fixture(params=["caches off", "caches warm"])
def catalog_caches(request, settings):
    """Both ways a page runs: with the card, listing and product caches off
    (every request reads the database) and with them warm (the request before
    filled them). Returns which."""
    if request.param == "caches off":
        settings.CARD_CACHE_SECONDS = 0
        settings.LISTING_CACHE_SECONDS = 0
    return request.param


def assert_listing(response, count: int, per_page: int = 24) -> None:
    """A query-count pin means nothing for an error page (a 404 runs few queries
    too): the page must be there, with its cards."""
    assert response.status_code == 200
    cards = response.content.decode().count('data-testid="product-card"')
    assert cards == min(count, per_page)


@pytest.mark.parametrize("count", [3, 30])
def test_catalogue_page_query_count_is_constant(
    client, make_products, django_assert_num_queries, count, catalog_caches
):
    make_products(count)
    client.get(reverse("catalogue:index"))  # warm the menu and open-booth caches
    # off: count, products, stock records (+partner, seller, district), images;
    # warm: the listing's ids and its cards are cached
    with django_assert_num_queries({"caches off": 4, "caches warm": 0}[catalog_caches]):
        response = client.get(reverse("catalogue:index"))
    assert_listing(response, count)


@pytest.mark.parametrize("count", [3, 30])
def test_category_page_query_count_is_constant(
    client, leather, make_products, django_assert_num_queries, count, catalog_caches
):
    make_products(count)
    url = leather.get_absolute_url()
    client.get(url)
    # category, then (off) count, products, stock records, images
    with django_assert_num_queries({"caches off": 5, "caches warm": 1}[catalog_caches]):
        response = client.get(url)
    assert_listing(response, count)


@pytest.mark.parametrize("count", [3, 10])
def test_product_page_query_count_is_constant(
    client, make_products, django_assert_num_queries, count, catalog_caches
):
    product = make_products(count)[0]
    client.get(product.get_absolute_url())
    # off: product, stock records, images; the same three for "more from this
    # booth"; its published reviews and the booth's rating (issue 28 §3); warm:
    # the product, the booth's other ids, their cards and the reviews are cached
    with django_assert_num_queries({"caches off": 8, "caches warm": 0}[catalog_caches]):
        response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert product.title in response.content.decode()
    # "more from this booth": up to four of her other products
    assert_listing(response, min(count - 1, 4))


@pytest.mark.parametrize("count", [3, 30])
def test_booth_page_query_count_is_constant(
    client, seller, make_products, django_assert_num_queries, count, catalog_caches
):
    make_products(count)
    url = seller.get_absolute_url()
    client.get(url)
    # seller, then (off) count, products, stock records, images, the booth's
    # rating from buyers' reviews (issue 28 §3)
    with django_assert_num_queries({"caches off": 6, "caches warm": 1}[catalog_caches]):
        response = client.get(url)
    assert_listing(response, count)


def test_made_to_order_filter_and_preparation_days(client, seller, bracelets):
    ready = make_product(seller=seller, category=bracelets, title="کیف آماده")
    custom = make_product(seller=seller, category=bracelets, title="کیف سفارشی")
    custom.fulfilment = "made_to_order"
    custom.preparation_days = 5
    custom.save()
    listing = client.get(
        reverse("catalogue:index"), {"fulfilment": "made_to_order"}
    ).content.decode()
    assert "کیف سفارشی" in listing and "کیف آماده" not in listing
    detail = client.get(custom.get_absolute_url()).content.decode()
    assert "آماده‌سازی ۵ روز" in detail
    assert (
        ready.title
        not in client.get(
            reverse("catalogue:index"), {"fulfilment": "made_to_order"}
        ).content.decode()
    )


def test_paused_deleted_and_pending_products_are_not_public(client, seller, bracelets):
    from django.utils import timezone

    paused = make_product(seller=seller, category=bracelets, title="متوقف‌شده")
    paused.is_paused = True
    paused.save()
    deleted = make_product(seller=seller, category=bracelets, title="حذف‌شده")
    deleted.deleted_at = timezone.now()
    deleted.save()
    pending = make_product(seller=seller, category=bracelets, title="در‌انتظار")
    pending.moderation_status = "pending"
    pending.save()
    body = client.get(reverse("catalogue:index")).content.decode()
    for product in (paused, deleted, pending):
        assert product.title not in body
        assert client.get(product.get_absolute_url()).status_code == 404


def test_holiday_booth_is_visible_with_its_return_date(client, seller, bracelets):
    import datetime as dt

    from django.utils import timezone

    product = make_product(seller=seller, category=bracelets, title="دستبند تعطیلات")
    seller.holiday_until = timezone.localdate() + dt.timedelta(days=3)
    seller.holiday_message = "برای دیدن خانواده سفر رفته‌ام."
    seller.save()
    listing = client.get(reverse("catalogue:index")).content.decode()
    assert "دستبند تعطیلات" in listing and "در تعطیلات تا" in listing
    booth = client.get(seller.get_absolute_url()).content.decode()
    assert "برای دیدن خانواده سفر رفته‌ام." in booth
    detail = client.get(product.get_absolute_url()).content.decode()
    assert 'data-testid="add-to-basket"' not in detail


def test_search_results_page_has_its_sort_form(client, make_products):
    make_products(3)
    response = client.get(reverse("search:search"), {"q": "دستبند"})
    assert response.status_code == 200
    body = response.content.decode()
    # The sorts are links (no JavaScript needed); relevance is on for a query.
    assert 'class="active">مرتبط‌ترین</a>' in body
    assert "?q=%D8%AF%D8%B3%D8%AA%D8%A8%D9%86%D8%AF&amp;sort=price_asc" in body
    assert 'name="q" maxlength="200" value="دستبند"' in body
