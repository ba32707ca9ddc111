"""Form fields and form helpers every audience shares (core layer: imports
nothing of the domain). Persian input is normalised here before it is parsed."""

from __future__ import annotations

import datetime as dt

import jdatetime
from django import forms
from django.core.exceptions import ValidationError

from .persian import to_latin_digits, to_persian_digits, toman_to_rials

#: Tehran's 22 municipal districts, Persian digits: the one list every form that
#: offers a district uses (filters add "every district", the address "choose").
DISTRICTS = [
    (str(number), f"منطقه {to_persian_digits(number)}") for number in range(1, 23)
]
#: For filters ("" = every district).
DISTRICT_CHOICES = [("", "همه مناطق"), *DISTRICTS]

_DATE_SEPARATORS = ("-", ".", "٫", "\\")
_NUMBER_SEPARATORS = (",", "٬", "،", " ", "\u200c")


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
                return jdatetime.date(year, month, day).togregorian()
            return dt.date(year, month, day)
        except ValueError as error:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from error


class TomanField(forms.CharField):
    """A toman amount typed by a person: Persian, Arabic or Latin digits, with or
    without separators. Cleans to rials (int)."""

    default_error_messages = {"invalid": "مبلغ را فقط با عدد وارد کنید؛ مثلاً ۱۵۰٬۰۰۰"}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        digits = to_latin_digits(value)
        for separator in (*_NUMBER_SEPARATORS, "."):
            digits = digits.replace(separator, "")
        digits = digits.replace("تومان", "").strip()
        if not digits.isdigit() or len(digits) > 12:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return toman_to_rials(int(digits))


class PersianIntegerField(forms.IntegerField):
    """A whole number typed with Persian, Arabic or Latin digits (and maybe
    thousands separators). A text input with a numeric keyboard: browsers refuse
    Persian digits in `type=number`."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
