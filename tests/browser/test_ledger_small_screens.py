"""Her ledger on a 320 and a 390 px phone: each row a card of labelled lines, no
sideways scroll, the date and what the row is for never side by side (issue 24
§3.7); and the order timeline is numbered in Persian digits (§3.1)."""

import pytest
from django.urls import reverse

from orders.ledger import ledger_payout
from orders.services import seller_order_transition
from orders.stalls import stall_sale_record
from sellers.models import BazaarStall
from tests.bazaars.conftest import make_bazaar
from tests.conftest import PHONE
from tests.factories import StaffFactory, make_product, provinces_loaded
from tests.orders.conftest import basket_with, make_booth, place

pytestmark = pytest.mark.browser
PASSWORD = "pass-1234-word"  # noqa: S105  (tests.factories.UserFactory's)


@pytest.mark.parametrize("width", [320, 390])
def test_the_ledger_reads_on_a_phone(
    transactional_db, live_server, browser, axe_audit, width
):
    provinces_loaded()
    seller, owner = make_booth("+989121111111", name="چرم نیلوفر")
    product = make_product(seller=seller, title="کیف چرمی", num_in_stock=5)
    part = place(basket_with([(product, 1)])).seller_orders.get()
    for action in ("accept", "ship", "deliver"):
        seller_order_transition(seller_order=part, action=action, party="seller")
    stall = BazaarStall.objects.create(
        bazaar=make_bazaar(), seller=seller, stall_number="12"
    )
    stall_sale_record(
        stall=stall,
        stockrecord_id=product.stockrecords.get().pk,
        quantity=1,
        actor=owner,
    )
    ledger_payout(seller=seller, actor=StaffFactory())

    context = browser.new_context(
        **{**PHONE, "viewport": {"width": width, "height": 700}}
    )
    page = context.new_page()
    ledger = reverse("orders_panel:ledger", args=[seller.pk])
    page.goto(f"{live_server.url}/account/login/?next={ledger}")
    page.get_by_label("شماره موبایل").fill(owner.username)
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()
    page.wait_for_url(f"**{ledger}")

    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 0, f"the ledger is {overflow}px wider than the screen"
    rows = page.get_by_test_id("ledger-entry")
    assert rows.count() >= 5
    for i in range(rows.count()):
        row = rows.nth(i)
        date = row.get_by_test_id("ledger-date").bounding_box()
        source = row.get_by_test_id("ledger-source").bounding_box()
        # stacked: what the row is for starts below its date, full width
        assert source["y"] >= date["y"] + date["height"] - 1
        assert source["width"] > width * 0.6
        assert row.get_by_test_id("ledger-source").inner_text().strip() != "—"
        # each line says what it is (the column heading is hidden on a phone)
        label = row.get_by_test_id("ledger-date").evaluate(
            "td => getComputedStyle(td, '::before').content"
        )
        assert label == '"تاریخ"'

    page.goto(live_server.url + reverse("orders_panel:part", args=[seller.pk, part.pk]))
    marker = page.get_by_test_id("audit").evaluate(
        "ol => getComputedStyle(ol).listStyleType"
    )
    assert marker == "persian"
    context.close()
