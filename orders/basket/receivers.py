"""Signals here only invalidate caches (see docs/ARCHITECTURE.md): the header's
basket count (`orders.basket.header`) and whether any offer exists
(`orders.basket.offers`)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from .header import basket_count_drop
from .models import Basket, Line
from .offers import offers_exist_invalidate

ConditionalOffer = get_model("offer", "ConditionalOffer")


@receiver([post_save, post_delete], sender=Basket)
def _basket_written(sender, instance, **kwargs):
    basket_count_drop(basket_id=instance.pk, owner_id=instance.owner_id)


@receiver([post_save, post_delete], sender=Line)
def _line_written(sender, instance, **kwargs):
    # Lines reached through their basket (add, merge, flush, the basket page)
    # have it loaded; a line fetched on its own costs one query here.
    basket = instance._state.fields_cache.get("basket")
    owner_id = (
        basket.owner_id
        if basket is not None
        else Basket.objects.filter(pk=instance.basket_id)
        .values_list("owner_id", flat=True)
        .first()
    )
    basket_count_drop(basket_id=instance.basket_id, owner_id=owner_id)


# Bulk deletes send post_delete too while a receiver is connected.
@receiver([post_save, post_delete], sender=ConditionalOffer)
def _offer_written(sender, **kwargs):
    offers_exist_invalidate()
