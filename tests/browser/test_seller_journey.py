"""Journey 1 in the browser (DESIGN.md §5): a woman signs up with her mobile
number and a one-time code, applies for a booth on her phone; a staff member
ticks the checklist and approves her; she sees the news and her booth is live."""

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from marketplace.accounts import sms
from sellers.models import District, KowsarCentre, Programme, Seller
from tests.browser.staff import pass_staff_second_factor
from tests.factories import StaffFactory

pytestmark = pytest.mark.browser

APPLICANT = "09121234567"
STAFF_PHONE = "+989120000001"
STAFF_PASSWORD = "staff-pass-1403"  # noqa: S105  (a test user's password)


def latest_code_for(phone_e164: str) -> str:
    message = [m for m in sms.outbox if m.phone == phone_e164][-1]
    digits = message.text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    return re.search(r"\d{6}", digits).group(0)


def test_apply_on_a_phone_staff_approve_booth_goes_live(
    transactional_db, live_server, phone_page, browser
):
    # Given the districts, a Kowsar centre, the programmes and a reviewer
    sms.outbox.clear()
    district = District.objects.create(number=20, name="منطقه ۲۰")
    centre = KowsarCentre.objects.create(name="مرکز کوثر شهرری", district=district)
    Programme.objects.create(code="municipality", name="شهرداری تهران")
    staff = StaffFactory(username=STAFF_PHONE, password=STAFF_PASSWORD)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["review_seller", "mentor_seller"])
    )
    page = phone_page

    # When she signs up with her number and the code sent to it
    page.goto(live_server.url + "/account/signup/")
    page.get_by_label("شماره موبایل").fill(APPLICANT)
    page.get_by_role("button", name="دریافت کد تأیید").click()
    page.get_by_label("کد تأیید").fill(latest_code_for("+989121234567"))
    page.get_by_role("button", name="تأیید").click()
    page.get_by_label("نام و نام خانوادگی").fill("نیلوفر احمدی")
    page.get_by_role("button", name="ثبت و ورود").click()

    # And applies for a booth, a few fields per screen
    page.goto(live_server.url + "/panel/")
    page.get_by_test_id("start-application").click()
    page.get_by_label("به‌تنهایی (کسب‌وکار خانگی)").check()
    page.get_by_test_id("wizard-next").click()
    page.get_by_label("نام غرفه").fill("چرم دست‌دوز نیلوفر")
    page.get_by_label("حرفه").fill("چرم‌دوزی")
    page.get_by_test_id("wizard-next").click()
    page.get_by_label("منطقهٔ شهرداری").select_option(label="منطقه ۲۰")
    page.get_by_label("مرکز توانمندسازی کوثر").select_option(
        label=f"{centre.name} (منطقه ۲۰)"
    )
    page.get_by_label("از طریق کدام برنامه آشنا شدید؟").select_option(
        label="شهرداری تهران"
    )
    page.get_by_test_id("wizard-next").click()
    page.get_by_label("محله (اختیاری)").fill("شهرری")
    page.get_by_label("محله و منطقه‌ام در غرفه نمایش داده شود").check()
    page.get_by_test_id("wizard-next").click()
    page.get_by_label("داستان شما (اختیاری)").fill("ده سال است کیف چرمی می‌دوزم.")
    page.get_by_label("اجازه می‌دهم این داستان در صفحهٔ غرفه‌ام منتشر شود").check()
    page.get_by_test_id("wizard-next").click()

    # Then her panel says the application is being reviewed
    expect(page.get_by_test_id("seller-status")).to_contain_text("در حال بررسی")
    seller = Seller.objects.get(brand_name="چرم دست‌دوز نیلوفر")
    assert seller.status == Seller.Status.APPLIED

    # When a staff member logs in, opens her file, ticks the checklist and approves
    staff_context = browser.new_context(locale="fa-IR")
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(10_000)
    staff_page.goto(live_server.url + "/account/login/?next=/staff/sellers/")
    staff_page.get_by_label("شماره موبایل").fill("09120000001")
    staff_page.get_by_label("رمز عبور").fill(STAFF_PASSWORD)
    staff_page.get_by_role("button", name="ورود", exact=True).click()
    pass_staff_second_factor(staff_page, "09120000001")
    staff_page.get_by_role("link", name="چرم دست‌دوز نیلوفر").first.click()
    checklist = staff_page.get_by_test_id("checklist")
    while checklist.get_by_role("button", name="انجام شد").count():
        checklist.get_by_role("button", name="انجام شد").first.click()
    staff_page.get_by_test_id("action-approve").get_by_role("button").click()
    staff_context.close()

    # Then she is told, by SMS and in her panel, and her booth is live
    assert any(m.phone == "+989121234567" and "تأیید" in m.text for m in sms.outbox)
    page.reload()
    expect(page.get_by_test_id("seller-status")).to_contain_text("تأیید شده")
    page.get_by_role("link", name="غرفهٔ من در سایت").click()
    expect(page.get_by_test_id("booth")).to_contain_text("چرم دست‌دوز نیلوفر")
    expect(page.get_by_test_id("booth")).to_contain_text("ده سال است کیف چرمی می‌دوزم.")
