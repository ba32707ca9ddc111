"""The catalogue caches every visitor gets (catalog.cards, catalog.listings,
catalog.forms.filter_form_render): a page says the same with them on or off, a
change shows on the next request, and a cache that is down costs speed only."""

import re
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from oscar.apps.partner.models import StockRecord

from catalog.cards import product_cards
from catalog.forms import filter_form_state
from catalog.listings import ListingIds
from catalog.selectors import product_list_filtered
from marketplace.settings import base as settings_base
from sellers.models import Seller
from tests.factories import SellerFactory, make_product

pytestmark = pytest.mark.django_db

_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _text(response) -> str:
    assert response.status_code == 200
    return _CSRF.sub(r"\1…\2", response.content.decode())


def _titles(response) -> list[str]:
    return re.findall(r'<span class="card-title">([^<]*)</span>', _text(response))


@pytest.fixture
def listing(make_products, bracelets):
    products = make_products(30)
    return {"products": products, "url": bracelets.get_absolute_url()}


def test_pages_say_the_same_with_the_caches_on_and_off(client, listing, settings):
    product = listing["products"][-1]
    paths = [
        reverse("catalogue:index"),
        listing["url"],
        listing["url"] + "?page=2",
        listing["url"] + "?sort=price_asc&district=5",
        product.get_absolute_url(),
    ]
    settings.CARD_CACHE_SECONDS = settings.LISTING_CACHE_SECONDS = 0
    uncached = {path: _text(client.get(path)) for path in paths}
    settings.CARD_CACHE_SECONDS = settings.LISTING_CACHE_SECONDS = 600
    for path in paths:
        client.get(path)  # fills the caches
        assert _text(client.get(path)) == uncached[path], path


def test_a_second_page_of_a_listing_reuses_its_cached_ids(
    client, listing, django_assert_num_queries
):
    client.get(listing["url"])
    client.get(listing["url"] + "?page=2")
    # the category, then the ids of the whole listing and the cards are cached
    with django_assert_num_queries(1):
        second = client.get(listing["url"] + "?page=2")
    assert second.status_code == 200
    assert len(_titles(second)) == 30 - 24
    assert "صفحهٔ ۲ از ۲" in _text(second)


def test_a_renamed_product_shows_its_new_title_on_the_next_request(client, listing):
    product = listing["products"][-1]
    assert product.title in _titles(client.get(listing["url"]))
    product.title = "دستبند چرم بافته"
    product.save()
    assert "دستبند چرم بافته" in _titles(client.get(listing["url"]))
    detail = _text(client.get(product.get_absolute_url()))
    assert "<h1>دستبند چرم بافته</h1>" in detail


def test_a_new_price_shows_on_cards_and_product_page_at_once(client, listing):
    product = listing["products"][-1]
    client.get(listing["url"])
    client.get(product.get_absolute_url())
    record = StockRecord.objects.get(product=product)
    record.price = Decimal(9_990_000)
    record.save()
    assert "۹۹۹٬۰۰۰" in _text(client.get(listing["url"]))
    assert "۹۹۹٬۰۰۰" in _text(client.get(product.get_absolute_url()))


def test_a_new_product_joins_the_listing_and_its_count(
    client, listing, seller, bracelets
):
    assert "صفحهٔ ۱ از ۲" in _text(client.get(listing["url"]))
    for n in range(20):
        make_product(seller=seller, category=bracelets, title=f"کیف چرم {n}")
    page = client.get(listing["url"])
    assert "صفحهٔ ۱ از ۳" in _text(page)
    assert "کیف چرم 19" in _titles(page)  # newest first


def test_a_suspended_booth_leaves_listings_and_its_product_page(
    client, listing, seller
):
    other = make_product(seller=SellerFactory(), title="شال بافت", category=None)
    product = listing["products"][-1]
    client.get(reverse("catalogue:index"))
    client.get(product.get_absolute_url())
    seller.status = Seller.Status.SUSPENDED
    seller.save()
    assert _titles(client.get(reverse("catalogue:index"))) == [other.title]
    assert client.get(product.get_absolute_url()).status_code == 404


def test_a_booth_on_holiday_shows_it_on_its_cards(client, listing, seller):
    client.get(listing["url"])
    seller.holiday_until = timezone.localdate() + timezone.timedelta(days=5)
    seller.save()
    assert "در تعطیلات تا" in _text(client.get(listing["url"]))


def test_a_listing_whose_product_went_away_since_its_ids_were_read(listing):
    """Between reading a page's ids and building its cards a product can stop
    being live: it has no card, and nothing fails."""
    products = listing["products"]
    ids = [p.pk for p in products[:3]]
    products[1].is_public = False
    products[1].save()
    cards = product_cards(ids)
    assert len(cards) == 2


def test_listing_ids_are_ints_in_the_queryset_order(listing, bracelets):
    queryset = product_list_filtered(category=bracelets)
    ids = ListingIds(lambda: queryset, name="test")
    assert len(ids) == 30
    assert ids[:5] == list(queryset.values_list("pk", flat=True)[:5])
    assert ids[29] == queryset.last().pk


@override_settings(
    CACHES={
        "default": {
            # As production configures Redis (marketplace.settings.base), but
            # nothing listens on port 1: every cache call fails at once.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": settings_base.REDIS_CACHE_OPTIONS,
        }
    }
)
def test_with_the_cache_down_the_pages_still_sell(client, listing):
    product = listing["products"][-1]
    assert len(_titles(client.get(listing["url"]))) == 24
    assert len(_titles(client.get(listing["url"] + "?page=2"))) == 6
    detail = _text(client.get(product.get_absolute_url()))
    assert 'data-testid="add-to-basket"' in detail
    assert product.title in detail


def test_the_filter_form_follows_its_own_query_only(rf):
    def state(query):
        return filter_form_state(rf.get("/" + query).GET)

    filters, plain = state("")
    assert state("?page=3") == (filters, plain)
    assert "open" not in plain.split(">", 1)[0]
    bad_filters, bad = state("?min_price=ارزان")
    assert bad_filters == filters  # invalid input: the unfiltered list
    assert "مبلغ را فقط با عدد وارد کنید" in bad
    assert "open" in bad.split(">", 1)[0]
    chosen_filters, chosen = state("?district=5&min_price=۱۵۰٬۰۰۰")
    assert chosen_filters.district == 5
    assert chosen_filters.min_price == 1_500_000
    assert '<option value="5" selected>' in chosen
    assert '<option value="5" selected>' not in plain


def test_seller_model_change_to_brand_name_updates_cards(client, listing, seller):
    client.get(listing["url"])
    Seller.objects.get(pk=seller.pk)  # the receiver fires on save, not on update
    seller.brand_name = "چرم نیلوفر آبی"
    seller.save()
    assert "چرم نیلوفر آبی" in _text(client.get(listing["url"]))


def test_a_price_range_is_queried_not_kept(client, listing):
    """Any amount can be typed, so a price-filtered listing never gets a cache
    entry of its own (the cards it shows still come from the card cache)."""
    plain = client.get(listing["url"])
    assert isinstance(plain.context["paginator"].object_list, ListingIds)
    priced = client.get(listing["url"] + "?min_price=۱۰۰٬۰۰۰")
    assert not isinstance(priced.context["paginator"].object_list, ListingIds)
    assert len(_titles(priced)) == 24
