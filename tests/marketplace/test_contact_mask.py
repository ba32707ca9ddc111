"""Issue 28 §2: no contact details cross a message. Over 30 written variants of
Iranian mobile numbers, e-mail addresses and links are masked; prices, dates,
sizes and ordinary words stay as typed."""

import pytest

from marketplace.contact_mask import (
    EMAIL_MASK,
    LINK_MASK,
    PHONE_MASK,
    contact_mask,
    contact_mask_notice,
)

PHONES = [
    "09123456789",
    "۰۹۱۲۳۴۵۶۷۸۹",
    "٠٩١٢٣٤٥٦٧٨٩",
    "0912 345 6789",
    "۰۹۱۲ ۳۴۵ ۶۷۸۹",
    "٠٩١٢ ٣٤٥ ٦٧٨٩",
    "0912-345-6789",
    "۰۹۱۲-۳۴۵-۶۷۸۹",
    "+98 912 345 6789",
    "+۹۸۹۱۲۳۴۵۶۷۸۹",
    "0098 912 3456789",
    "(0912) 345 67 89",
    "0912.345.6789",
    "0 9 1 2 3 4 5 6 7 8 9",
    "۰ ۹ ۱ ۲ ۳ ۴ ۵ ۶ ۷ ۸ ۹",
    "09۱۲-3۴5 ٦٧٨٩",  # scripts mixed
    "صفر نه یک دو سه چهار پنج شش هفت هشت نه",
    "صفر نهصد و دوازده سیصد و چهل و پنج شصت و هفت هشتاد و نه",
    "۰۹۱۲ سیصد و چهل و پنج ۶۷ ۸۹",  # digits and words mixed
    "zero nine one two three four five six seven eight nine",
    "021-88776655",  # a Tehran landline
    "۸۸۷۷ ۶۶۵۵",  # a landline without its code
    "0912_345_6789",
    "۰۹۱۲‌۳۴۵‌۶۷۸۹",  # ZWNJ between the groups
]
EMAILS = [
    "maryam@example.com",
    "maryam.ahmadi+shop@gmail.com",
    "maryam @ gmail . com",
    "maryam(at)gmail(dot)com",
    "maryam at gmail dot com",
    "MARYAM@YAHOO.CO.UK",
]
LINKS = [
    "https://instagram.com/niloofar_leather",
    "http://example.ir/shop?id=3",
    "www.niloofar.ir",
    "niloofar.ir",
    "t.me/niloofar_shop",
    "niloofar دات کام",
    "niloofar dot ir",
    "@niloofar_leather",
]


@pytest.mark.parametrize("phone", PHONES)
def test_phone_numbers_are_masked(phone):
    masked = contact_mask(f"شماره من {phone} است، زنگ بزنید")
    assert PHONE_MASK in masked.text, phone
    assert "phone" in masked.kinds
    digits = "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
    assert sum(ch in digits for ch in masked.text) <= 1, masked.text
    assert masked.text.startswith("شماره من ") and masked.text.endswith("زنگ بزنید")


@pytest.mark.parametrize("email", EMAILS)
def test_email_addresses_are_masked(email):
    masked = contact_mask(f"ایمیل بزنید: {email} ممنون")
    assert EMAIL_MASK in masked.text and "email" in masked.kinds, masked.text
    assert "@" not in masked.text and "gmail" not in masked.text.lower()


@pytest.mark.parametrize("link", LINKS)
def test_links_are_masked(link):
    masked = contact_mask(f"صفحهٔ من: {link} را ببینید")
    assert LINK_MASK in masked.text and "link" in masked.kinds, masked.text
    assert "niloofar" not in masked.text and "example" not in masked.text


def test_there_are_over_thirty_variants():
    assert len(PHONES) + len(EMAILS) + len(LINKS) > 30


@pytest.mark.parametrize(
    "text",
    [
        "قیمت ۱٬۵۰۰٬۰۰۰ تومان است",
        "قیمت 1,500,000 تومان",
        "تا ۱۴۰۵/۰۹/۱۵ آماده می‌شود",
        "سایز ۴۰ تا ۴۴ داریم، ۳ رنگ",
        "نه، ممنون. دو تا می‌خواهم، یکی سه‌تایی",
        "سفارش ۱۰۰۰۰۱-۱ را فرستادم",
        "ساعت ۱۰:۳۰ تحویل می‌دهم",
        "با سلام، آیا این کیف در رنگ قهوه‌ای هم هست؟",
    ],
)
def test_ordinary_messages_are_left_alone(text):
    masked = contact_mask(text)
    assert masked.text == text and not masked.changed


def test_the_sender_is_told_why():
    masked = contact_mask("0912 345 6789 یا maryam@example.com")
    notice = contact_mask_notice(masked.kinds)
    assert "شماره تلفن" in notice and "ایمیل" in notice and "پنهان" in notice
