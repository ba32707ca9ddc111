"""`{% load accounts_phone %}` then `{{ user.username|phone_display }}`."""

from django import template
from django.utils.html import format_html

from marketplace.accounts.phone import InvalidPhoneNumber, format_phone_for_display

register = template.Library()


@register.filter
def phone_display(value):
    """`+989121234567` → `<bdi dir="ltr">۰۹۱۲ ۱۲۳ ۴۵۶۷</bdi>`.

    Values that are not mobile numbers are returned unchanged."""
    try:
        text = format_phone_for_display(str(value))
    except InvalidPhoneNumber:
        return value
    return format_html('<bdi dir="ltr">{}</bdi>', text)
