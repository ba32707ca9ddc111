"""Our catalogue models: Oscar's, plus what a home business needs.

Defined before Oscar's `import *` so Oscar registers ours instead of its own
(see Oscar's "How to customise models").
"""

from django.conf import settings
from django.db import models
from oscar.apps.catalogue.abstract_models import (
    AbstractCategory,
    AbstractProduct,
    AbstractProductCategory,
    AbstractProductImage,
)
from oscar.apps.catalogue.managers import CategoryManager, CategoryQuerySet
from oscar.apps.catalogue.managers import ProductQuerySet as OscarProductQuerySet

from marketplace.bulk_writes import SignallingQuerySet

# Every catalogue model a public page shows writes through a SignallingQuerySet:
# its bulk writes (`update`, `bulk_create`, `bulk_update`) reach the cache
# receivers (catalog.receivers) like `save()` does, so no writer has to remember
# to invalidate (tests/catalog/test_cache_invalidation.py checks every model).


# Moderation value of a product staff let through (Product.Moderation.APPROVED;
# the queryset is defined before the model).
_APPROVED = "approved"


class ProductQuerySet(SignallingQuerySet, OscarProductQuerySet):
    def live(self):
        """Live products: the one home of the rule (`Product.is_live` is the same
        rule for one product in memory). A product is live when Oscar's
        `is_public` is on, it is not paused, not deleted, and staff have let it
        through moderation. Whether its booth may sell is the booth's rule, added
        by `catalog.selectors.product_list_public` and the partner strategy."""
        return self.filter(
            is_public=True,
            is_paused=False,
            deleted_at__isnull=True,
            moderation_status=_APPROVED,
        )


class CategoryQuerySetSignalling(SignallingQuerySet, CategoryQuerySet):
    pass


class Category(AbstractCategory):
    objects = CategoryManager.from_queryset(CategoryQuerySetSignalling)()

    class Meta(AbstractCategory.Meta):
        pass


class ProductCategory(AbstractProductCategory):
    objects = SignallingQuerySet.as_manager()

    class Meta(AbstractProductCategory.Meta):
        pass


class Product(AbstractProduct):
    """A handmade product of one booth. Shown to the public and sold while it is
    live (`is_live`, `Product.objects.live()`) and its booth is open."""

    class Fulfilment(models.TextChoices):
        READY = "ready", "آماده"
        MADE_TO_ORDER = "made_to_order", "سفارشی (ساخت پس از سفارش)"

    class Moderation(models.TextChoices):
        PENDING = "pending", "در انتظار بررسی"
        APPROVED = _APPROVED, "تأیید شده"
        RETURNED = "returned", "برگشت برای اصلاح"

    fulfilment = models.CharField(
        "نوع آماده‌سازی",
        max_length=16,
        choices=Fulfilment.choices,
        default=Fulfilment.READY,
        db_index=True,
    )
    preparation_days = models.PositiveSmallIntegerField(
        "روزهای آماده‌سازی", null=True, blank=True
    )
    materials = models.CharField("مواد و جنس", max_length=255, blank=True)
    shipping_weight_grams = models.PositiveIntegerField(
        "وزن بسته (گرم)", null=True, blank=True
    )
    moderation_status = models.CharField(
        max_length=12,
        choices=Moderation.choices,
        default=Moderation.APPROVED,
        db_index=True,
    )
    moderation_note = models.TextField("یادداشت کارشناس", blank=True)
    is_paused = models.BooleanField("متوقف", default=False)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        # Which group member listed it: staff and the group see this, never the public.
    )

    objects = ProductQuerySet.as_manager()

    class Meta(AbstractProduct.Meta):
        indexes = [
            models.Index(
                fields=["is_public", "-date_created"], name="product_public_newest"
            ),
        ]

    @property
    def is_live(self) -> bool:
        """`ProductQuerySet.live()` for this product, from its own fields (no
        query): public, not paused, not deleted, approved by moderation."""
        return bool(
            self.is_public
            and not self.is_paused
            and self.deleted_at is None
            and self.moderation_status == _APPROVED
        )

    @property
    def is_made_to_order(self) -> bool:
        """Made after the order (no stock to run out of): the one source of
        truth is `fulfilment`. Oscar reads its product class's `track_stock`
        instead, which `catalog.services` derives from `fulfilment` whenever it
        sets one (the two are checked to agree by
        tests/catalog/test_one_home_rules.py); our code asks this property."""
        return self.fulfilment == self.Fulfilment.MADE_TO_ORDER

    def primary_image(self):
        """The first READY photo, or Oscar's "missing image" stand-in.

        Oscar's version returns the first photo whatever its state; a photo still
        being processed has no file yet, and Oscar's basket and dashboard
        templates would fail on it. Reads the prefetched images when present."""
        for image in self.images.all():
            if image.state == ProductImage.State.READY and image.original:
                return image
        missing = self.get_missing_image()
        return {"original": missing.name, "caption": "", "is_missing": True}


class ProductImage(AbstractProductImage):
    """A product photo. Phone uploads are processed in the background
    (`catalog.photos`): until then the photo is `processing` and the public sees a
    placeholder; `variants` holds the WebP and JPEG files at each size."""

    class State(models.TextChoices):
        PROCESSING = "processing", "در حال آماده‌سازی"
        READY = "ready", "آماده"
        FAILED = "failed", "ناموفق"

    state = models.CharField(
        max_length=12, choices=State.choices, default=State.READY, db_index=True
    )
    error = models.CharField(max_length=255, blank=True)
    variants = models.JSONField(default=dict, blank=True)
    source = models.CharField(
        max_length=255,
        blank=True,
        help_text="Private path of the raw upload until it is processed; never public.",
    )

    objects = SignallingQuerySet.as_manager()

    class Meta(AbstractProductImage.Meta):
        pass


from oscar.apps.catalogue.models import *  # noqa: E402,F403
