"""A buyer on a phone: home page → category → product → basket."""

import pytest
from playwright.sync_api import expect

from tests.factories import CategoryFactory, SellerFactory, make_product

# live_server serves from another thread, so the data must be committed:
# transactional_db. tests/conftest.py restores what the migrations created (the
# Wagtail home page and site) before each transactional test.
pytestmark = pytest.mark.browser


def test_phone_buyer_browses_a_category_and_fills_the_basket(
    transactional_db, live_server, phone_page
):
    # Given a booth selling one product in one category
    category = CategoryFactory(name="زیورآلات")
    product = make_product(
        seller=SellerFactory(), category=category, title="دستبند چرم دست‌دوز"
    )
    page = phone_page

    # When a buyer opens the home page
    page.goto(live_server.url + "/")

    # Then it is a right-to-left Persian page with its heading in view
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "fa")
    expect(
        page.get_by_role("heading", level=1, name="بازارچه دستاوردهای زنان شهر تهران")
    ).to_be_visible()

    # When she picks the category in the header menu
    menu = page.get_by_role("navigation", name="دسته‌ها")
    menu.get_by_role("link", name=category.name, exact=True).click()

    # Then she sees the product's card and opens it
    card = page.get_by_test_id("product-card").filter(has_text=product.title)
    expect(card).to_be_visible()
    card.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1, name=product.title)).to_be_visible()

    # When she adds it to her basket and opens the basket
    page.get_by_test_id("add-to-basket").click()
    expect(page.get_by_test_id("basket-count")).to_have_text("۱")
    header = page.locator("header")
    # The basket link says its count to a screen reader too.
    header.get_by_role("link", name="سبد خرید، ۱ کالا", exact=True).click()

    # Then the basket lists the product and the header counts one item
    expect(page).to_have_url(live_server.url + "/basket/")
    expect(page.get_by_text(product.title, exact=True)).to_be_visible()
    expect(page.get_by_test_id("basket-count")).to_have_text("۱")
