"""Issue 11, "also found": Oscar's dashboard was wider than a phone. At 390 px
its pages scroll up and down only (wide tables scroll inside their own box)."""

from __future__ import annotations

import pytest

from tests.browser.staff import pass_staff_second_factor
from tests.factories import CategoryFactory, SellerFactory, UserFactory, make_product

pytestmark = pytest.mark.browser
PASSWORD = "dash-test-password-1403"  # noqa: S105  (a test user's password)
PAGES = [
    "/staff/",
    "/dashboard/catalogue/",
    "/dashboard/catalogue/categories/",
    "/dashboard/orders/",
    "/dashboard/users/",
    "/dashboard/partners/",
]


def test_the_dashboard_fits_a_phone(transactional_db, live_server, phone_page):
    make_product(
        seller=SellerFactory(),
        category=CategoryFactory(name="زیورآلات"),
        title="دستبند چرم دست‌دوز با نامی بلند برای آزمودن پهنای جدول‌ها",
    )
    staff = UserFactory(username="+989120000001", is_staff=True, is_superuser=True)
    staff.set_password(PASSWORD)
    staff.save()
    page = phone_page
    page.goto(f"{live_server.url}/account/login/?next=/dashboard/")
    page.get_by_label("شماره موبایل").fill("09120000001")
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()
    pass_staff_second_factor(page, "09120000001")
    widths = {}
    for url in PAGES:
        page.goto(live_server.url + url)
        widths[url] = page.evaluate("document.documentElement.scrollWidth")
    assert all(width <= 390 for width in widths.values()), widths
