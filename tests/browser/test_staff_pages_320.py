"""Issue 27 §1: the staff home, the ledger and the attention page on a 320 px
phone: no sideways scroll (the attention page's rows are stacked cards), axe
passing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from orders.models import CardPayment, LedgerEntry, SellerOrder
from tests.browser.staff import pass_staff_second_factor
from tests.conftest import PHONE
from tests.factories import SellerFactory, StaffFactory, make_product, provinces_loaded
from tests.orders.conftest import basket_with, make_booth, place

pytestmark = pytest.mark.browser
PASSWORD = "staff-home-password-1403"  # noqa: S105  (a test user's password)


@pytest.mark.dates
def test_the_staff_pages_fit_a_320px_phone(
    transactional_db, live_server, browser, axe_audit
):
    provinces_loaded()
    staff = StaffFactory(username="+989120000001")
    staff.set_password(PASSWORD)
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="change_order"))
    seller, _ = make_booth(
        "+989121111111", name="کارگاه دوخت و دوز و گلدوزی سنتی بانوان محلهٔ نارمک"
    )
    order = place(basket_with([(make_product(seller=seller, num_in_stock=3), 1)]))
    SellerOrder.objects.filter(order=order).update(
        accept_deadline=timezone.now() - dt.timedelta(hours=2)
    )
    CardPayment.objects.create(
        order=order,
        payment_intent_id="pi_3QwErTyUiOpAsDfGhJkLzXcVbNm1234567890",
        idempotency_key="pi-basket-test-320",
        status=CardPayment.Status.MISMATCH,
        amount_rials=1_000_000,
        amount_minor=1234,
        currency="eur",
        rials_per_unit=800_000,
        rate_effective_on=timezone.localdate(),
        failure_message="succeeded for 9999 usd instead of 1234 eur (mismatch)",
    )
    owed = SellerFactory(payout_sheba="IR820540102680020817909002")
    LedgerEntry.objects.create(seller=owed, kind="sale", amount=1_787_500)

    context = browser.new_context(
        **{**PHONE, "viewport": {"width": 320, "height": 700}}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("شماره موبایل").fill("09120000001")
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()
    pass_staff_second_factor(page, "09120000001")
    page.wait_for_url(f"**{reverse('reports:home')}")
    widths = {"home": page.evaluate("document.documentElement.scrollWidth")}
    assert page.get_by_test_id("staff-task").count() >= 5
    for name in ("attention", "ledger"):
        page.goto(live_server.url + reverse(f"orders_staff:{name}"))
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
    assert page.get_by_test_id("payable-row").count() == 1
    page.goto(live_server.url + reverse("orders_staff:attention"))
    assert page.get_by_test_id("attention-part").count() == 1
    assert page.get_by_test_id("payment-mismatch").count() == 1
    assert all(width <= 320 for width in widths.values()), widths
    context.close()
