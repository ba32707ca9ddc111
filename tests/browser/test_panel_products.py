"""On a phone: a seller lists a product in Persian, staff send it back with a
coaching note, she fixes it, staff approve it, and buyers see it."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from catalog.models import Category, Product
from sellers.models import SellerMember
from tests.browser.staff import pass_staff_second_factor
from tests.factories import SellerFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "pass-1234-word"  # noqa: S105  (tests.factories.UserFactory's)
NOTE = "عکس تاریک است؛ کنار پنجره عکس بگیرید"


def _login(page, base_url: str, phone: str, next_url: str) -> None:
    page.goto(f"{base_url}/account/login/?next={next_url}")
    page.get_by_label("شماره موبایل").fill(phone)
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()


def test_seller_lists_a_product_staff_coach_and_approve_it(
    transactional_db, live_server, phone_page, browser
):
    # Given an approved booth with its owner, a leaf category and a reviewer
    leather = Category.add_root(name="چرم", slug="charm")
    bags = leather.add_child(name="کیف چرمی", slug="kif")
    seller = SellerFactory(brand_name="چرم نیلوفر", slug="niloofar")
    owner = UserFactory(username="+989121111111")
    SellerMember.objects.create(seller=seller, user=owner, role="owner")
    reviewer = StaffFactory(username="+989120000001")
    reviewer.user_permissions.add(Permission.objects.get(codename="review_seller"))
    page = phone_page

    # When she opens her products from the panel and adds one, typed in Persian
    _login(page, live_server.url, "09121111111", f"/panel/{seller.pk}/")
    page.get_by_role("navigation", name="پنل غرفه").get_by_role(
        "link", name="محصولات"
    ).click()
    page.get_by_test_id("product-create").click()
    page.get_by_label("نام محصول").fill("کیف دوشی چرم")
    page.get_by_label("توضیح", exact=True).fill("چرم طبیعی گاوی، دوخت دست")
    page.get_by_label("دسته", exact=True).select_option(label=bags.name)
    page.get_by_label("قیمت (تومان)").fill("۱۵۰٬۰۰۰")
    page.get_by_label("سفارشی (ساخت پس از سفارش)").check()
    page.get_by_label("چند روز برای ساختن لازم است؟").fill("۵")
    page.get_by_role("button", name="ذخیره").click()

    # Then it is in her list, waiting for review, in toman and made to order
    row = page.get_by_test_id("panel-product").filter(has_text="کیف دوشی چرم")
    expect(row).to_contain_text("در انتظار بررسی")
    expect(row).to_contain_text("۱۵۰٬۰۰۰ تومان")
    expect(row).to_contain_text("سفارشی، ۵ روز")
    product = Product.objects.get(title="کیف دوشی چرم")

    # When staff send it back with a coaching note
    staff_context = browser.new_context(locale="fa-IR")
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(10_000)
    _login(staff_page, live_server.url, "09120000001", "/staff/moderation/")
    pass_staff_second_factor(staff_page, "09120000001")
    item = staff_page.get_by_test_id("moderation-item").filter(has_text="کیف دوشی چرم")
    expect(item).to_contain_text("چرم نیلوفر")
    item.get_by_label("یادداشت راهنمایی برای فروشنده").fill(NOTE)
    item.get_by_role("button", name="برگشت برای اصلاح").click()
    expect(staff_page.get_by_test_id("moderation-item")).to_have_count(0)

    # Then she sees the note, fixes the product, and it waits again
    page.reload()
    row = page.get_by_test_id("panel-product").filter(has_text="کیف دوشی چرم")
    expect(row.get_by_test_id("coaching-note")).to_contain_text(NOTE)
    row.get_by_role("link", name="ویرایش").click()
    page.get_by_label("توضیح", exact=True).fill("چرم طبیعی گاوی؛ عکس تازه کنار پنجره")
    page.get_by_role("button", name="ذخیره").click()
    row = page.get_by_test_id("panel-product").filter(has_text="کیف دوشی چرم")
    expect(row).to_contain_text("در انتظار بررسی")

    # When staff approve it
    staff_page.reload()
    staff_page.get_by_test_id("moderation-item").filter(
        has_text="کیف دوشی چرم"
    ).get_by_role("button", name="تأیید").click()
    staff_context.close()

    # Then buyers can open it and put it in their basket
    page.goto(live_server.url + product.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name="کیف دوشی چرم")).to_be_visible()
    expect(page.get_by_test_id("add-to-basket")).to_be_visible()
