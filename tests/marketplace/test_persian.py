import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import jdatetime
import pytest
from django.template import Context, Template
from django.utils import timezone

from marketplace import persian


@pytest.mark.parametrize(
    ("rials", "expected"),
    [
        (1_250_000, "۱۲۵٬۰۰۰ تومان"),
        (Decimal("1250000.00"), "۱۲۵٬۰۰۰ تومان"),
        (10, "۱ تومان"),
        (15, "۲ تومان"),  # half a toman rounds up
        (0, "۰ تومان"),
        (123_456_789_0, "۱۲۳٬۴۵۶٬۷۸۹ تومان"),
        ("5000000", "۵۰۰٬۰۰۰ تومان"),
        (None, ""),
        ("not a number", ""),
    ],
)
def test_toman_formats_rials_as_toman_with_persian_digits(rials, expected):
    assert persian.format_toman(rials) == expected


def test_toman_filter_and_amount_filter_in_templates():
    template = Template("{{ price|toman }}|{{ price|toman_amount }}|{{ n|fa_number }}")
    rendered = template.render(Context({"price": Decimal("3500000"), "n": 12345}))
    assert rendered == "۳۵۰٬۰۰۰ تومان|۳۵۰٬۰۰۰|۱۲٬۳۴۵"


def test_latin_and_persian_digit_round_trip():
    assert persian.to_persian_digits("09121234567") == "۰۹۱۲۱۲۳۴۵۶۷"
    assert persian.to_latin_digits("۰۹۱۲٣٤٥") == "0912345"


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 11, 23), "۲ آذر ۱۴۰۵"),
        (dt.date(2025, 3, 21), "۱ فروردین ۱۴۰۴"),
        (dt.date(2024, 3, 19), "۲۹ اسفند ۱۴۰۲"),
    ],
)
def test_jalali_dates(date, expected):
    assert persian.format_jalali(date) == expected


def test_jalali_datetime_uses_tehran_time():
    # 20:45 UTC is 00:15 the next day in Tehran (UTC+3:30).
    moment = dt.datetime(2026, 11, 23, 20, 45, tzinfo=dt.UTC)
    assert persian.format_jalali(moment, with_time=True) == "۳ آذر ۱۴۰۵، ساعت ۰۰:۱۵"
    assert persian.format_jalali_numeric(moment) == "۱۴۰۵/۰۹/۰۳"


def test_jalali_filters_in_templates():
    template = Template(
        "{{ d|jalali }} / {{ d|jalali_numeric }} / {{ missing|jalali }}"
    )
    assert template.render(Context({"d": dt.date(2026, 11, 23)})) == (
        "۲ آذر ۱۴۰۵ / ۱۴۰۵/۰۹/۰۲ / "
    )


@pytest.mark.dates
def test_jalali_of_now_is_todays_date_in_tehran():
    """Right after midnight in Tehran UTC is still on the day before: the date
    shown is Tehran's (scripts/date_matrix runs this at 00:01 and 23:59)."""
    now = timezone.now()
    tehran = now.astimezone(ZoneInfo("Asia/Tehran"))
    j = jdatetime.date.fromgregorian(date=tehran.date())
    expected = persian.to_persian_digits(f"{j.year:04d}/{j.month:02d}/{j.day:02d}")
    assert persian.format_jalali_numeric(now) == expected
    assert persian.format_jalali_numeric(timezone.localdate()) == expected
    assert persian.format_jalali(now)[0] in persian.PERSIAN_DIGITS
    assert persian.format_jalali(now).endswith(persian.to_persian_digits(str(j.year)))


def test_mobile_filter_shows_every_stored_form_the_iranian_way():
    rendered = Template("{{ a|mobile }}|{{ b|mobile }}|{{ c|mobile }}|{{ d|mobile }}")
    out = rendered.render(
        Context({"a": "+989121234567", "b": "09121234567", "c": "admin", "d": ""})
    )
    shown = '<bdi dir="ltr">۰۹۱۲ ۱۲۳ ۴۵۶۷</bdi>'
    assert out == f"{shown}|{shown}|admin|"


def test_mobile_filter_escapes_what_is_not_a_mobile():
    out = Template("{{ a|mobile }}").render(Context({"a": "<b>x1</b>"}))
    assert out == "&lt;b&gt;x۱&lt;/b&gt;"
