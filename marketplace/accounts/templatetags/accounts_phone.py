"""`{% load accounts_phone %}` then `{{ user.username|phone_display }}`.

The same as the builtin `mobile` filter (`marketplace.templatetags.persian`),
kept for templates that load it by this name."""

from django import template

from marketplace.templatetags.persian import mobile

register = template.Library()


@register.filter
def phone_display(value):
    """`+989121234567` → `<bdi dir="ltr">۰۹۱۲ ۱۲۳ ۴۵۶۷</bdi>`."""
    return mobile(value)
