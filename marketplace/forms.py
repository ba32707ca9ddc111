"""Form fields and form helpers every audience shares (core layer: imports
nothing of the domain). Persian input is normalised here before it is parsed."""

from __future__ import annotations

import datetime as dt

import jdatetime
from django import forms
from django.core.exceptions import ValidationError

from .persian import (
    format_number,
    rials_to_toman,
    to_latin_digits,
    to_persian_digits,
    toman_to_rials,
)

#: Tehran's 22 municipal districts, Persian digits: the one list every form that
#: offers a district uses (filters add "every district", the address "choose").
DISTRICTS = [
    (str(number), f"منطقه {to_persian_digits(number)}") for number in range(1, 23)
]
#: For filters ("" = every district).
DISTRICT_CHOICES = [("", "همه مناطق"), *DISTRICTS]

#: The largest amount a money column holds (14 digits, 2 of them decimals), in
#: rials: a `TomanField` refuses more, so the database never receives it.
MAX_RIALS = 10**12 - 1
#: A PostgreSQL `integer`: a `PersianIntegerField` without a `max_value` (or
#: `min_value`) refuses what the column would not hold.
MAX_INTEGER = 2**31 - 1

_DATE_SEPARATORS = ("-", ".", "٫", "\\")
_NUMBER_SEPARATORS = (",", "٬", "،", " ", "\u200c")


def jalali_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a Jalali one (the one place a Jalali date is
    built from its parts); ValueError for a day the calendar does not have."""
    return jdatetime.date(year, month, day).togregorian()


class PersianDateField(forms.DateField):
    """A date typed or picked by a person: Jalali (`۱۴۰۵/۰۹/۱۵`, with Persian,
    Arabic or Latin digits and `/`, `-`, `.` or `٫` between the parts) or ISO
    Gregorian (`2026-12-06`, what `<input type=date>` sends). A year below 1700 is
    Jalali (the Jalali calendar is ~621 years behind). Pass `error_messages` to
    word the messages for the form it is on."""

    default_error_messages = {"invalid": "تاریخ را به شکل ۱۴۰۵/۰۹/۱۵ بنویسید."}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = to_latin_digits(str(value)).strip()
        for separator in _DATE_SEPARATORS:
            text = text.replace(separator, "/")
        parts = [part for part in text.split("/") if part]
        if len(parts) != 3 or not all(part.isdigit() for part in parts):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = (int(part) for part in parts)
        try:
            if year < 1700:
                return jalali_to_gregorian(year, month, day)
            return dt.date(year, month, day)
        except ValueError as error:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from error


class TomanField(forms.CharField):
    """A toman amount typed by a person: Persian, Arabic or Latin digits, with or
    without separators. Cleans to rials (int), at most `max_rials` (by default
    what a money column holds)."""

    default_error_messages = {
        "invalid": "مبلغ را فقط با عدد وارد کنید؛ مثلاً ۱۵۰٬۰۰۰",
        "max_value": "مبلغ بیش از اندازه است؛ حداکثر {max} تومان.",
    }

    def __init__(self, *args, max_rials: int = MAX_RIALS, **kwargs):
        self.max_rials = max_rials
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        # A numeric keyboard on her phone (a text input: `type=number` refuses
        # Persian digits and separators).
        return {**super().widget_attrs(widget), "inputmode": "numeric", "dir": "ltr"}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        digits = to_latin_digits(value)
        for separator in (*_NUMBER_SEPARATORS, "."):
            digits = digits.replace(separator, "")
        digits = digits.replace("تومان", "").strip()
        # The length check keeps int() away from thousands of digits.
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 15:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        rials = toman_to_rials(int(digits))
        if rials > self.max_rials:
            raise ValidationError(
                self.error_messages["max_value"].format(
                    max=format_number(rials_to_toman(self.max_rials))
                ),
                code="max_value",
            )
        return rials


class PersianIntegerField(forms.IntegerField):
    """A whole number typed with Persian, Arabic or Latin digits (and maybe
    thousands separators). A text input with a numeric keyboard: browsers refuse
    Persian digits in `type=number`. Without `min_value`/`max_value` it is held
    to what an `integer` column holds; its range messages are Persian, with
    Persian digits."""

    widget = forms.TextInput

    def __init__(self, *args, min_value=None, max_value=None, **kwargs):
        min_value = -MAX_INTEGER - 1 if min_value is None else min_value
        max_value = MAX_INTEGER if max_value is None else max_value
        messages = {
            "invalid": "فقط عدد بنویسید؛ مثلاً ۱۲",
            "min_value": f"کمتر از {format_number(min_value)} نمی‌شود.",
            "max_value": f"بیشتر از {format_number(max_value)} نمی‌شود.",
        }
        messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(
            *args,
            min_value=min_value,
            max_value=max_value,
            error_messages=messages,
            **kwargs,
        )
        self.widget.attrs.update({"inputmode": "numeric", "dir": "ltr"})
        self.widget.attrs.pop("min", None)
        self.widget.attrs.pop("max", None)

    def to_python(self, value):
        if isinstance(value, str):
            value = to_latin_digits(value)
            for separator in _NUMBER_SEPARATORS:
                value = value.replace(separator, "")
        return super().to_python(value)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's `ValidationError` on the form: each field's messages on
    that field (or on the form, for a field the form does not have), a message
    without a field on the form. The one place this mapping is written."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    """A service's `ValidationError` as one line for a flash message."""
    return " ".join(error.messages)
