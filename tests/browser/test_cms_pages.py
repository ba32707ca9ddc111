"""A visitor on a phone: the home page's editorial blocks and sections, then a
bazaar page with its dates, place, map link and booths (axe audits each page)."""

import pytest
from playwright.sync_api import expect
from wagtail.rich_text import RichText

from cms.models import HomePage
from tests.cms.conftest import add_stalls, make_bazaar, publish_bazaar_page

pytestmark = pytest.mark.browser


def test_phone_visitor_finds_a_bazaar_from_the_home_page(
    transactional_db, live_server, phone_page
):
    # Given a home page with blocks, a bazaar section and a running bazaar
    from cms.models import BazaarIndexPage

    home = HomePage.objects.get()
    home.body = [
        ("heading", "دست‌سازه‌ها، از خانه به خانه"),
        ("paragraph", RichText("<p>کار دست زنان تهران، بی‌واسطه.</p>")),
        ("quote", {"text": "هر سفارش یک روز کار بیشتر است.", "attribution": ""}),
    ]
    home.save_revision().publish()
    index = BazaarIndexPage(title="بازارچه‌ها", slug="bazaars", show_in_menus=True)
    home.add_child(instance=index)
    index.save_revision().publish()
    bazaar = make_bazaar(starts_in=-1, days=3, name="بازارچه دستاوردهای زنان – بوستان")
    stalls = add_stalls(bazaar, 3)
    publish_bazaar_page(index, bazaar, photos=1)
    page = phone_page

    # When she opens the home page
    page.goto(live_server.url + "/")
    expect(
        page.get_by_role("heading", level=2, name="دست‌سازه‌ها، از خانه به خانه")
    ).to_be_visible()
    expect(page.get_by_text("هر سفارش یک روز کار بیشتر است.")).to_be_visible()

    # And follows the bazaars section
    page.get_by_role("navigation", name="بخش‌های سایت").get_by_role(
        "link", name="بازارچه‌ها"
    ).click()
    running = page.get_by_test_id("bazaars-running")
    running.get_by_role("link", name=bazaar.name).click()

    # Then the bazaar page says when, where, and who is there, at phone width
    expect(page.get_by_role("heading", level=1, name=bazaar.name)).to_be_visible()
    expect(page.get_by_test_id("bazaar-phase")).to_have_text("در حال برگزاری")
    expect(page.get_by_role("link", name="مسیر روی نقشه")).to_have_attribute(
        "href", bazaar.map_url
    )
    booths = page.get_by_test_id("stalls")
    for stall in stalls:
        expect(booths.get_by_text(stall.seller.brand_name)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
