"""Journey 5 in the browser (issue 27): a programme's staff member follows her
programme's season on a phone: she logs in and lands on the staff home, opens
the reports, narrows the sellers report to this season and her programme, reads
the chart's table, moves to the orders report with the same filters and finds
the downloads; no sideways scroll, axe passing on every page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.persian import to_jalali
from marketplace.reports.periods import SEASONS
from orders.services import seller_order_transition
from sellers.models import Programme
from tests.browser.staff import pass_staff_second_factor
from tests.factories import StaffFactory, make_product, provinces_loaded
from tests.orders.conftest import basket_with, make_booth, place

pytestmark = pytest.mark.browser
PASSWORD = "journey-five-password-1403"  # noqa: S105  (a test user's password)


@pytest.mark.dates
def test_staff_follow_a_programmes_season(transactional_db, live_server, phone_page):
    provinces_loaded()
    behzisti = Programme.objects.create(code="behzisti", name="بهزیستی")
    for n in range(6):
        seller, _ = make_booth(f"+98912100010{n}", programme=behzisti)
        part = place(
            basket_with([(make_product(seller=seller, price_rials=2_000_000), 1)])
        ).seller_orders.get()
        for action in ("accept", "ship", "deliver"):
            seller_order_transition(seller_order=part, action=action, party="seller")
    staff = StaffFactory(username="+989120000005")
    staff.set_password(PASSWORD)
    staff.save()
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="reports", codename="view")
    )

    page = phone_page
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("شماره موبایل").fill("09120000005")
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()
    pass_staff_second_factor(page, "09120000005")
    page.wait_for_url(f"**{reverse('reports:home')}")
    page.get_by_test_id("reports-link").click()
    page.get_by_role("link", name="فروشندگان", exact=True).click()
    page.get_by_label("دوره", exact=True).select_option("season")
    page.get_by_label("برنامه", exact=True).select_option(label="بهزیستی")
    page.get_by_role("button", name="نمایش").click()

    season = SEASONS[(to_jalali(timezone.localdate()).month - 1) // 3]
    described = page.get_by_test_id("report-filters-described")
    expect(described).to_contain_text("بهزیستی")
    expect(described).to_contain_text(season)
    chart = page.get_by_test_id("chart-status").locator("svg")
    expect(chart).to_have_attribute("role", "img")
    expect(page.get_by_test_id("report-table-status")).to_contain_text("۶")
    assert (
        page.evaluate("document.documentElement.scrollWidth")
        <= page.viewport_size["width"]
    )

    page.get_by_role("link", name="سفارش‌ها", exact=True).click()
    expect(page.get_by_test_id("report-filters-described")).to_contain_text("بهزیستی")
    expect(page.get_by_test_id("report-table-orders")).to_contain_text(
        "۱٬۲۰۰٬۰۰۰ تومان"
    )
    href = page.get_by_test_id("export-xlsx").get_attribute("href")
    assert "export.xlsx?" in href and "programme=" in href
    assert (
        page.evaluate("document.documentElement.scrollWidth")
        <= page.viewport_size["width"]
    )
