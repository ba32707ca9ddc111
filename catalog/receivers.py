"""Signals here only invalidate caches (see docs/ARCHITECTURE.md)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Category
from .selectors import category_menu_invalidate


@receiver([post_save, post_delete], sender=Category)
def _category_changed(sender, **kwargs):
    # Drop it now for this transaction's own reads, and again after commit in
    # case another request re-cached the old value in between.
    category_menu_invalidate()
    transaction.on_commit(category_menu_invalidate)
