"""Orders: Oscar's buyer order, split into one seller order per booth; the ledger.

Defined before Oscar's `import *` so Oscar registers ours instead of its own.
The rules live in `orders.services` (placement, transitions, cancellation),
`orders.status` (the parent's status, derived), `orders.ledger` and
`orders.payments` (the gateway interface).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from oscar.apps.order.abstract_models import AbstractLine, AbstractOrder

from marketplace.append_only import AppendOnlyModel, append_only_triggers

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
    # Signed into her order link (`orders.notifications.buyer_link_token`);
    # withdrawing the link bumps it, so every older link stops working.
    guest_link_version = models.PositiveIntegerField("نسخهٔ پیوند سفارش", default=0)

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


class SellerOrderQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Every write moves `updated_at`, bulk ones too: the inbox's cached rows
        are keyed by it (`orders.selectors.inbox_state`)."""
        kwargs.setdefault("updated_at", timezone.now())
        return super().update(**kwargs)


class SellerOrder(models.Model):
    """One booth's part of an order: its own number (the order's plus a suffix),
    status, delivery, fee, payment and notes. Transitions go through
    `orders.services.seller_order_transition` only."""

    class Status(models.TextChoices):
        # A card part before Stripe confirms the payment (webhook): the booth
        # does not see it yet; its stock is held until `accept_deadline`.
        AWAITING_PAYMENT = "awaiting_payment", "در انتظار پرداخت"
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
        PAYMENT = "payment", "سامانه (پرداخت انجام نشد یا کالا تمام شد)"
        STAFF = "staff", "کارکنان دستاورد"

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="seller_orders"
    )
    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="seller_orders"
    )
    number = models.CharField("شماره", max_length=64, unique=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
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
    #: The Iranian week (its Saturday) whose capacity its made-to-order units
    #: were charged to: placement's week, or the week a late card payment
    #: revived it in. A cancellation gives them back to this week. Empty on
    #: parts placed before it was kept (their week is that of `created_at`).
    capacity_week = models.DateField(null=True, blank=True)
    #: Moves on every write, `QuerySet.update` included (SellerOrderQuerySet).
    updated_at = models.DateTimeField(auto_now=True)

    objects = SellerOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["seller", "status", "-created_at"])]
        verbose_name = "سفارش غرفه"
        verbose_name_plural = "سفارش‌های غرفه"

    def __str__(self) -> str:
        return self.number

    @property
    def charged_week(self):
        """The week its made-to-order units count in (`capacity_week`)."""
        if self.capacity_week is not None:
            return self.capacity_week
        from .calendar import week_start

        return week_start(timezone.localdate(self.created_at))

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.delivery_fee

    @property
    def is_pickup(self) -> bool:
        return self.delivery_kind in ("centre_pickup", "bazaar_pickup")

    @property
    def will_ship(self) -> bool:
        """Whether its goods are (or were) handed over: a declined or cancelled
        part, or one still waiting for its card payment, has nothing to pack,
        so it has no packing slip."""
        return self.status not in (self.Status.CANCELLED, self.Status.AWAITING_PAYMENT)

    @property
    def closed_at(self):
        """When it ended (delivered or cancelled), for the 14-day privacy window."""
        return self.delivered_at or self.cancelled_at


