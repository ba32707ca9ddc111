"""Finer cache keys (issue 12, "Orders must not empty the catalogue caches"):
a write makes stale only what shows it (catalog.cache_version).

- A sale (a stock change that leaves the product listed) changes its product
  page only: other products' cards and pages, and every listing's ids, stay
  cached, and whole cached pages without its page stay served.
- A price change re-sorts price-sorted listings at once (price is an order key).
- A product that stops being live leaves every listing at once.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

import catalog.cards
import catalog.views
from catalog.cards import product_card_render
from catalog.models import Product
from sellers.partner.models import StockRecord
from tests.factories import CategoryFactory, make_product

pytestmark = pytest.mark.django_db

_AVAILABILITY = re.compile(r'<p class="availability [a-z]+">[^<]*</p>')


def _titles(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(
        r'<span class="card-title">([^<]*)</span>', response.content.decode()
    )


def _availability(response) -> str:
    assert response.status_code == 200
    return _AVAILABILITY.search(response.content.decode()).group(0)


@pytest.fixture
def spies(monkeypatch):
    """Which cards are rendered and which listings' ids are read from the database."""
    rendered, listings_built = [], []
    real_render = catalog.cards.render_to_string

    def render(template, context=None, *args, **kwargs):
        if template == catalog.cards.CARD_TEMPLATE:
            rendered.append(context["product"].title)
        return real_render(template, context, *args, **kwargs)

    real_filtered = catalog.views.product_list_filtered

    def filtered(**kwargs):
        listings_built.append(kwargs.get("category"))
        return real_filtered(**kwargs)

    monkeypatch.setattr(catalog.cards, "render_to_string", render)
    monkeypatch.setattr(catalog.views, "product_list_filtered", filtered)
    return rendered, listings_built


@pytest.fixture
def two_category_shop(make_products, bracelets, seller):
    products = make_products(3)
    other_category = CategoryFactory(name="سفال", slug="sofal")
    vase = make_product(seller=seller, category=other_category, title="گلدان سفالی")
    return {
        "a": products[0],
        "b": products[1],
        "c": products[2],
        "vase": vase,
        "category": bracelets.get_absolute_url(),
        "other": other_category.get_absolute_url(),
        "other_category": other_category,
        "sorted": bracelets.get_absolute_url() + "?sort=price_asc",
    }


def _warm(client, shop):
    for url in (
        shop["category"],
        shop["other"],
        shop["sorted"],
        reverse("catalogue:index"),
        shop["a"].get_absolute_url(),
        shop["b"].get_absolute_url(),
    ):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("how", ["oscar allocation (queryset update)", "save()"])
def test_a_sale_changes_only_its_own_product_page(
    client, two_category_shop, spies, django_assert_num_queries, how
):
    rendered, listings_built = spies
    a, b = two_category_shop["a"], two_category_shop["b"]
    before = _availability(client.get(a.get_absolute_url()))
    _warm(client, two_category_shop)
    rendered.clear()
    listings_built.clear()

    record = StockRecord.objects.get(product=a)
    if how.startswith("oscar"):
        record.allocate(3)  # Oscar's path: objects.filter(pk=…).update(…)
    else:
        record.num_in_stock = 4
        record.save()

    # A's page shows the new stock at once...
    assert _availability(client.get(a.get_absolute_url())) != before
    # ...while B's page and the listings are read from the cache as they were.
    with django_assert_num_queries(0):
        assert client.get(b.get_absolute_url()).status_code == 200
    assert a.title in _titles(client.get(two_category_shop["category"]))
    _titles(client.get(two_category_shop["sorted"]))
    _titles(client.get(reverse("catalogue:index")))
    assert listings_built == []  # no listing's ids were read again
    assert rendered == []  # no card was rendered again: cards show no stock


