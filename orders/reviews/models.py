"""The table of reviews from verified buyers (app label `order`: imported by
`orders.models`). The rules are in `orders.reviews.services`.

Our own model rather than Oscar's `ProductReview`: Oscar's reviews app stays
off (its anonymous pages are 404, tests/catalog/test_oscar_doors.py), and a
review here belongs to an order line (one per line, a verified purchase by
construction), is held for staff on labelling words or contact details, and
carries the booth's one public answer, none of which Oscar's model knows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from marketplace.bulk_writes import SignallingQuerySet


class Review(models.Model):
    """One buyer's review of one delivered order line (one per line)."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "منتشرشده"
        HELD = "held", "در انتظار بررسی"
        REJECTED = "rejected", "رد شده"

    line = models.OneToOneField(
        "order.Line", on_delete=models.CASCADE, related_name="review"
    )
    seller_order = models.ForeignKey(
        "order.SellerOrder", on_delete=models.CASCADE, related_name="reviews"
    )
    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.CASCADE, related_name="reviews"
    )
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buyer_reviews",
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="buyer_reviews",
    )
    # Her first name as it was when she wrote (the only part of her a public
    # page shows): pages read it here, never from her account.
    buyer_first_name = models.CharField(max_length=150, blank=True, default="")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # Stored masked (no contact details are ever kept); `masked` says so.
    text = models.TextField(blank=True)
    masked = models.BooleanField(default=False)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    hold_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The booth's one public answer.
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Its writes, bulk ones included, keep the cached product and booth pages
    # true (catalog.receivers watches it).
    objects = SignallingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "نظر خریدار"
        verbose_name_plural = "نظرهای خریداران"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5),
                name="review_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"review #{self.pk}"
