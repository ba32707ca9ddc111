"""Template filters for Persian display. Loaded as a builtin (see TEMPLATES)."""

from django import template
from django.utils.html import conditional_escape, format_html

from marketplace import persian
from marketplace.accounts.phone import InvalidPhoneNumber, format_phone_for_display

register = template.Library()


@register.filter
def toman(rials):
    """Rials → `۱۲۵٬۰۰۰ تومان`."""
    return persian.format_toman(rials)


@register.filter
def toman_amount(rials):
    """Rials → `۱۲۵٬۰۰۰` (no unit), for layouts that print the unit apart."""
    return persian.format_toman(rials, unit=False)


@register.filter
def fa_digits(value):
    return persian.to_persian_digits(value)


@register.filter
def fa_number(value):
    return persian.format_number(value)


@register.filter
def jalali(value):
    return persian.format_jalali(value)


@register.filter
def jalali_datetime(value):
    return persian.format_jalali(value, with_time=True)


@register.filter
def jalali_numeric(value):
    return persian.format_jalali_numeric(value)


@register.filter
def mobile(value):
    """An Iranian mobile, any form we hold, → `<bdi dir="ltr">۰۹۱۲ ۳۴۵ ۶۷۸۹</bdi>`:
    the one way every page shows one (the `<bdi>` keeps the groups in order in
    right-to-left text). Anything else (a staff username) is shown as it is, in
    Persian digits, escaped."""
    if value is None or value == "":
        return ""
    try:
        text = format_phone_for_display(str(value))
    except InvalidPhoneNumber:
        return conditional_escape(persian.to_persian_digits(value))
    return format_html('<bdi dir="ltr">{}</bdi>', text)
