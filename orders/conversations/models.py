"""The tables of the conversations between a buyer and a booth (app label
`order`: imported by `orders.models`). The rules are in
`orders.conversations.services`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from marketplace.append_only import AppendOnlyModel, append_only_triggers

BUYER, BOOTH = "buyer", "booth"
SIDES = [(BUYER, "خریدار"), (BOOTH, "غرفه")]


class Thread(models.Model):
    """One conversation between a buyer and a booth: about a product (a
    signed-in buyer, or a guest who proved her mobile by code: `guest_phone`),
    or about one order part (one thread per part)."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.CASCADE, related_name="threads"
    )
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    seller_order = models.OneToOneField(
        "order.SellerOrder",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="thread",
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="buyer_threads",
    )
    guest_phone = models.CharField(max_length=16, blank=True, db_index=True)
    subject = models.CharField(max_length=160)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    buyer_read_at = models.DateTimeField(null=True, blank=True)
    booth_read_at = models.DateTimeField(null=True, blank=True)
    # The last SMS to the booth's owners about this thread (at most one an hour).
    owners_texted_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reported_by = models.CharField(max_length=8, choices=SIDES, blank=True)
    report_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = "گفت‌وگو"
        verbose_name_plural = "گفت‌وگوها"

    def __str__(self) -> str:
        return f"thread #{self.pk}"


class ThreadMessage(models.Model):
    """One message. Its text is stored masked (no contact details ever kept);
    a message with labelling words is `held` until staff release it (or drop
    it), and until then only its sender sees it."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="messages"
    )
    side = models.CharField(max_length=8, choices=SIDES)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(blank=True)
    masked = models.BooleanField(default=False)
    photo = models.ImageField(upload_to="messages/", blank=True)
    held = models.BooleanField(default=False)
    dropped = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message #{self.pk}"


class ThreadReadLog(AppendOnlyModel):
    """One staff read of a reported or held thread: who, when (like a case
    file's read log)."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="read_log"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    read_at = models.DateTimeField(default=timezone.now)
    purpose = models.CharField(max_length=32, default="view")

    class Meta:
        ordering = ["-read_at", "-pk"]
        triggers = append_only_triggers("threadreadlog")

    def __str__(self) -> str:
        return f"thread read #{self.pk}"
