"""Issue 11 item 13: under the enforced Content-Security-Policy the storefront, the
seller panel, the staff pages, Oscar's dashboard and Wagtail's admin work, and
the browser reports no violation on them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sellers.models import SellerMember
from tests.browser.staff import pass_staff_second_factor
from tests.factories import CategoryFactory, SellerFactory, UserFactory, make_product

pytestmark = pytest.mark.browser
PASSWORD = "csp-test-password-1403"  # noqa: S105  (a test user's password)


def watch_violations(page) -> list[str]:
    """Every CSP violation the page reports, from the DOM event and the console."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('Content Security Policy violation: ' + e.violatedDirective"
        " + ' ' + e.blockedURI))"
    )
    return found


def log_in(page, base_url, phone, next_url):
    page.goto(f"{base_url}/account/login/?next={next_url}")
    page.get_by_label("شماره موبایل").fill(phone)
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()


def test_every_area_works_under_the_policy(
    transactional_db, live_server, phone_page, browser
):
    category = CategoryFactory(name="زیورآلات")
    seller = SellerFactory(brand_name="چرم نیلوفر", slug="niloofar")
    product = make_product(seller=seller, category=category, title="دستبند چرم")
    owner = UserFactory(username="+989121111111")
    owner.set_password(PASSWORD)
    owner.save()
    SellerMember.objects.create(seller=seller, user=owner, role="owner")
    staff = UserFactory(username="+989120000001", is_staff=True, is_superuser=True)
    staff.set_password(PASSWORD)
    staff.save()
    base = live_server.url

    # The storefront, as a buyer on a phone.
    page = phone_page
    violations = watch_violations(page)
    response = page.goto(base + "/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.goto(base + product.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=product.title)).to_be_visible()
    page.get_by_test_id("add-to-basket").click()
    expect(page.get_by_test_id("basket-count")).to_have_text("۱")
    page.goto(base + "/basket/")
    page.goto(base + seller.get_absolute_url())
    assert violations == [], violations

    # The seller panel, with its inline styles (nonce).
    log_in(page, base, "09121111111", f"/panel/{seller.pk}/products/")
    expect(page.get_by_test_id("product-create")).to_be_visible()
    assert violations == [], violations

    # Staff: our pages, Oscar's dashboard and Wagtail's admin.
    context = browser.new_context(locale="fa-IR")
    staff_page = context.new_page()
    staff_violations = watch_violations(staff_page)
    log_in(staff_page, base, "09120000001", "/staff/sellers/")
    pass_staff_second_factor(staff_page, "09120000001")
    expect(staff_page).to_have_url(base + "/staff/sellers/")
    staff_page.goto(base + "/staff/moderation/")
    staff_page.goto(base + "/dashboard/")
    expect(staff_page).to_have_url(base + "/staff/")
    staff_page.goto(base + "/dashboard/catalogue/")
    expect(staff_page.get_by_text(product.title)).to_be_visible()
    staff_page.goto(base + "/cms-admin/")
    expect(staff_page.locator("main, #main").first).to_be_visible()
    staff_page.goto(base + "/cms-admin/pages/")
    context.close()
    assert staff_violations == [], staff_violations
