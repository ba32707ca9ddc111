"""Orders: Oscar's buyer order, split into one seller order per booth; the ledger.

Defined before Oscar's `import *` so Oscar registers ours instead of its own.
The rules live in `orders.services` (placement, transitions, cancellation),
`orders.status` (the parent's status, derived), `orders.ledger` and
`orders.payments` (the gateway interface).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from oscar.apps.order.abstract_models import AbstractLine, AbstractOrder

MONEY = {"max_digits": 14, "decimal_places": 2}


class Order(AbstractOrder):
    """One buyer checkout: one payment, many booths' parts (`seller_orders`).

    `status` is never set by hand: `orders.status.order_status_sync` derives it
    from the seller orders. The delivery address is kept here in Iran's own terms
    (province, city, Tehran district, neighbourhood, 10-digit postal code); Oscar's
    `shipping_address` mirrors it for the dashboard, with the country set to Iran.
    """

    # Idempotency: one order per basket, whatever the clicks, retries and tabs.
    # NULL, not "", for orders made elsewhere (dashboard, scripts): unique allows many.
    placement_key = models.CharField(max_length=64, unique=True, null=True)  # noqa: DJ001
    buyer_name = models.CharField("نام خریدار", max_length=128, blank=True)
    buyer_phone = models.CharField(
        "موبایل خریدار", max_length=16, blank=True, db_index=True
    )
    ship_province = models.ForeignKey(
        "sellers.Province", on_delete=models.PROTECT, null=True, related_name="+"
    )
    ship_city = models.CharField("شهر", max_length=64, blank=True)
    ship_district = models.PositiveSmallIntegerField("منطقه", null=True, blank=True)
    ship_neighbourhood = models.CharField("محله", max_length=64, blank=True)
    ship_street = models.CharField("نشانی", max_length=255, blank=True)
    ship_postcode = models.CharField("کد پستی", max_length=10, blank=True)
    recipient_name = models.CharField("نام گیرنده", max_length=128, blank=True)
    recipient_phone = models.CharField("موبایل گیرنده", max_length=16, blank=True)

    class Meta(AbstractOrder.Meta):
        pass

    @property
    def status_label(self) -> str:
        from .status import order_status_label

        return order_status_label(self.status)

    def address_lines(self) -> list[str]:
        parts = [
            f"{self.ship_province.name if self.ship_province_id else ''}، {self.ship_city}",
        ]
        if self.ship_district:
            from marketplace.persian import to_persian_digits

            parts.append(f"منطقه {to_persian_digits(self.ship_district)}")
        if self.ship_neighbourhood:
            parts.append(self.ship_neighbourhood)
        parts.append(self.ship_street)
        return [p for p in parts if p]


class SellerOrder(models.Model):
    """One booth's part of an order: its own number (the order's plus a suffix),
    status, delivery, fee, payment and notes. Transitions go through
    `orders.services.seller_order_transition` only."""

    class Status(models.TextChoices):
        NEW = "new", "در انتظار تأیید غرفه"
        ACCEPTED = "accepted", "پذیرفته شد؛ در حال آماده‌سازی"
        READY = "ready", "آماده تحویل حضوری"
        SHIPPED = "shipped", "ارسال شد"
        DELIVERED = "delivered", "تحویل شد"
        CANCELLED = "cancelled", "لغو شد"

    class CancelledBy(models.TextChoices):
        BUYER = "buyer", "خریدار"
        SELLER = "seller", "غرفه"
        SYSTEM = "system", "سامانه (مهلت تأیید گذشت)"
        STAFF = "staff", "کارکنان دستاورد"

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="seller_orders"
    )
    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="seller_orders"
    )
    number = models.CharField("شماره", max_length=64, unique=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    delivery_kind = models.CharField(max_length=24)
    delivery_label = models.CharField(max_length=128)
    delivery_fee = models.DecimalField(default=0, **MONEY)
    subtotal = models.DecimalField(default=0, **MONEY)
    payment_method = models.CharField(max_length=32)
    seller_holds_cash = models.BooleanField(default=True)
    pickup_address = models.CharField(max_length=255, blank=True)
    buyer_note = models.CharField("یادداشت خریدار", max_length=500, blank=True)
    decline_reason = models.CharField("دلیل", max_length=500, blank=True)
    cancelled_by = models.CharField(
        max_length=8, choices=CancelledBy.choices, blank=True
    )
    tracking_code = models.CharField("کد رهگیری", max_length=64, blank=True)
    preparation_days = models.PositiveSmallIntegerField(default=1)
    expected_ready_on = models.DateField(null=True)
    accept_deadline = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)  # ready or shipped
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["seller", "status", "-created_at"])]
        verbose_name = "سفارش غرفه"
        verbose_name_plural = "سفارش‌های غرفه"

    def __str__(self) -> str:
        return self.number

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.delivery_fee

    @property
    def is_pickup(self) -> bool:
        return self.delivery_kind == "centre_pickup"

    @property
    def closed_at(self):
        """When it ended (delivered or cancelled), for the 14-day privacy window."""
        return self.delivered_at or self.cancelled_at


class SellerOrderEvent(models.Model):
    """The audit trail and timeline of a seller order: who did what, when."""

    LABELS = {
        "placed": "سفارش ثبت شد",
        "accept": "غرفه سفارش را پذیرفت",
        "decline": "غرفه سفارش را نپذیرفت",
        "ready": "آمادهٔ تحویل حضوری شد",
        "ship": "ارسال شد",
        "deliver": "تحویل شد",
        "cancel": "خریدار لغو کرد",
        "expire": "در مهلت پذیرفته نشد و لغو شد",
        "staff_cancel": "کارکنان دستاورد لغو کردند",
    }

    seller_order = models.ForeignKey(
        SellerOrder, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"

    @property
    def label(self) -> str:
        return self.LABELS.get(self.action, self.action)


class Line(AbstractLine):
    """An order line, freezing what reports need at the moment of sale: the
    booth, the commission rate, and the booth's province, city, district, Kowsar
    centre, programme and kind, so reports stay right after she moves."""

    seller_order = models.ForeignKey(
        SellerOrder, on_delete=models.CASCADE, null=True, related_name="lines"
    )
    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, null=True, related_name="+"
    )
    commission_rate = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal(0)
    )
    made_to_order = models.BooleanField(default=False)
    seller_kind = models.CharField(max_length=16, blank=True)
    seller_province = models.ForeignKey(
        "sellers.Province", on_delete=models.PROTECT, null=True, related_name="+"
    )
    seller_city = models.CharField(max_length=64, blank=True)
    seller_district = models.ForeignKey(
        "sellers.District", on_delete=models.PROTECT, null=True, related_name="+"
    )
    seller_centre = models.ForeignKey(
        "sellers.KowsarCentre", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    seller_programme = models.ForeignKey(
        "sellers.Programme", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta(AbstractLine.Meta):
        pass

    @classmethod
    def for_sale(
        cls,
        *,
        order,
        seller_order,
        seller,
        record,
        product,
        quantity: int,
        made_to_order: bool,
        commission_rate: Decimal,
        allocated: bool = True,
    ) -> Line:
        """An unsaved line of `quantity` × `product` from `record` at its price,
        freezing the booth's facts of the moment (the rule of this model).
        `allocated`: it holds stock (not made to order, not yet handed over)."""
        price = record.price * quantity
        return cls(
            order=order,
            seller_order=seller_order,
            partner_id=record.partner_id,
            partner_name=seller.brand_name,
            partner_sku=record.partner_sku,
            stockrecord=record,
            product=product,
            title=product.get_title(),
            upc=product.upc,
            quantity=quantity,
            line_price_incl_tax=price,
            line_price_excl_tax=price,
            line_price_before_discounts_incl_tax=price,
            line_price_before_discounts_excl_tax=price,
            unit_price_incl_tax=record.price,
            unit_price_excl_tax=record.price,
            num_allocated=quantity if allocated and not made_to_order else 0,
            made_to_order=made_to_order,
            seller=seller,
            commission_rate=commission_rate,
            seller_kind=seller.kind,
            seller_province=seller.province,
            seller_city=seller.city,
            seller_district=seller.district,
            seller_centre=seller.centre,
            seller_programme=seller.programme,
        )


class BuyerAddress(models.Model):
    """An address a signed-in buyer saved at checkout, to choose next time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="buyer_addresses",
    )
    province = models.ForeignKey(
        "sellers.Province", on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField("شهر", max_length=64)
    district = models.PositiveSmallIntegerField("منطقه", null=True, blank=True)
    neighbourhood = models.CharField("محله", max_length=64, blank=True)
    street = models.CharField("نشانی", max_length=255)
    postcode = models.CharField("کد پستی", max_length=10)
    recipient_name = models.CharField("نام گیرنده", max_length=128)
    recipient_phone = models.CharField("موبایل گیرنده", max_length=16)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.city}، {self.street}"


class LedgerEntry(models.Model):
    """One line of a seller's append-only ledger. Never edited, never deleted: a
    mistake or a cancellation is corrected by a reversing entry.

    `amount` is signed rials from the booth's side: positive when the platform
    owes her, negative when she owes the platform. Her balance is the sum of her
    entries. When she holds the cash (pay on delivery to her courier, pay at
    pickup), the sale and delivery fee are recorded with `amount` 0 and their
    `gross`, and only the commission moves her balance (she owes it)."""

    class Kind(models.TextChoices):
        SALE = "sale", "فروش"
        COMMISSION = "commission", "کارمزد"
        DELIVERY_FEE = "delivery_fee", "هزینهٔ ارسال"
        REVERSAL = "reversal", "برگشت"
        PAYOUT = "payout", "تسویه"

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    seller_order = models.ForeignKey(
        SellerOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.DecimalField(**MONEY)
    gross = models.DecimalField(default=0, **MONEY)
    cash_held_by_seller = models.BooleanField(default=False)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "ردیف دفتر حساب"
        verbose_name_plural = "دفتر حساب غرفه‌ها"

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Ledger entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Ledger entries are append-only.")


from oscar.apps.order.models import *  # noqa: E402,F403
