"""The anonymous page cache (production: PAGE_CACHE_SECONDS): who gets cached
pages, that each gets her own CSRF token, and that a change invalidates them."""

import pytest
from django.urls import reverse

from tests.factories import SellerFactory, make_product

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_gets_the_cached_page_with_her_own_csrf_token(
    client, page_cache, django_assert_num_queries
):
    product = make_product(seller=SellerFactory(), title="دستبند فیروزه")
    url = product.get_absolute_url()
    first = client.get(url).content.decode()
    client.cookies.clear()
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    body = second.content.decode()
    assert "دستبند فیروزه" in body
    assert "\x00csrf-token\x00" not in body
    assert 'name="csrfmiddlewaretoken" value="' in body
    assert first.count("csrfmiddlewaretoken") == body.count("csrfmiddlewaretoken")


def test_visitor_with_a_session_or_basket_is_never_served_from_cache(
    client, page_cache, django_assert_max_num_queries
):
    product = make_product(seller=SellerFactory())
    url = product.get_absolute_url()
    client.get(url)
    client.cookies.clear()
    client.cookies["oscar_open_basket"] = "1:abc"
    with django_assert_max_num_queries(12) as captured:
        assert client.get(url).status_code == 200
    assert len(captured.captured_queries) > 0


def test_a_price_change_invalidates_cached_pages(client, page_cache):
    product = make_product(seller=SellerFactory(), price_rials=1_000_000)
    url = product.get_absolute_url()
    assert "۱۰۰٬۰۰۰ تومان" in client.get(url).content.decode()
    record = product.stockrecords.get()
    record.price = 2_000_000
    record.save()
    client.cookies.clear()
    assert "۲۰۰٬۰۰۰ تومان" in client.get(url).content.decode()


def test_a_suspended_booth_disappears_from_cached_listings(client, page_cache):
    seller = SellerFactory()
    make_product(seller=seller, title="کیف رو به تعلیق")
    assert "کیف رو به تعلیق" in client.get(reverse("catalogue:index")).content.decode()
    seller.status = "suspended"
    seller.save()
    client.cookies.clear()
    assert (
        "کیف رو به تعلیق" not in client.get(reverse("catalogue:index")).content.decode()
    )


def test_a_response_marked_private_is_never_stored(rf, page_cache, settings):
    from django.http import HttpResponse
    from django.utils.cache import patch_cache_control

    from catalog.views import anonymous_page_cache

    calls = []

    @anonymous_page_cache
    def view(request):
        calls.append(1)
        response = HttpResponse("رمز این صفحه را وارد کنید")
        patch_cache_control(response, private=True)
        return response

    view(rf.get("/restricted/"))
    view(rf.get("/restricted/"))
    assert len(calls) == 2


@pytest.mark.parametrize(
    "query, cached",
    [
        ("", True),
        ("?page=2", True),
        ("?sort=price_asc", False),
        ("?min_price=۱۰۰٬۰۰۰", False),
        ("?utm_source=x", False),
        ("?page=1&page=2", False),
    ],
)
def test_only_a_plain_address_or_a_page_number_is_cached(
    client, page_cache, django_assert_max_num_queries, query, cached
):
    """Anything else in the query string could mint a cache entry per request."""
    seller = SellerFactory()
    for n in range(30):
        make_product(seller=seller, title=f"کیف {n}")
    url = reverse("catalogue:index") + query
    client.get(url)
    client.cookies.clear()
    with django_assert_max_num_queries(12) as captured:
        assert client.get(url).status_code == 200
    assert (len(captured.captured_queries) == 0) is cached