class SellerOrderEvent(AppendOnlyModel):
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
        "pay": "پرداخت با کارت تأیید شد",
        "unpaid": "پرداخت در مهلت انجام نشد و لغو شد",
        "sold_out": "کالا پیش از رسیدن پرداخت تمام شد؛ مبلغ به کارت بازگردانده می‌شود",
        "late_refund": "پرداخت کارتی پس از تغییر روش پرداخت رسید؛ مبلغ به کارت "
        "بازگردانده می‌شود",
        "refund_sent": "مبلغ این بخش به کارت خریدار بازگردانده شد",
        "switch_to_cash": "روش پرداخت به پرداخت هنگام تحویل تغییر کرد",
        "staff_cancel": "کارکنان دستاورد لغو کردند",
        "revive": "پرداخت پس از پایان مهلت رسید و سفارش دوباره باز شد",
        "revived": "پرداخت پس از پایان مهلت رسید و سفارش دوباره باز شد",  # older rows
    }

    seller_order = models.ForeignKey(
        SellerOrder, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        triggers = append_only_triggers(
            "sellerorderevent", nulled_on_delete=("actor_id",)
        )

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

    # Our stock moves. Oscar's `cancel_allocation` / `consume_allocation` read
    # the product's class as it is now and trust `allocation_cancelled` for
    # good; ours read the kind frozen on the line (`made_to_order`) and what the
    # line holds (`num_allocated`), so a product switched between ready-made
    # and made-to-order, or a part cancelled and revived, moves exactly the
    # units it holds. `record` is the line's stock record, locked by the caller
    # (`orders.services.stock_records_lock`) and shared between its lines.

    def holds_stock(self) -> bool:
        return not self.made_to_order and self.stockrecord_id is not None

    def stock_take(self, record) -> None:
        """Allocate the line's quantity (again): a revived part's lines."""
        if not self.holds_stock():
            return
        record.num_allocated = (record.num_allocated or 0) + self.quantity
        record.save(update_fields=["num_allocated"])
        self.num_allocated = self.quantity
        self.allocation_cancelled = False
        self.save(update_fields=["num_allocated", "allocation_cancelled"])

    def stock_release(self, record) -> None:
        """Give back what the line holds (a cancellation)."""
        held = self.num_allocated or 0
        if not self.holds_stock() or not held:
            return
        record.num_allocated = max(0, (record.num_allocated or 0) - held)
        record.save(update_fields=["num_allocated"])
        self.num_allocated = 0
        self.allocation_cancelled = True
        self.save(update_fields=["num_allocated", "allocation_cancelled"])

    def stock_consume(self, record) -> None:
        """Hand-over: the units leave stock, and what the line held leaves the
        allocation. Never raises: the goods are in her hands either way."""
        if not self.holds_stock():
            return
        held = self.num_allocated or 0
        record.num_allocated = max(0, (record.num_allocated or 0) - held)
        record.num_in_stock = max(0, (record.num_in_stock or 0) - self.quantity)
        record.save(update_fields=["num_allocated", "num_in_stock"])
        self.num_allocated = 0
        self.save(update_fields=["num_allocated"])

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


class StallSale(models.Model):
    """A sale at a bazaar stall, recorded on a phone by the booth or by staff
    (`orders.stalls.stall_sale_record`). She takes the cash; her ledger gets a
    sale (amount 0, gross the total) and the commission she owes, at the rate
    frozen here. `from_set_aside` of the units came from what she had set aside
    for the bazaar, the rest from her stock."""

    stall = models.ForeignKey(
        "sellers.BazaarStall", on_delete=models.PROTECT, related_name="sales"
    )
    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="stall_sales"
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField("محصول", max_length=255)
    quantity = models.PositiveIntegerField("تعداد")
    unit_price = models.DecimalField("قیمت واحد (ریال)", **MONEY)
    total = models.DecimalField("جمع (ریال)", **MONEY)
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4)
    from_set_aside = models.PositiveIntegerField(default=0)
    made_to_order = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The booth's facts at the moment of sale, like an order line's, so the
    # reports do not move when she does (`StallSale.booth_facts`).
    seller_kind = models.CharField(max_length=16, blank=True, default="")
    seller_province = models.ForeignKey(
        "sellers.Province", on_delete=models.PROTECT, null=True, related_name="+"
    )
    seller_district = models.ForeignKey(
        "sellers.District", on_delete=models.PROTECT, null=True, related_name="+"
    )
    seller_centre = models.ForeignKey(
        "sellers.KowsarCentre", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    seller_programme = models.ForeignKey(
        "sellers.Programme", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "فروش در بازارچه"
        verbose_name_plural = "فروش‌های بازارچه"

    def __str__(self) -> str:
        return f"{self.title} × {self.quantity}"

    @staticmethod
    def booth_facts(seller) -> dict:
        """What a sale freezes of her booth (the rule `Line.for_sale` follows)."""
        return {
            "seller_kind": seller.kind,
            "seller_province_id": seller.province_id,
            "seller_district_id": seller.district_id,
            "seller_centre_id": seller.centre_id,
            "seller_programme_id": seller.programme_id,
        }


class LedgerEntry(AppendOnlyModel):
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
        # Settles a payout batch line: the platform paid her (minus the line).
        PAYOUT = "payout", "واریز"
        # Settles a collection list line: she paid what she owed (plus the line).
        COLLECTION = "collection", "دریافت از غرفه"
        # Flags, amount 0 (orders.ledger): Stripe reported a refund nobody made
        # here (its dashboard) or a dispute on the charge that paid this part.
        EXTERNAL_REFUND = "ext_refund", "بازپرداخت بیرون از سامانه (Stripe)"
        DISPUTE = "dispute", "اعتراض خریدار به پرداخت کارتی"

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
    # A sale at a bazaar stall (no seller order): settled at once, she holds the cash.
    stall_sale = models.ForeignKey(
        StallSale,
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
    # Card sales: the Stripe charge (ch_…) on the sale, fee and commission; the
    # card refund's key (`CardRefund.idempotency_key`, which holds Stripe's re_…
    # once sent) on their reversals, so a payout traces to the payments.
    payment_reference = models.CharField(max_length=64, blank=True)
    # A payout or collection entry: the frozen batch line it settles (once:
    # the one-to-one makes a second settlement of the same line impossible).
    payout_line = models.OneToOneField(
        "PayoutBatchLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlement",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "ردیف دفتر حساب"
        verbose_name_plural = "دفتر حساب غرفه‌ها"
        triggers = append_only_triggers(
            "ledgerentry", nulled_on_delete=("created_by_id",)
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"

    @property
    def source_label(self) -> str:
        """What the entry is for, in her words: its order, the bazaar where she
        sold at her stall, or a settlement (a payout has neither; one of a batch
        says the batch's date). Needs `seller_order`, `stall_sale__stall__bazaar`
        and `payout_line__batch` loaded with it."""
        from marketplace.persian import to_persian_digits

        if self.seller_order_id:
            return f"سفارش {to_persian_digits(self.seller_order.number)}"
        if self.stall_sale_id:
            name = self.stall_sale.stall.bazaar.name
            if not name.startswith("بازارچه"):
                name = f"بازارچهٔ «{name}»"
            return f"فروش در {name}"
        if self.payout_line_id:
            from marketplace.persian import format_jalali_numeric

            what = (
                "واریز دستاورد"
                if self.kind == self.Kind.PAYOUT
                else "پرداخت کارمزد به دستاورد"
            )
            day = format_jalali_numeric(self.payout_line.batch.created_at)
            return f"{what} (فهرست {day})"
        if self.kind == self.Kind.PAYOUT:
            return "تسویه با دستاورد (واریز)"
        return "—"


class PayoutBatch(AppendOnlyModel):
    """A frozen list of what staff send (a payout batch: the platform pays the
    booths) or collect (a collection list: the booths pay the commission they
    owe). Made from the settled ledger entries no earlier batch covered; its
    lines never change. Its status is derived: open until every line is settled
    (`orders.payouts`)."""

    class Kind(models.TextChoices):
        PAYOUT = "payout", "فهرست واریز"
        COLLECTION = "collection", "فهرست دریافت"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "فهرست تسویه"
        verbose_name_plural = "فهرست‌های تسویه"
        triggers = append_only_triggers("payoutbatch")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class PayoutBatchLine(AppendOnlyModel):
    """One booth in a batch: the amount sent (positive, a payout) or to receive
    (negative, a collection), in rials, and the account it went to, as they
    were when the batch was made. The ledger entries it covers are
    `PayoutCoverage` rows; the entry that settles it is `settlement`."""

    batch = models.ForeignKey(
        PayoutBatch, on_delete=models.PROTECT, related_name="lines"
    )
    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="payout_lines"
    )
    amount = models.DecimalField(**MONEY)
    brand_name = models.CharField(max_length=255)
    account_holder = models.CharField(max_length=255, blank=True)
    sheba = models.CharField(max_length=34, blank=True)

    class Meta:
        ordering = ["batch", "brand_name", "pk"]
        triggers = append_only_triggers("payoutbatchline")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "seller"], name="payout_line_one_per_booth"
            )
        ]

    def __str__(self) -> str:
        return f"{self.seller_id} {self.amount}"


class PayoutCoverage(AppendOnlyModel):
    """A ledger entry counted in a batch line. An entry is covered at most once
    (one-to-one), so no later batch pays or collects it again."""

    line = models.ForeignKey(
        PayoutBatchLine, on_delete=models.PROTECT, related_name="coverage"
    )
    entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, related_name="payout_coverage"
    )

    class Meta:
        triggers = append_only_triggers("payoutcoverage")

    def __str__(self) -> str:
        return f"{self.line_id} ← {self.entry_id}"


