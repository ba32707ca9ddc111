"""Signals here only invalidate caches (see docs/ARCHITECTURE.md)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oscar.apps.partner.models import StockRecord

from sellers.models import District, Seller

from .cache_version import catalog_changed
from .models import Category, Product, ProductCategory, ProductImage
from .selectors import category_menu_invalidate


@receiver([post_save, post_delete], sender=Category)
def _category_changed(sender, **kwargs):
    # Drop it now for this transaction's own reads, and again after commit in
    # case another request re-cached the old value in between.
    category_menu_invalidate()
    transaction.on_commit(category_menu_invalidate)


def _catalogue_changed(sender, **kwargs):
    """A change to anything a cached public page shows makes all of them stale."""
    catalog_changed()


# District: the booth and product pages print the booth's district name.
# ProductCategory: a product moved to another category changes both listings.
_WATCHED = (
    Product,
    StockRecord,
    ProductImage,
    ProductCategory,
    Seller,
    District,
    Category,
)
for _model in _WATCHED:
    for _signal in (post_save, post_delete):
        _signal.connect(
            _catalogue_changed,
            sender=_model,
            dispatch_uid=f"page-cache-{_model.__name__}",
        )
