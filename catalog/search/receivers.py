"""Changes that alter a product's search document queue its reindexing after
commit (`indexing.index_after_commit`). Like the cache receivers, these only keep
a derived copy true; the rules live in services and selectors. Writes that send
no signal (queryset updates in `catalog.services`) call `index_after_commit`
themselves; `reconcile` catches anything else."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog.models import Category, Product, ProductCategory, ProductImage
from catalog.receivers import stock_record_moved
from sellers.models import DeliveryOption, Seller
from sellers.partner.models import StockRecord

from .indexing import index_after_commit


@receiver([post_save, post_delete], sender=Product, dispatch_uid="search-product")
def _product_changed(sender, instance, **kwargs):
    index_after_commit([instance.pk])


@receiver([post_save], sender=StockRecord, dispatch_uid="search-stockrecord")
def _stock_changed(sender, instance, **kwargs):
    """Its price or booth can change the document; its stock level cannot: a
    sale (every order saves its stock records, and Oscar's allocation methods
    send post_save too) does not reindex the product."""
    if instance.product_id and stock_record_moved(instance):
        index_after_commit([instance.product_id])


@receiver([post_delete], sender=StockRecord, dispatch_uid="search-stockrecord-delete")
@receiver(
    [post_save, post_delete], sender=ProductImage, dispatch_uid="search-productimage"
)
@receiver(
    [post_save, post_delete],
    sender=ProductCategory,
    dispatch_uid="search-productcategory",
)
def _part_changed(sender, instance, **kwargs):
    if instance.product_id:
        index_after_commit([instance.product_id])


def _booth_products(**booth) -> None:
    index_after_commit(
        StockRecord.objects.filter(
            **{f"partner__seller__{k}": v for k, v in booth.items()}
        ).values_list("product_id", flat=True)
    )


@receiver([post_save], sender=Seller, dispatch_uid="search-seller")
def _booth_changed(sender, instance, **kwargs):
    """Approval, suspension, a new name, province, city or district: every
    product of the booth."""
    _booth_products(pk=instance.pk)


@receiver(
    [post_save, post_delete], sender=DeliveryOption, dispatch_uid="search-delivery"
)
def _delivery_changed(sender, instance, **kwargs):
    """Where the booth delivers ("ships to my city"): every product of the booth."""
    _booth_products(pk=instance.seller_id)


@receiver([post_save], sender=Category, dispatch_uid="search-category")
def _category_changed(sender, instance, created, **kwargs):
    if created:
        return
    index_after_commit(
        ProductCategory.objects.filter(
            category__path__startswith=instance.path
        ).values_list("product_id", flat=True)
    )