class ExchangeRate(models.Model):
    """The rate staff set for card payments: rials per one unit of
    `STRIPE_CURRENCY`, as of `effective_on`. The newest row is the one in force;
    rows are never edited, so every card payment keeps the rate it was charged at
    (copied onto `CardPayment`)."""

    currency = models.CharField(max_length=3)
    rials_per_unit = models.DecimalField("ریال به ازای هر واحد", **MONEY)
    effective_on = models.DateField("تاریخ نرخ")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "نرخ ارز پرداخت کارتی"
        verbose_name_plural = "نرخ‌های ارز پرداخت کارتی"

    def __str__(self) -> str:
        return f"{self.rials_per_unit} IRR/{self.currency} ({self.effective_on})"


class CardPayment(models.Model):
    """The one Stripe PaymentIntent of an order (its card parts): both amounts
    (rials and `currency` minor units), the rate and its date, and what Stripe
    last told us. Written by `orders.card`; the webhook is the only path that
    marks it paid."""

    class Status(models.TextChoices):
        PENDING = "pending", "در انتظار پرداخت"
        SUCCEEDED = "succeeded", "پرداخت شد"
        FAILED = "failed", "پرداخت ناموفق"  # last attempt failed; she may retry
        CANCELLED = "cancelled", "لغو شد"
        # Stripe reported a success for another amount or currency: not paid;
        # staff look (the attention page), `failure_message` says what came.
        MISMATCH = "mismatch", "مبلغ یا ارز نادرست"

    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="card_payment"
    )
    payment_intent_id = models.CharField(max_length=255, unique=True)
    idempotency_key = models.CharField(max_length=128, unique=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    amount_rials = models.DecimalField(**MONEY)
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    rials_per_unit = models.DecimalField(**MONEY)
    rate_effective_on = models.DateField()
    #: The seller orders (pks) this intent pays for: the card parts still
    #: awaiting payment when it was created. A late payment refunds only these.
    part_ids = models.JSONField(default=list)
    charge_id = models.CharField(max_length=255, blank=True)
    failure_message = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "پرداخت کارتی"
        verbose_name_plural = "پرداخت‌های کارتی"

    def __str__(self) -> str:
        return self.payment_intent_id


class StripeEvent(AppendOnlyModel):
    """Every Stripe webhook event handled, by its id (unique): written in the
    same transaction as its effect, so a replay finds it and changes nothing.
    Its insert claims the event before the effect is known, so `outcome` is
    written once afterwards; nothing else ever changes."""

    mutable_once = ("outcome",)

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=64)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    outcome = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        triggers = append_only_triggers("stripeevent", mutable_once=("outcome",))

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class CardRefund(models.Model):
    """One card refund of one part, in the outbox (`orders.refunds`): written
    as `PENDING` in the transaction that cancels the part (or that finds a
    late payment for a part that can no longer be sold), sent to Stripe
    after commit by a Celery task, never under a row lock. `idempotency_key`
    is the one Stripe sees on every attempt, so a retry refunds once.
    `stripe_refund_id` (re_…) is written when Stripe answers; `attempts` and
    `next_attempt_at` are the backoff; `FAILED` after `REFUND_MAX_ATTEMPTS`
    (staff see it, with the last error, on the attention page)."""

    class Status(models.TextChoices):
        PENDING = "pending", "بازپرداخت در جریان است"
        SENT = "sent", "بازپرداخت شد"
        FAILED = "failed", "بازپرداخت ناموفق؛ نزد کارکنان"

    seller_order = models.ForeignKey(
        SellerOrder, on_delete=models.PROTECT, related_name="card_refunds"
    )
    payment = models.ForeignKey(
        "CardPayment", on_delete=models.PROTECT, related_name="refunds"
    )
    #: Why: the part's cancelling action, or `sold_out`/`switched` (a late payment).
    action = models.CharField(max_length=32)
    amount_rials = models.DecimalField(**MONEY)
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    idempotency_key = models.CharField(max_length=128, unique=True)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    stripe_refund_id = models.CharField(max_length=255, blank=True, db_index=True)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "بازپرداخت کارتی"
        verbose_name_plural = "بازپرداخت‌های کارتی"

    def __str__(self) -> str:
        return f"{self.idempotency_key} ({self.status})"


