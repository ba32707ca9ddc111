"""The search page and the header's suggestions, in our layout."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

URL = "/search/"
# The cards of a page when their cache is off (catalog.cards), and a search on
# the database backend (the SQL of one search with its facet counts).
CARD_QUERIES = 3
SEARCH_QUERIES = 5


def test_results_use_the_category_cards_and_persian_digits(client, indexed):
    response = client.get(URL, {"q": "دستبند"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="product-card"' in html
    assert "۲ محصول پیدا شد" in html
    assert "دستبند چرم دست‌دوز" in html and "دستبند نقره ظریف" in html
    assert "۱۲۵٬۰۰۰ تومان" in html  # the card's price, as on category pages
    assert '<html lang="fa" dir="rtl">' in html


def test_pagination_in_persian_digits(client, indexed, monkeypatch):
    monkeypatch.setattr("catalog.search.views.PAGE_SIZE", 2)
    monkeypatch.setattr("catalog.search.forms.PAGE_SIZE", 2)
    response = client.get(URL, {"q": "", "kind": "group", "page": "2"})
    html = response.content.decode()
    assert "صفحهٔ ۲ از ۲" in html
    assert "۴ محصول پیدا شد" in html
    # A page past the end shows the last one, not an error.
    assert client.get(URL, {"kind": "group", "page": "99"}).status_code == 200


def test_an_empty_query_shows_the_categories(client, indexed):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "product-card" not in html
    for name in ("چرم", "زیورآلات", "خوراکی خانگی"):
        assert f">{name}</a>" in html


def test_a_long_query_is_shown_shortened(client, indexed):
    long_query = "دستبند " * 100
    response = client.get(URL, {"q": long_query})
    assert response.status_code == 200
    heading = response.content.decode().split("<h1", 1)[1].split("</h1>", 1)[0]
    assert len(heading) < 300
    assert "…" in heading


def test_facets_with_counts_and_did_you_mean(client, indexed):
    response = client.get(URL, {"q": "دستبند"})
    html = response.content.decode()
    assert 'data-facet="category"' in html and "منطقه ۲۰" in html
    assert "(۱)" in html
    if connection.vendor == "postgresql":
        # Two edits from گردنبند (a plural, «گردنبندها», is stemmed and found).
        response = client.get(URL, {"q": "گردنبندتا"})
        assert "«گردنبند»" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "\x00"},
        {"q": "'\"<script>"},
        {"category": "../../etc"},
        {"district": "99"},
        {"price": "nope"},
        {"min_price": "ابجد", "max_price": "-1"},
        {"sort": "drop table"},
        {"page": "-3"},
        {"page": "10000000000000000000000"},
        {"q": "&&|!:*()"},
    ],
)
def test_anything_typed_is_a_page_never_a_500(client, indexed, params):
    assert client.get(URL, params).status_code == 200


@pytest.mark.parametrize(
    ("card_cache", "search_cache", "expected"),
    [(600, 300, 0), (0, 300, CARD_QUERIES), (600, 0, 0), (0, 0, CARD_QUERIES)],
)
def test_the_page_runs_a_constant_number_of_queries(
    client, indexed, settings, card_cache, search_cache, expected
):
    """Pinned: warm, the page asks the database nothing but the cards when their
    cache is off (the search itself goes to the database backend here, and is
    counted when its result cache is off)."""
    settings.CARD_CACHE_SECONDS = card_cache
    settings.SEARCH_CACHE_SECONDS = search_cache
    searching = 0 if search_cache else SEARCH_QUERIES
    for warm in ("نقره", "دستبند"):  # the category menu, the cards when cached
        client.get(URL, {"q": warm})
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, {"q": "نقره"}).status_code == 200  # 1 result
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL, {"q": "دستبند"}).status_code == 200  # 2 results
    assert len(few) == len(many) == expected + searching, [q["sql"][:80] for q in many]


def test_a_signed_in_buyer_costs_a_fixed_number_of_queries(client, indexed):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="counted"))
    client.get(URL, {"q": "دستبند"})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"q": "دستبند"}).status_code == 200
    # What every page costs her (session and user; the header's basket count is
    # cached per buyer), and her saved address for "ships to my city".
    assert len(queries) == 3, [q["sql"][:80] for q in queries]
    assert sum("order_buyeraddress" in q["sql"] for q in queries) == 1


def test_autocomplete_json(client, indexed):
    response = client.get(reverse("search:autocomplete"), {"q": "كيف د"})
    assert response.status_code == 200
    data = response.json()
    assert [p["title"] for p in data["products"]] == ["كيف دوشي چرمي"]
    assert data["products"][0]["url"].startswith("/catalogue/")
    data = client.get(reverse("search:autocomplete"), {"q": "زیور"}).json()
    assert data["categories"][0]["title"] == "زیورآلات"
    assert client.get(reverse("search:autocomplete")).json()["products"] == []


def test_oscar_haystack_search_is_gone(client, settings):
    assert "haystack" not in settings.INSTALLED_APPS
    assert "oscar.apps.search.apps.SearchConfig" not in settings.INSTALLED_APPS
    with pytest.raises(NoReverseMatch):
        reverse("search:search-facet")
    assert reverse("search:search") == URL


def test_the_header_box_asks_for_suggestions_from_a_static_script(client, indexed):
    html = client.get("/catalogue/").content.decode()
    assert 'data-suggest-url="/search/suggest/"' in html
    assert "js/search-suggest.js" in html


def test_ships_to_my_city_picked_on_the_page(client, indexed):
    """A buyer in Isfahan picks her province and city: the booths that deliver
    there by post, and her city named back to her."""
    response = client.get(URL, {"q": "", "ships_to": "IR-10", "city": "کاشان"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "۴ محصول پیدا شد" in html
    assert "ارسال به کاشان" in html
    assert "کیف پول مردانه" not in html  # Niloofar's courier stays in Tehran
    assert "گردنبند مهره‌ای" in html
    # The page's own picker: every province, hers chosen.
    assert '<option value="IR-10" selected>اصفهان</option>' in html
    # In Tehran: two booths out of three.
    html = client.get(URL, {"q": "", "ships_to": "IR-23"}).content.decode()
    assert "۸ محصول پیدا شد" in html and "ارسال به تهران" in html
    # Nonsense is dropped, never a 500.
    assert client.get(URL, {"q": "کیف", "ships_to": "XX"}).status_code == 200


def test_ships_to_my_city_offers_a_signed_in_buyers_saved_address(client, indexed):
    from orders.models import BuyerAddress
    from sellers.models import Province
    from tests.factories import UserFactory

    buyer = UserFactory(username="buyer-shiraz")
    BuyerAddress.objects.create(
        user=buyer,
        province=Province.objects.get(code="IR-07"),
        city="شیراز",
        street="خیابان زند",
        postcode="7134567890",
        recipient_name="مریم",
        recipient_phone="09121234567",
    )
    client.force_login(buyer)
    html = client.get(URL, {"q": "دستبند"}).content.decode()
    # Not applied unasked: both bracelets, and one tap away, how many reach her.
    assert "۲ محصول پیدا شد" in html
    facet = html.split('data-facet="ships_to"', 1)[1].split("</div>", 1)[0]
    assert "ارسال به شیراز" in facet and "(۱)" in facet
    assert "ships_to=IR-07" in facet
    assert '<option value="IR-07" selected>فارس</option>' in facet


def test_the_booths_province_facet_names_provinces(client, indexed):
    html = client.get(URL, {"q": "", "kind": "individual"}).content.decode()
    facet = html.split('data-facet="province"', 1)[1].split("</div>", 1)[0]
    assert "فارس" in facet and "تهران" in facet and "province=IR-07" in facet
    html = client.get(URL, {"province": "IR-07"}).content.decode()
    assert "۱ محصول پیدا شد" in html and "ترشی لیته" in html