def test_a_sale_keeps_whole_cached_pages_that_do_not_show_its_stock(
    client, two_category_shop, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 30
    a = two_category_shop["a"]
    pages = [
        two_category_shop["category"],
        reverse("catalogue:index"),
        two_category_shop["b"].get_absolute_url(),
    ]
    for url in [*pages, a.get_absolute_url()]:
        client.cookies.clear()
        client.get(url)
    before = _availability(client.get(a.get_absolute_url()))

    StockRecord.objects.get(product=a).allocate(9)

    for url in pages:
        client.cookies.clear()
        with django_assert_num_queries(0):  # still a page-cache hit
            assert client.get(url).status_code == 200, url
    client.cookies.clear()
    assert _availability(client.get(a.get_absolute_url())) != before


def test_a_sell_out_shows_on_its_page_and_keeps_it_listed(
    client, two_category_shop, spies
):
    """Listings do not filter on availability (a sold-out product stays listed
    with its page saying so), so selling out changes its page only."""
    rendered, listings_built = spies
    a = two_category_shop["a"]
    _warm(client, two_category_shop)
    listings_built.clear()
    record = StockRecord.objects.get(product=a)
    record.allocate(record.num_in_stock)
    assert 'class="availability no"' in _availability(client.get(a.get_absolute_url()))
    assert a.title in _titles(client.get(two_category_shop["category"]))
    assert listings_built == []


@pytest.mark.parametrize("how", ["save()", "queryset update"])
def test_a_new_price_re_sorts_price_sorted_listings_at_once(
    client, two_category_shop, spies, how
):
    rendered, listings_built = spies
    a, c = two_category_shop["a"], two_category_shop["c"]
    _warm(client, two_category_shop)
    assert (
        _titles(client.get(two_category_shop["sorted"]))[0] == a.title
    )  # the cheapest
    rendered.clear()
    listings_built.clear()

    if how == "save()":
        record = StockRecord.objects.get(product=c)
        record.price = Decimal(10_000)
        record.save()
    else:
        StockRecord.objects.filter(product=c).update(price=Decimal(10_000))

    titles = _titles(client.get(two_category_shop["sorted"]))
    assert titles[0] == c.title
    assert (
        '<span class="price">۱٬۰۰۰ '
        in client.get(two_category_shop["sorted"]).content.decode()
    )
    assert rendered == [c.title]  # its card only
    # Another category's listing is not read again: it does not hold the product.
    _titles(client.get(two_category_shop["other"]))
    assert two_category_shop["other_category"] not in listings_built


@pytest.mark.parametrize("how", ["paused (queryset update)", "deleted (save)"])
def test_a_product_that_stops_being_live_leaves_every_listing_at_once(
    client, two_category_shop, seller, settings, how
):
    settings.PAGE_CACHE_SECONDS = 30  # whole pages too
    a = two_category_shop["a"]
    pages = [
        two_category_shop["category"],
        two_category_shop["sorted"],
        reverse("catalogue:index"),
        reverse("sellers:booth", kwargs={"slug": seller.slug}),
        two_category_shop["b"].get_absolute_url(),  # "more from this booth"
    ]
    for url in pages:
        client.cookies.clear()
        assert a.title in client.get(url).content.decode(), url

    if how.startswith("paused"):
        Product.objects.filter(pk=a.pk).update(is_paused=True)  # product_pause
    else:
        a.deleted_at = a.date_created
        a.save()

    for url in pages:
        client.cookies.clear()
        assert a.title not in client.get(url).content.decode(), url
    client.cookies.clear()
    assert client.get(a.get_absolute_url()).status_code == 404


def test_a_renamed_product_changes_its_card_but_no_listing(
    client, two_category_shop, spies
):
    rendered, listings_built = spies
    a = two_category_shop["a"]
    _warm(client, two_category_shop)
    rendered.clear()
    listings_built.clear()
    a.title = "دستبند چرم بافته"
    a.save()
    assert "دستبند چرم بافته" in _titles(client.get(two_category_shop["category"]))
    assert rendered == ["دستبند چرم بافته"]
    assert listings_built == []


def test_cards_show_no_stock(two_category_shop):
    """Why a sale leaves cards alone: if a card ever shows stock, make it depend
    on `stock_version` too (catalog.cards)."""
    a = Product.objects.get(pk=two_category_shop["a"].pk)
    from catalog.selectors import product_list_public

    before = product_card_render(product_list_public().get(pk=a.pk))
    StockRecord.objects.filter(product=a).update(num_in_stock=0, num_allocated=0)
    assert product_card_render(product_list_public().get(pk=a.pk)) == before
