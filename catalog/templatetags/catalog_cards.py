"""`{% product_cards products as cards %}`: the cached cards of a listing.

    {% load catalog_cards %}
    {% product_cards products as cards %}
    {% if cards %}<ul class="grid">{% for card in cards %}{{ card }}{% endfor %}</ul>{% endif %}

`products` is a listing's queryset (only its ids are read when the cards are
cached) or a list of products. See catalog.cards.
"""

from django import template

from catalog import cards as card_cache

register = template.Library()


@register.simple_tag
def product_cards(products):
    return card_cache.product_cards(products)
