"""Template filters for Persian display. Loaded as a builtin (see TEMPLATES)."""

from django import template

from marketplace import persian

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
