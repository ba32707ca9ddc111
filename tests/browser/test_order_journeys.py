"""On a phone: journey 3 (a guest buys from three booths and pays once, on
delivery) and journey 4 (each booth works its own part; one declines, one
ships; the buyer tracks each part)."""

import pytest
from playwright.sync_api import expect

from marketplace.accounts import sms
from orders.models import Order
from orders.notifications import buyer_link_token
from tests.browser.checkout_steps import guest_to_delivery_choices
from tests.factories import make_product
from tests.orders.conftest import basket_with, make_booth, place

pytestmark = pytest.mark.browser
PASSWORD = "pass-1234-word"  # noqa: S105  (tests.factories.UserFactory's)


def test_journey_3_guest_buys_from_three_booths(
    transactional_db, live_server, phone_page
):
    sms.outbox.clear()
    products = [
        make_product(seller=make_booth(f"+98912{i}111111", name=name)[0], title=title)
        for i, (name, title) in enumerate(
            [
                ("چرم نیلوفر", "دستبند چرم"),
                ("شیرینی مهر", "کلوچه"),
                ("گلیم سارا", "گلیم کوچک"),
            ]
        )
    ]
    page = phone_page
    for product in products:
        page.goto(live_server.url + product.get_absolute_url())
        page.get_by_test_id("add-to-basket").click()
    expect(page.get_by_test_id("basket-count")).to_have_text("۳")

    page.goto(live_server.url + "/basket/")
    expect(page.get_by_test_id("basket-part")).to_have_count(3)
    guest_to_delivery_choices(page)

    offers = page.get_by_test_id("offer-courier")
    expect(offers).to_have_count(3)
    for i in range(3):
        offers.nth(i).check()
    page.get_by_test_id("choices-continue").click()

    expect(page.get_by_test_id("review-part")).to_have_count(3)
    expect(page.get_by_test_id("expected-date").first).to_contain_text("۱۴۰")
    page.get_by_test_id("place-order").click()

    expect(page.get_by_text("سفارش شما ثبت شد", exact=False)).to_be_visible()
    expect(page.get_by_test_id("order-part")).to_have_count(3)
    assert Order.objects.count() == 1
    assert Order.objects.get().seller_orders.count() == 3


def _login(page, base_url, phone, next_url):
    page.goto(f"{base_url}/account/login/?next={next_url}")
    page.get_by_label("شماره موبایل").fill(phone)
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()


def test_journey_4_booths_work_their_parts_buyer_tracks(
    transactional_db, live_server, browser
):
    from tests.conftest import PHONE

    leather, _ = make_booth("+989121111111", name="چرم نیلوفر")
    sweets, _ = make_booth("+989122222222", name="شیرینی مهر")
    order = place(
        basket_with(
            [
                (make_product(seller=leather, title="کیف چرمی"), 1),
                (make_product(seller=sweets, title="کیک خانگی"), 1),
            ]
        )
    )
    leather_part = order.seller_orders.get(seller=leather)
    sweets_part = order.seller_orders.get(seller=sweets)

    # the leather booth: only her part; she accepts and ships it
    context = browser.new_context(**PHONE)
    page = context.new_page()
    _login(page, live_server.url, "09121111111", f"/panel/{leather.pk}/orders/")
    expect(page.get_by_test_id("inbox-part")).to_have_count(1)
    expect(page.get_by_text("کیک خانگی")).to_have_count(0)
    page.get_by_test_id("inbox-part").get_by_role("link").click()
    page.get_by_test_id("action-accept").click()
    expect(page.get_by_test_id("part-status")).to_have_text(
        "پذیرفته شد؛ در حال آماده‌سازی"
    )
    page.get_by_label("کد رهگیری (اختیاری)").fill("123456")
    page.get_by_test_id("action-ship").click()
    expect(page.get_by_test_id("part-status")).to_have_text("ارسال شد")
    context.close()

    # the sweets booth declines hers with a reason
    context = browser.new_context(**PHONE)
    page = context.new_page()
    _login(
        page,
        live_server.url,
        "09122222222",
        f"/panel/{sweets.pk}/orders/{sweets_part.pk}/",
    )
    # declining is a second tap: open it, then confirm (no script)
    page.get_by_test_id("decline-confirm").locator("summary").click()
    page.get_by_label("دلیل رد کردن (برای خریدار فرستاده می‌شود)").fill(
        "فر خراب شده است"
    )
    page.get_by_test_id("action-decline").click()
    expect(page.get_by_test_id("part-status")).to_have_text("لغو شد")
    context.close()

    # the buyer follows her link: each part with its own status
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(live_server.url + f"/orders/t/{buyer_link_token(order)}/")
    parts = page.get_by_test_id("order-part")
    expect(parts).to_have_count(2)
    expect(
        parts.filter(has_text="چرم نیلوفر").get_by_test_id("part-status")
    ).to_have_text("ارسال شد")
    expect(
        parts.filter(has_text="شیرینی مهر").get_by_test_id("part-status")
    ).to_have_text("لغو شد")
    expect(page.get_by_text("فر خراب شده است", exact=False)).to_be_visible()
    parts.filter(has_text="چرم نیلوفر").get_by_test_id("buyer-deliver").click()
    expect(
        parts.filter(has_text="چرم نیلوفر").get_by_test_id("part-status")
    ).to_have_text("تحویل شد")
    context.close()
    leather_part.refresh_from_db()
    assert leather_part.status == "delivered"
