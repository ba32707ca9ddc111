"""`{% product_cards products as cards %}`: the cached cards of a listing.

    {% load catalog_cards %}
    {% product_cards products as cards %}
    {% product_cards products eager=2 as cards %}   (the first 2 photos load at once)
    {% if cards %}<ul class="grid">{% for card in cards %}{{ card }}{% endfor %}</ul>{% endif %}

`products` is a listing's queryset (only its ids are read when the cards are
cached) or a list of products. See catalog.cards.
"""

from django import template
from django.utils.safestring import mark_safe

from catalog import cards as card_cache

register = template.Library()


LAZY = ' loading="lazy"'
EAGER = ' loading="eager"'


@register.simple_tag
def product_cards(products, eager=0):
    """`eager`: how many cards from the first carry a photo that loads at once
    (the first row on a phone); the rest load as they scroll into view. Cards
    are cached with lazy photos, so this is applied here, per listing."""
    cards = card_cache.product_cards(products)
    return [
        mark_safe(card.replace(LAZY, EAGER, 1)) if index < eager else card  # noqa: S308
        for index, card in enumerate(cards)
    ]
