"""The payment gateway interface, and the gateways of this release.

A gateway takes money for a seller order in up to three steps, all recorded on
Oscar's payment `Source` (one per seller order, `reference` = its number) and its
`Transaction`s, so the dashboard shows them:

- `authorise(seller_order)` at placement: the buyer's promise (cash) or a card
  hold (Stripe, later);
- `capture(seller_order)` when the money is actually taken (cash handed over at
  delivery or pickup; a card capture);
- `refund(seller_order, amount)` when a part is cancelled or refunded, for that
  part alone: money already taken is returned, a promise is released.

`seller_holds_cash` says who ends up holding the money: the booth (cash to her
courier, at her pickup point) or the platform (cards). The ledger reads it.

Settings: `ORDER_PAYMENT_GATEWAYS` lists the dotted paths of the gateways on
offer. The card gateway (Stripe, `orders.stripe_gateway.StripeGateway`) is one
more subclass with `seller_holds_cash = False` and every delivery kind; its
workflows (one PaymentIntent per order, the webhook) are in `orders.card`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string


class PaymentGateway:
    """Interface. Subclasses set the class attributes and the three steps."""

    code: str = ""
    label: str = ""
    #: Shown to the buyer under the choice.
    help_text: str = ""
    #: Delivery kinds (`DeliveryOption.Kind` values) it can pay for.
    delivery_kinds: frozenset[str] = frozenset()
    seller_holds_cash: bool = True

    def supports(self, delivery_kind: str) -> bool:
        return delivery_kind in self.delivery_kinds

    def _source_type_id(self) -> int:
        """Oscar's `SourceType` row for this gateway, created on first use; its id
        is kept in the cache since every placement asks it for every part."""
        from oscar.apps.payment.models import SourceType

        key = f"orders:payment-source-type:{self.code}"
        type_id = cache.get(key)
        if type_id is None:
            source_type, _ = SourceType.objects.get_or_create(
                code=self.code, defaults={"name": self.label}
            )
            type_id = source_type.pk
            cache.set(key, type_id, 3600)
        return type_id

    def _source(self, seller_order, *, create: bool = False, allocated=Decimal(0)):
        from oscar.apps.payment.models import Source

        if create:
            return Source.objects.create(
                order=seller_order.order,
                source_type_id=self._source_type_id(),
                currency=seller_order.order.currency,
                reference=seller_order.number,
                label=self.label,
                amount_allocated=allocated,
            )
        return Source.objects.filter(
            order_id=seller_order.order_id, reference=seller_order.number
        ).first()

    def authorise(self, seller_order) -> None:
        raise NotImplementedError

    def capture(self, seller_order) -> None:
        raise NotImplementedError

    def refund(
        self, seller_order, amount: Decimal, *, action: str = "refund"
    ) -> str | None:
        """Returns the provider's refund id when money went back, else None.
        `action` (decline, cancel, …) goes into the provider's idempotency key."""
        raise NotImplementedError


class CashGateway(PaymentGateway):
    """Cash (or the buyer's card on the courier's/seller's own POS) handed to the
    booth. Nothing leaves the site: authorising records the promise, capture the
    hand-over, and a refund of a part never handed over only releases it."""

    seller_holds_cash = True

    def authorise(self, seller_order) -> None:
        """What Oscar's `Source.allocate` records (the amount allocated, an
        Authorise transaction), written as the source is created: two writes a
        part instead of three."""
        from oscar.apps.payment.models import Transaction

        source = self._source(seller_order, create=True, allocated=seller_order.total)
        source.transactions.create(
            txn_type=Transaction.AUTHORISE,
            amount=seller_order.total,
            reference=seller_order.number,
            status="",
        )

    def capture(self, seller_order) -> None:
        source = self._source(seller_order)
        if source is not None and source.balance > 0:
            source.debit(source.balance, reference=seller_order.number)

    def refund(
        self, seller_order, amount: Decimal, *, action: str = "refund"
    ) -> str | None:
        source = self._source(seller_order)
        if source is None:
            return None
        if source.amount_debited > source.amount_refunded:
            # Cash already handed over: she gives it back (recorded here).
            source.refund(
                min(amount, source.amount_available_for_refund),
                reference=seller_order.number,
                status="returned by the booth",
            )
        else:
            # Never handed over: the promise is released.
            source.amount_allocated = Decimal(0)
            source.save()
            source.transactions.create(
                txn_type="Refund",
                amount=Decimal(0),
                reference=seller_order.number,
                status="released",
            )
        return None


class PayOnDelivery(CashGateway):
    code = "cod"
    label = "پرداخت هنگام تحویل"
    help_text = "مبلغ را هنگام تحویل به پیک یا مأمور پست می‌پردازید."
    delivery_kinds = frozenset({"courier", "post"})


class PayAtPickup(CashGateway):
    code = "pickup"
    label = "پرداخت هنگام تحویل حضوری"
    help_text = "مبلغ را هنگام گرفتن سفارش از غرفه‌دار می‌پردازید."
    delivery_kinds = frozenset({"centre_pickup", "bazaar_pickup"})


#: The card gateway's code (orders.stripe_gateway.StripeGateway).
CARD = "card"
#: The cash method that takes over a card part when the buyer switches.
CASH_FOR_KIND = {"courier": "cod", "post": "cod", "centre_pickup": "pickup"}

DEFAULT_GATEWAYS = [
    "orders.payments.PayOnDelivery",
    "orders.payments.PayAtPickup",
]


def gateways() -> list[PaymentGateway]:
    """The gateways on offer, in the order of `ORDER_PAYMENT_GATEWAYS`."""
    paths = getattr(settings, "ORDER_PAYMENT_GATEWAYS", DEFAULT_GATEWAYS)
    return [import_string(path)() for path in paths]


def gateway_for(code: str) -> PaymentGateway:
    for gateway in gateways():
        if gateway.code == code:
            return gateway
    raise LookupError(code)


def gateways_for(delivery_kind: str) -> list[PaymentGateway]:
    return [g for g in gateways() if g.supports(delivery_kind)]
