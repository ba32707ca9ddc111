"""Persian presentation rules: digits, toman, Jalali dates.

Money is stored in rials everywhere (Oscar's Decimal price fields hold whole rials).
People see toman: 1 toman = 10 rials. These functions are the one place that
conversion and the Persian digits happen; templates reach them through the
filters in `marketplace.templatetags.persian`.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import jdatetime
from django.utils import timezone

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)
_TO_LATIN = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, "0123456789" * 2)
THOUSANDS_SEPARATOR = "٬"  # U+066C ARABIC THOUSANDS SEPARATOR
RIALS_PER_TOMAN = 10

JALALI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


def to_persian_digits(value: object) -> str:
    return str(value).translate(_TO_PERSIAN)


def to_latin_digits(value: str) -> str:
    """Turn Persian and Arabic-Indic digits into ASCII ones (input normalisation)."""
    return value.translate(_TO_LATIN)


def group_thousands(number: int) -> str:
    return f"{number:,}".replace(",", THOUSANDS_SEPARATOR)


def rials_to_toman(rials: Decimal | int | float | str | None) -> int | None:
    """Whole toman for a rial amount, rounding half up (prices are never fractional)."""
    if rials is None or rials == "":
        return None
    try:
        amount = Decimal(str(rials))
    except (InvalidOperation, ValueError):
        return None
    return int((amount / RIALS_PER_TOMAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def toman_to_rials(toman: int) -> int:
    """Rials for a whole toman amount a person typed (prices are stored in rials)."""
    return int(toman) * RIALS_PER_TOMAN


def format_toman(rials: Decimal | int | float | str | None, unit: bool = True) -> str:
    """`1250000` rials → `۱۲۵٬۰۰۰ تومان`. Empty string for a missing price."""
    toman = rials_to_toman(rials)
    if toman is None:
        return ""
    text = to_persian_digits(group_thousands(toman))
    if toman < 0:
        text = "−" + text.lstrip("-")
    return f"{text} تومان" if unit else text


def format_number(value: int | Decimal | str | None) -> str:
    if value is None or value == "":
        return ""
    try:
        number = int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return to_persian_digits(value)
    return to_persian_digits(group_thousands(number))


def to_jalali(value: dt.date | dt.datetime) -> jdatetime.date | jdatetime.datetime:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return jdatetime.datetime.fromgregorian(datetime=value)
    return jdatetime.date.fromgregorian(date=value)


def format_jalali(value: dt.date | dt.datetime | None, with_time: bool = False) -> str:
    """`2026-11-23` → `۲ آذر ۱۴۰۵`; with_time adds `، ساعت ۱۴:۰۵`."""
    if value is None or value == "":
        return ""
    jvalue = to_jalali(value)
    text = f"{jvalue.day} {JALALI_MONTHS[jvalue.month - 1]} {jvalue.year}"
    if with_time and isinstance(jvalue, jdatetime.datetime):
        text += f"، ساعت {jvalue.hour:02d}:{jvalue.minute:02d}"
    return to_persian_digits(text)


def format_jalali_numeric(value: dt.date | dt.datetime | None) -> str:
    """`2026-11-23` → `۱۴۰۵/۰۹/۰۲`, for tables and exports."""
    if value is None or value == "":
        return ""
    jvalue = to_jalali(value)
    return to_persian_digits(f"{jvalue.year:04d}/{jvalue.month:02d}/{jvalue.day:02d}")
