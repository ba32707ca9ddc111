"""Issue 25 §4: the staff ledger page (payable and collection lists, batches)
and a payout batch's page read on a 320 px phone: no sideways scroll, each
booth a stacked card with its paid button."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from orders.models import LedgerEntry
from orders.payouts import payout_batch_create
from tests.browser.staff import pass_staff_second_factor
from tests.conftest import PHONE
from tests.factories import SellerFactory, StaffFactory

pytestmark = pytest.mark.browser
PASSWORD = "payout-test-password-1403"  # noqa: S105  (a test user's password)


def test_the_payout_pages_fit_a_320px_phone(
    transactional_db, live_server, browser, axe_audit
):
    staff = StaffFactory(username="+989120000001")
    staff.set_password(PASSWORD)
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="change_order"))
    owed = SellerFactory(
        brand_name="کارگاه دوخت و دوز و گلدوزی سنتی بانوان محلهٔ نارمک",
        payout_account_holder="فاطمه سادات حسینی‌نژاد اصفهانی",
        payout_sheba="IR820540102680020817909002",
    )
    owes = SellerFactory(brand_name="شیرینی مهر")
    LedgerEntry.objects.create(seller=owed, kind="sale", amount=1_787_500)
    LedgerEntry.objects.create(seller=owes, kind="commission", amount=-62_500)
    batch = payout_batch_create(kind="payout", actor=staff)
    LedgerEntry.objects.create(seller=owed, kind="sale", amount=1_250_000)

    context = browser.new_context(
        **{**PHONE, "viewport": {"width": 320, "height": 700}}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    ledger = reverse("orders_staff:ledger")
    page.goto(f"{live_server.url}/account/login/?next={ledger}")
    page.get_by_label("شماره موبایل").fill("09120000001")
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()
    pass_staff_second_factor(page, "09120000001")
    page.goto(live_server.url + ledger)
    assert page.get_by_test_id("payable-row").count() == 1
    assert page.get_by_test_id("collect-row").count() == 1
    widths = {"ledger": page.evaluate("document.documentElement.scrollWidth")}
    page.goto(live_server.url + reverse("orders_staff:payout_batch", args=[batch.pk]))
    assert page.get_by_test_id("settle-line").count() == 1
    widths["batch"] = page.evaluate("document.documentElement.scrollWidth")
    assert all(width <= 320 for width in widths.values()), widths
    context.close()
