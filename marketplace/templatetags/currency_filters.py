"""Replaces Oscar's `currency_filters` library (see TEMPLATES["OPTIONS"]["libraries"]).

Oscar prints prices with Babel in the stored currency. Our prices are stored in
rials and people read toman with Persian digits, so every Oscar template
(basket, checkout, dashboard, e-mails) goes through `marketplace.persian`.
"""

from django import template
from oscar.templatetags.currency_filters import currency as oscar_currency

from marketplace import persian

register = template.Library()


@register.filter(name="currency")
def currency(value, currency=None):
    if currency in (None, "", "IRR"):
        return persian.format_toman(value)
    return oscar_currency(value, currency)
