"""Signals here only invalidate caches (see docs/ARCHITECTURE.md)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Province, Seller
from .selectors import open_partner_ids_invalidate, province_list_invalidate


@receiver([post_save, post_delete], sender=Seller)
def _seller_changed(sender, **kwargs):
    # Drop it now for this transaction's own reads, and again after commit in
    # case another request re-cached the old value in between.
    open_partner_ids_invalidate()
    transaction.on_commit(open_partner_ids_invalidate)


@receiver([post_save, post_delete], sender=Province)
def _province_changed(sender, **kwargs):
    province_list_invalidate()
    transaction.on_commit(province_list_invalidate)
