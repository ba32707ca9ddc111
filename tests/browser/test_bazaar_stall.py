"""On a phone at her bazaar stall: a seller opens her stall from the panel,
records a sale typed in Persian digits, sees it counted, and opens her poster.
axe audits every page on the way (tests/browser/accessibility.py)."""

import pytest
from playwright.sync_api import expect

from orders.models import LedgerEntry, StallSale
from sellers.models import BazaarStall, SellerMember
from sellers.partner.models import StockRecord
from tests.bazaars.conftest import make_bazaar
from tests.factories import SellerFactory, UserFactory, make_product

pytestmark = pytest.mark.browser

PASSWORD = "pass-1234-word"  # noqa: S105  (tests.factories.UserFactory's)


def test_seller_records_a_stall_sale_on_her_phone(
    transactional_db, live_server, phone_page
):
    # Given her booth at stall 12 of a running bazaar, with a bag in stock
    seller = SellerFactory(brand_name="چرم نیلوفر", slug="niloofar")
    owner = UserFactory(username="+989121111111")
    SellerMember.objects.create(seller=seller, user=owner, role="owner")
    bag = make_product(
        seller=seller, title="کیف دوشی چرم", price_rials=1_500_000, num_in_stock=5
    )
    bazaar = make_bazaar()
    BazaarStall.objects.create(bazaar=bazaar, seller=seller, stall_number="12")
    page = phone_page

    # When she opens her bazaars from the panel and records a sale of ۲
    page.goto(f"{live_server.url}/account/login/?next=/panel/{seller.pk}/")
    page.get_by_label("شماره موبایل").fill("09121111111")
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()
    page.get_by_role("navigation", name="پنل غرفه").get_by_role(
        "link", name="بازارچه‌ها"
    ).click()
    page.get_by_role("link", name=bazaar.name).click()
    page.get_by_label("محصول").first.select_option(label="کیف دوشی چرم")
    page.get_by_label("تعداد", exact=True).fill("۲")
    page.get_by_test_id("stall-sale-submit").click()

    # Then it is counted at her stall, in toman, and in her ledger
    expect(page.get_by_text("فروش «کیف دوشی چرم» ثبت شد.")).to_be_visible()
    expect(page.get_by_test_id("stall-totals")).to_contain_text("۱ فروش، ۲ عدد")
    expect(page.get_by_test_id("stall-totals")).to_contain_text("۳۰۰٬۰۰۰ تومان")
    sale = StallSale.objects.get()
    assert (sale.quantity, sale.total) == (2, 3_000_000)
    assert LedgerEntry.objects.filter(stall_sale=sale).count() == 2
    assert StockRecord.objects.get(product=bag).num_in_stock == 3

    # And her poster shows her brand, stall number and QR code
    page.get_by_role("link", name="پوستر جایگاه").click()
    expect(page.get_by_test_id("poster-stall")).to_have_text("۱۲")
    expect(page.get_by_test_id("poster-qr")).to_be_visible()
