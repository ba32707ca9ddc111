"""Browser steps shared by the checkout journeys."""

import re

from marketplace.accounts import sms


def guest_to_delivery_choices(page) -> None:
    """From the basket page: a guest gives her name and mobile, types the code
    sent to her, and a Tehran address; the page is then the delivery choices."""
    page.get_by_test_id("checkout-link").click()
    page.get_by_label("نام و نام خانوادگی").fill("مریم احمدی")
    page.get_by_label("شماره موبایل").fill("۰۹۳۵۱۱۱۲۲۳۳")
    page.get_by_test_id("guest-continue").click()
    code = re.search(r"(\d{6})", sms.outbox[-1].text).group(1)
    page.get_by_label("کد").fill(code)
    page.get_by_test_id("code-continue").click()

    page.get_by_label("منطقهٔ شهرداری (فقط تهران)").select_option("6")
    page.get_by_label("محله").fill("یوسف‌آباد")
    page.get_by_label("نشانی (خیابان، کوچه، پلاک، واحد)").fill(
        "خیابان فتحی شقاقی، پلاک ۱۲"
    )
    page.get_by_label("کد پستی ۱۰ رقمی").fill("۱۴۳۱۶۵۳۱۱۱")
    page.get_by_test_id("address-continue").click()