class StripeIncident(AppendOnlyModel):
    """Money that moved at Stripe outside our flows, for staff (the attention
    page): a refund made in Stripe's dashboard (`charge.refunded` naming a
    refund no `CardRefund` made) or a dispute (`charge.dispute.created`). One
    row per Stripe object (`stripe_id` unique: a refund re_…, a dispute dp_…,
    or the charge and its refunded total when Stripe sent no refund list), so
    a replayed or repeated event records it once. The ledger gets a flag
    entry (amount 0) on each booth part the charge paid (`orders.ledger`)."""

    class Kind(models.TextChoices):
        EXTERNAL_REFUND = "ext_refund", "بازپرداخت بیرون از سامانه"
        DISPUTE = "dispute", "اعتراض به پرداخت (dispute)"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    payment = models.ForeignKey(
        CardPayment, on_delete=models.PROTECT, related_name="incidents"
    )
    stripe_id = models.CharField(max_length=255, unique=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=255, blank=True)
    event_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "رویداد بیرونی Stripe"
        verbose_name_plural = "رویدادهای بیرونی Stripe"
        triggers = append_only_triggers("stripeincident")

    def __str__(self) -> str:
        return f"{self.kind} {self.stripe_id}"

    @property
    def amount_display(self) -> str:
        """ "12.34 EUR" (Latin digits, as in Stripe's dashboard)."""
        sign = "-" if self.amount_minor < 0 else ""
        cents = abs(self.amount_minor)
        return f"{sign}{cents // 100}.{cents % 100:02d} {self.currency.upper()}"


from oscar.apps.order.models import *  # noqa: E402,F403

# Conversations between a buyer and a booth (issue 28): their own module.
from .conversations.models import Thread, ThreadMessage, ThreadReadLog  # noqa: E402,F401
