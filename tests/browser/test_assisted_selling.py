"""On a phone, with axe (issue 28): a seller lets her mentor list a product for
her, the mentor does it under the banner, and the seller sees the summary at
her next login; a buyer asks about a product and the booth answers."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import Category, Product
from marketplace.persian import format_jalali_numeric
from orders.conversations.models import Thread
from sellers.models import SellerMember
from tests.browser.staff import pass_staff_second_factor
from tests.factories import (
    SellerFactory,
    StaffFactory,
    UserFactory,
    grant,
    make_product,
)

pytestmark = pytest.mark.browser

PASSWORD = "pass-1234-word"  # noqa: S105  (tests.factories.UserFactory's)


def _login(page, base_url: str, phone: str, next_url: str) -> None:
    page.goto(f"{base_url}/account/login/?next={next_url}")
    page.get_by_label("شماره موبایل").fill(phone)
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()


@pytest.mark.dates
def test_a_mentor_lists_a_product_for_a_seller(
    transactional_db, live_server, phone_page, browser
):
    leather = Category.add_root(name="چرم", slug="charm")
    bags = leather.add_child(name="کیف چرمی", slug="kif")
    mentor = grant(
        StaffFactory(username="+989120001001", first_name="شیرین", last_name="کارگر"),
        "mentor_seller",
    )
    seller = SellerFactory(brand_name="چرم نیلوفر", slug="niloofar", mentor=mentor)
    owner = UserFactory(username="+989121111111")
    SellerMember.objects.create(seller=seller, user=owner, role="owner")
    page = phone_page

    # She lets her mentor work on her products for a month
    _login(page, live_server.url, "09121111111", f"/panel/{seller.pk}/delegation/")
    form = page.get_by_test_id("delegation-form")
    form.get_by_label("چه کسی به جای شما کار کند؟").select_option(label="شیرین کارگر")
    form.get_by_label("محصولات").check()
    ends = timezone.localdate() + dt.timedelta(days=30)
    form.get_by_label("تا چه روزی؟").fill(format_jalali_numeric(ends))
    form.get_by_role("button", name="اجازه می‌دهم").click()
    expect(page.get_by_test_id("delegations-live")).to_contain_text("شیرین کارگر")

    # The mentor opens «کار به جای فروشنده» and lists a product under the banner
    mentor_context = browser.new_context(
        locale="fa-IR", viewport={"width": 390, "height": 844}
    )
    mentor_page = mentor_context.new_page()
    mentor_page.set_default_timeout(10_000)
    _login(mentor_page, live_server.url, "09120001001", "/panel/")
    mine = mentor_page.get_by_test_id("delegations-for-me")
    expect(mine).to_contain_text("چرم نیلوفر")
    mine.get_by_role("link", name="محصولات").click()
    # working for her is a staff errand: her second factor first
    pass_staff_second_factor(mentor_page, "09120001001")
    expect(mentor_page.get_by_test_id("delegation-banner")).to_contain_text(
        "شیرین کارگر"
    )
    expect(mentor_page.get_by_test_id("delegation-banner")).to_contain_text(
        "چرم نیلوفر"
    )
    mentor_page.get_by_test_id("product-create").click()
    mentor_page.get_by_label("نام محصول").fill("کیف پول چرمی")
    mentor_page.get_by_label("توضیح", exact=True).fill("چرم طبیعی، دوخت دست")
    mentor_page.get_by_label("دسته", exact=True).select_option(label=bags.name)
    mentor_page.get_by_label("قیمت (تومان)").fill("۲۵۰٬۰۰۰")
    mentor_page.get_by_label("تعداد موجود").fill("۳")
    mentor_page.get_by_role("button", name="ذخیره").click()
    row = mentor_page.get_by_test_id("panel-product").filter(has_text="کیف پول چرمی")
    expect(row).to_be_visible()
    assert Product.objects.get(title="کیف پول چرمی").created_by == mentor
    mentor_context.close()

    # At her next login she sees what was done for her
    page.goto(f"{live_server.url}/account/logout/")
    page.context.clear_cookies()
    _login(page, live_server.url, "09121111111", f"/panel/{seller.pk}/delegation/")
    expect(page.locator("body")).to_contain_text("۱ محصول افزوده شد")
    expect(page.get_by_test_id("delegated-entries")).to_contain_text("ثبت محصول")


def test_a_buyer_asks_and_the_booth_answers(
    transactional_db, live_server, phone_page, browser
):
    seller = SellerFactory(brand_name="چرم نیلوفر", slug="niloofar")
    owner = UserFactory(username="+989121111111")
    SellerMember.objects.create(seller=seller, user=owner, role="owner")
    product = make_product(seller=seller, title="کیف دوشی چرم", num_in_stock=3)
    Product.objects.filter(pk=product.pk).update(
        moderation_status=Product.Moderation.APPROVED
    )
    UserFactory(username="+989351112233", first_name="مریم")
    page = phone_page

    # She asks from the product page, her number written in the text
    _login(page, live_server.url, "09351112233", product.get_absolute_url())
    page.get_by_test_id("ask-seller").click()
    page.get_by_label("پیام شما").fill(
        "سایز بزرگ‌تر هم دارید؟ شماره‌ام ۰۹۳۵ ۱۱۱ ۲۲۳۳ است"
    )
    page.get_by_test_id("ask-send").click()
    expect(page.locator("body")).to_contain_text("پنهان شد")
    expect(page.get_by_test_id("thread-messages")).to_contain_text("شماره پنهان شد")

    # The booth sees it in «پیام‌ها» and answers
    booth_context = browser.new_context(
        locale="fa-IR", viewport={"width": 390, "height": 844}
    )
    booth_page = booth_context.new_page()
    booth_page.set_default_timeout(10_000)
    _login(booth_page, live_server.url, "09121111111", f"/panel/{seller.pk}/orders/")
    booth_page.get_by_test_id("tab-messages").click()
    booth_page.get_by_role("link", name="کیف دوشی چرم").click()
    expect(booth_page.get_by_test_id("thread-messages")).to_contain_text("سایز بزرگ‌تر")
    booth_page.get_by_label("پیام شما").fill("بله، سایز بزرگ را هم می‌دوزیم.")
    booth_page.get_by_test_id("thread-send").click()
    expect(booth_page.get_by_test_id("thread-messages")).to_contain_text(
        "سایز بزرگ را هم"
    )
    booth_context.close()

    # She reads the answer
    page.reload()
    expect(page.get_by_test_id("thread-messages")).to_contain_text("سایز بزرگ را هم")
    assert Thread.objects.get().seller == seller
