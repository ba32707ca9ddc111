"""Phone normalisation: every way people type an Iranian mobile number, and what
is refused (with a Persian message that says why)."""

from __future__ import annotations

import re

import pytest

from marketplace.accounts.phone import (
    MESSAGES,
    InvalidPhoneNumber,
    format_phone_for_display,
    normalize_phone,
)
from marketplace.accounts.templatetags.accounts_phone import phone_display

ZWNJ, LRM, RLM = "\u200c", "\u200e", "\u200f"

VALID = [
    ("09121234567", "+989121234567"),
    ("9121234567", "+989121234567"),
    ("+989121234567", "+989121234567"),
    ("00989121234567", "+989121234567"),
    ("989121234567", "+989121234567"),
    ("+98 0912 123 4567", "+989121234567"),  # the "+98 then 0" slip
    ("  0912 123 4567  ", "+989121234567"),
    ("0912-123-4567", "+989121234567"),
    ("0912\u2013123\u20134567", "+989121234567"),  # en dashes
    ("(0912) 123 4567", "+989121234567"),
    ("+98 (912) 123-45-67", "+989121234567"),
    ("0912.123.4567", "+989121234567"),
    ("0912\u00a0123\u00a04567", "+989121234567"),  # no-break spaces
    ("۰۹۱۲۱۲۳۴۵۶۷", "+989121234567"),  # Persian digits
    ("٠٩١٢١٢٣٤٥٦٧", "+989121234567"),  # Arabic digits
    ("۰۹۱۲١٢٣4567", "+989121234567"),  # all three mixed
    (f"۰۹۱۲{ZWNJ}۱۲۳{ZWNJ}۴۵۶۷", "+989121234567"),  # ZWNJ between groups
    (f"{RLM}09121234567{LRM}", "+989121234567"),  # bidi marks from a chat app
    ("\u202a+98 912 123 4567\u202c", "+989121234567"),  # LRE…PDF from contacts
    ("+۹۸ ۹۳۵ ۱۲۳ ۴۵۶۷", "+989351234567"),
    ("0098-990-123-4567", "+989901234567"),
    ("\uff0b98 912 123 4567", "+989121234567"),  # full-width plus
]

INVALID = [
    ("", "empty"),
    ("   ", "empty"),
    (f"{ZWNJ}{RLM}", "empty"),
    ("02188776655", "landline"),  # Tehran landline with area code
    ("+982188776655", "landline"),
    ("۰۲۱-۸۸۷۷-۶۶۵۵", "landline"),
    ("88776655", "not_mobile"),  # landline without area code
    ("0912123456", "too_short"),
    ("912", "too_short"),
    ("+", "too_short"),
    ("+98", "too_short"),
    ("091212345678", "too_long"),
    ("+9891212345678", "too_long"),
    ("0" * 41, "too_long"),
    ("0912abc4567", "characters"),
    ("09121234567a", "characters"),
    ("۰۹۱۲ ۱۲۳ ۴۵۶x", "characters"),
    ("شماره‌ام ۰۹۱۲۱۲۳۴۵۶۷", "characters"),
    ("0912*123#4567", "characters"),
    ("0912+1234567", "characters"),
    ("++989121234567", "characters"),
    ("0912\x001234567", "characters"),
    ("+1 202 555 0143", "foreign"),
    ("0044 7700 900123", "foreign"),
]


@pytest.mark.parametrize(("raw", "expected"), VALID)
def test_valid_numbers_normalise_to_e164(raw, expected):
    assert normalize_phone(raw) == expected
    assert normalize_phone(expected) == expected  # idempotent


@pytest.mark.parametrize(("raw", "code"), INVALID)
def test_invalid_numbers_are_refused_with_a_persian_reason(raw, code):
    with pytest.raises(InvalidPhoneNumber) as info:
        normalize_phone(raw)
    assert info.value.code == code
    assert str(info.value) == MESSAGES[code]
    assert isinstance(info.value, ValueError)


def test_the_table_is_big_enough():
    assert len(VALID) + len(INVALID) >= 15


@pytest.mark.parametrize("message", MESSAGES.values())
def test_messages_are_persian_with_persian_digits(message):
    assert re.search(r"[\u0600-\u06FF]", message)
    assert not re.search(r"[A-Za-z0-9]", message)


@pytest.mark.parametrize("value", ["+989121234567", "09121234567", "۹۱۲۱۲۳۴۵۶۷"])
def test_display_form(value):
    assert format_phone_for_display(value) == "۰۹۱۲ ۱۲۳ ۴۵۶۷"


def test_display_form_refuses_what_is_not_a_mobile():
    with pytest.raises(InvalidPhoneNumber):
        format_phone_for_display("admin")


def test_phone_display_filter_keeps_the_groups_in_order_in_rtl_text():
    assert phone_display("+989121234567") == '<bdi dir="ltr">۰۹۱۲ ۱۲۳ ۴۵۶۷</bdi>'
    assert phone_display("admin") == "admin"
