"""On a phone: a buyer abroad chooses to pay by card, and Stripe.js cannot be
reached (as in CI: no network; every request to Stripe's hosts is refused
here). The payment page says so in Persian and offers paying on delivery,
which places the order with the booths."""

import re

import pytest
from playwright.sync_api import expect

from marketplace.accounts import sms
from orders.models import CardPayment, Order, SellerOrder
from tests.browser.checkout_steps import guest_to_delivery_choices
from tests.factories import make_product
from tests.orders.conftest import make_booth
from tests.orders.stripe_helpers import set_rate

pytestmark = pytest.mark.browser


def test_payment_page_without_stripe_js_offers_the_other_methods(
    transactional_db, live_server, phone_page, stripe_mock
):
    sms.outbox.clear()
    set_rate()
    seller, _ = make_booth("+989121111111", name="چرم نیلوفر")
    product = make_product(seller=seller, title="دستبند چرم")
    page = phone_page
    stripe_requests = []

    def refuse(route):
        stripe_requests.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^https://([a-z0-9-]+\.)*stripe\.com/"), refuse)

    page.goto(live_server.url + product.get_absolute_url())
    page.get_by_test_id("add-to-basket").click()
    page.goto(live_server.url + "/basket/")
    guest_to_delivery_choices(page)

    page.locator('input[value="post:card"]').check()
    page.get_by_test_id("choices-continue").click()
    expect(page.get_by_test_id("review-card")).to_contain_text("EUR")
    page.get_by_test_id("place-order").click()

    # the payment page: amounts and rate, then the fallback, in Persian
    expect(page.get_by_test_id("card-rate")).to_contain_text("نرخ")
    fallback = page.get_by_test_id("card-fallback")
    expect(fallback).to_be_visible()
    expect(page.get_by_test_id("card-fallback-text")).to_contain_text(
        "فرم پرداخت Stripe بارگذاری نشد"
    )
    expect(page.get_by_test_id("card-form")).to_be_hidden()
    expect(page.get_by_test_id("card-pay")).to_be_hidden()
    assert any("js.stripe.com" in url for url in stripe_requests)
    assert CardPayment.objects.count() == 1  # the intent exists (stripe-mock)

    page.get_by_test_id("card-switch").click()
    expect(page.get_by_text("سفارش شما ثبت شد", exact=False)).to_be_visible()
    part = Order.objects.get().seller_orders.get()
    assert part.status == SellerOrder.Status.NEW
    assert part.payment_method == "cod"
