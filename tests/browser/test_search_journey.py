"""Journey 3, the search step, on a phone: «دستبند چرم» in every spelling a buyer
may type (Arabic ي/ك, with and without ZWNJ, Persian and Latin digits), the
header's suggestions without a page reload, then the category, district and
"ships to my city" filters. On the real Elasticsearch (scripts/services)."""

import pytest
from playwright.sync_api import expect

from catalog.models import Product
from tests.factories import DistrictFactory, SellerFactory, make_product
from tests.search.conftest import build_catalogue, index_everything

pytestmark = pytest.mark.browser

ZWNJ = "\u200c"


@pytest.mark.parametrize(
    "typed",
    [
        "دستبند چرم",
        "دستبند چرم كوچك",  # Arabic kaf
        "دستبند چرم كوچك مشكي",  # Arabic kaf and yeh
        f"دستبند چرم دست{ZWNJ}دوز",  # with ZWNJ
        "دستبند چرم دستدوز",  # without it
        "دستبند چرم دست دوز",  # with a space
        "دستبند چرم سایز ۱۸",  # Persian digits
        "دستبند چرم سایز 18",  # Latin digits
        "دستبند چرم سایز ١٨",  # Arabic-Indic digits
    ],
)
def test_a_buyer_finds_the_leather_bracelet_however_she_types_it(
    transactional_db, live_server, phone_page, search_es, typed
):
    catalogue = build_catalogue()
    small = make_product(
        seller=catalogue.sellers["niloofar"],
        category=catalogue.categories["bracelets"],
        title=f"دستبند چرم کوچک مشکی دست{ZWNJ}دوز سایز ۱۸",
    )
    Product.objects.filter(pk=small.pk).update(description="")
    index_everything(catalogue)
    page = phone_page
    page.goto(live_server.url + "/")

    box = page.get_by_role("combobox", name="جست‌وجو")
    box.fill(typed)
    expect(page.locator("#search-suggestions")).to_be_visible()
    expect(
        page.get_by_role("option").filter(has_text="دستبند چرم").first
    ).to_be_visible()
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    cards = page.get_by_test_id("product-card")
    expect(cards.first).to_be_visible()
    titles = cards.locator(".card-title").all_inner_texts()
    if typed.strip() == "دستبند چرم":
        assert set(titles[:2]) == {small.title, "دستبند چرم دست‌دوز"}
    else:
        assert titles[0] in {small.title, "دستبند چرم دست‌دوز"}
        assert small.title in titles[:2]
    # Never a booth that is not open, nor a paused product.
    assert "دستبند چرم بسته" not in titles
    assert "دستبند چرم متوقف" not in titles


def test_a_buyer_picks_a_suggestion_then_filters_by_category_and_district(
    transactional_db, live_server, phone_page, search_es
):
    catalogue = build_catalogue()
    other = SellerFactory(
        brand_name="چرمینه", slug="charmineh", district=DistrictFactory(number=5)
    )
    make_product(
        seller=other,
        category=catalogue.categories["bracelets"],
        title="دستبند چرم بافت",
    )
    index_everything(catalogue)
    page = phone_page
    page.goto(live_server.url + "/catalogue/")

    # Suggestions as she types, and a tap opens the product: no results page.
    page.get_by_role("combobox", name="جست‌وجو").fill("دستبند چرم د")
    page.get_by_role("option", name="دستبند چرم دست‌دوز").click()
    expect(
        page.get_by_role("heading", level=1, name="دستبند چرم دست‌دوز")
    ).to_be_visible()

    # Search, then narrow by category and by district from the facets panel.
    box = page.get_by_role("combobox", name="جست‌وجو")
    box.fill("دستبند")
    box.press("Enter")
    expect(page.get_by_test_id("search-count")).to_have_text("۳ محصول پیدا شد")
    page.get_by_text("فیلتر و مرتب‌سازی").click()
    page.locator('[data-facet="category"]').get_by_role("link", name="چرم").click()
    expect(page.get_by_test_id("search-count")).to_have_text("۲ محصول پیدا شد")
    # The panel stays open while a filter is on.
    expect(page.locator("details.search-facets")).to_have_attribute("open", "")
    page.locator('[data-facet="district"]').get_by_role("link", name="منطقه ۵").click()
    expect(page.get_by_test_id("search-count")).to_have_text("۱ محصول پیدا شد")
    expect(page.get_by_test_id("product-card")).to_have_count(1)
    expect(page.get_by_test_id("product-card")).to_contain_text("دستبند چرم بافت")

    # "Ships to my city", from the same panel on her phone: a buyer in Kashan.
    page.goto(live_server.url + "/search/?q=دستبند")
    page.get_by_text("فیلتر و مرتب‌سازی").click()
    place = page.locator('[data-facet="ships_to"]')
    place.get_by_label("استان شما").select_option(label="اصفهان")
    place.get_by_label("شهر شما").fill("کاشان")
    place.get_by_role("button").click()
    # Only Nastaran posts: her silver bracelet reaches Kashan, the others do not.
    expect(page.get_by_test_id("search-count")).to_have_text("۱ محصول پیدا شد")
    expect(page.get_by_test_id("product-card")).to_contain_text("دستبند نقره ظریف")
    expect(place.get_by_role("link", name="ارسال به کاشان")).to_be_visible()
