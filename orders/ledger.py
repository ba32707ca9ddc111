"""The sellers' ledger: append-only entries (`LedgerEntry`), their balances, payouts.

Rules:
- At placement each seller order writes a sale, its delivery fee (if any) and the
  platform's commission. Where she holds the cash (`seller_holds_cash`), the sale
  and fee are recorded for the record with amount 0; the commission is what she
  owes (a negative amount). Where the platform holds the money, the sale and fee
  are owed to her.
- Commission = each line's price × the rate frozen on the line (the programme's
  rate, else `ORDER_COMMISSION_RATE`; 0 is allowed), rounded to whole rials.
- A sale at a bazaar stall (`StallSale`) writes a sale (amount 0: she took the
  cash) and the commission she owes, at the rate frozen on the sale; it has no
  seller order, so it is settled (payable) at once.
- Cancelling a part writes one reversal per entry of the part: it nets to zero.
- Her balance is the sum of her entries; payable is the part settled (entries of
  delivered or cancelled parts, stall sales, payouts and collections). Staff pay
  and collect through frozen batches (`orders.payouts`): a payout or collection
  entry settles exactly a batch line, never "whatever is payable now".
- Card refunds: a part's cancellation reverses its entries at once (the
  reversals carry the outbox refund's key, `orders.refunds`); the money goes
  back to the card after commit.
- Money that moved at Stripe outside our flows (`orders.stripe_incidents`): a
  refund made in Stripe's dashboard (`ext_refund`) or a dispute opened on the
  charge (`dispute`) writes a **flag** on each booth part the charge paid:
  amount 0 and gross 0, `payment_reference` = Stripe's id (re_…, dp_…). It
  moves no balance, because it is the platform's Stripe balance that changed,
  not yet what the booth is owed: staff decide, and their decision is written
  the ordinary way (cancelling the part reverses its entries; a dispute the
  platform absorbs writes nothing more). The amount, in the card currency, is
  on the `StripeIncident` row the staff attention page lists. An append-only
  ledger cannot take back a flag; a dispute won or lost is a new incident.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q, Sum

from .models import LedgerEntry, SellerOrder

K = LedgerEntry.Kind
#: Entries that record, move nothing, and are never reversed (Stripe incidents).
FLAGS = (K.EXTERNAL_REFUND, K.DISPUTE)
SETTLED = Q(seller_order__isnull=True) | Q(
    seller_order__status__in=[
        SellerOrder.Status.DELIVERED,
        SellerOrder.Status.CANCELLED,
    ]
)


def commission_rate_for(seller) -> Decimal:
    """The programme's rate when set, else the platform default."""
    programme = seller.programme
    if programme is not None and programme.commission_rate is not None:
        return programme.commission_rate
    return Decimal(str(getattr(settings, "ORDER_COMMISSION_RATE", "0")))


def _whole(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def ledger_entries_for_placement(
    seller_order: SellerOrder, lines, *, payment_reference: str = ""
) -> list[LedgerEntry]:
    """Sale, delivery fee and commission of a new seller order (unsaved: the
    placement writes every part's entries in one insert). A card part's are
    written when Stripe confirms it, with the charge id (`payment_reference`)."""
    cash = seller_order.seller_holds_cash
    commission = sum(
        (_whole(line.line_price_incl_tax * line.commission_rate) for line in lines),
        Decimal(0),
    )
    entries = [
        LedgerEntry(
            seller_id=seller_order.seller_id,
            seller_order=seller_order,
            kind=K.SALE,
            gross=seller_order.subtotal,
            amount=Decimal(0) if cash else seller_order.subtotal,
            cash_held_by_seller=cash,
            payment_reference=payment_reference,
        )
    ]
    if seller_order.delivery_fee:
        entries.append(
            LedgerEntry(
                seller_id=seller_order.seller_id,
                seller_order=seller_order,
                kind=K.DELIVERY_FEE,
                gross=seller_order.delivery_fee,
                amount=Decimal(0) if cash else seller_order.delivery_fee,
                cash_held_by_seller=cash,
                payment_reference=payment_reference,
            )
        )
    entries.append(
        LedgerEntry(
            seller_id=seller_order.seller_id,
            seller_order=seller_order,
            kind=K.COMMISSION,
            gross=commission,
            amount=-commission,
            cash_held_by_seller=cash,
            payment_reference=payment_reference,
        )
    )
    return entries


def ledger_record_placement(seller_order: SellerOrder, lines) -> list[LedgerEntry]:
    """Sale, delivery fee and commission of a new seller order, written."""
    return LedgerEntry.objects.bulk_create(
        ledger_entries_for_placement(seller_order, lines)
    )


def ledger_record_stall_sale(sale, *, note: str = "") -> list[LedgerEntry]:
    """A stall sale's two entries: the sale, for the record (she holds the cash),
    and the commission she owes (the sale's frozen rate, whole rials)."""
    commission = _whole(sale.total * sale.commission_rate)
    common = {
        "seller_id": sale.seller_id,
        "stall_sale": sale,
        "cash_held_by_seller": True,
        "note": note[:255],
        "created_by": sale.created_by,
        "created_at": sale.created_at,
    }
    return LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(kind=K.SALE, gross=sale.total, amount=Decimal(0), **common),
            LedgerEntry(
                kind=K.COMMISSION, gross=commission, amount=-commission, **common
            ),
        ]
    )


def ledger_reverse(
    seller_order: SellerOrder,
    *,
    actor=None,
    note: str = "",
    payment_reference: str = "",
) -> None:
    """One reversal per entry of the part not yet reversed: the part nets to zero.
    `payment_reference`: the card refund's key (`CardRefund`, orders.refunds)."""
    open_entries = LedgerEntry.objects.filter(
        seller_order=seller_order, reverses__isnull=True, reversed_by__isnull=True
    ).exclude(kind__in=[K.REVERSAL, *FLAGS])
    for entry in open_entries:
        LedgerEntry(
            seller_id=entry.seller_id,
            seller_order=seller_order,
            kind=K.REVERSAL,
            gross=-entry.gross,
            amount=-entry.amount,
            cash_held_by_seller=entry.cash_held_by_seller,
            reverses=entry,
            note=note or entry.get_kind_display(),
            payment_reference=payment_reference,
            created_by=actor,
        ).save()


def ledger_flag_card_incident(incident) -> list[LedgerEntry]:
    """A `StripeIncident`'s flags: one entry of its kind, amount 0, on each
    part whose sale the incident's charge paid (see the module's rules)."""
    payment = incident.payment
    if not payment.charge_id:
        return []
    kind = {"ext_refund": K.EXTERNAL_REFUND, "dispute": K.DISPUTE}[incident.kind]
    sales = (
        LedgerEntry.objects.filter(
            kind=K.SALE,
            payment_reference=payment.charge_id,
            seller_order__order_id=payment.order_id,
        )
        .select_related("seller_order")
        .order_by("pk")
    )
    amount = f"{incident.amount_minor // 100}.{incident.amount_minor % 100:02d}"
    return LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                seller_id=sale.seller_id,
                seller_order=sale.seller_order,
                kind=kind,
                gross=Decimal(0),
                amount=Decimal(0),
                payment_reference=incident.stripe_id[:64],
                note=f"Stripe {amount} {incident.currency.upper()}"[:255],
            )
            for sale in sales
        ]
    )


def ledger_balance(seller) -> Decimal:
    """The sum of all her entries (positive: the platform owes her)."""
    total = LedgerEntry.objects.filter(seller=seller).aggregate(s=Sum("amount"))["s"]
    return total or Decimal(0)


def ledger_payable(seller) -> Decimal:
    total = (
        LedgerEntry.objects.filter(seller=seller)
        .filter(SETTLED)
        .aggregate(s=Sum("amount"))["s"]
    )
    return total or Decimal(0)


def ledger_balances():
    """Every booth with entries: balance and payable, for the staff page and CSV.
    One query."""
    from sellers.models import Seller

    return (
        Seller.objects.filter(ledger_entries__isnull=False)
        .annotate(
            balance=Sum("ledger_entries__amount"),
            payable=Sum("ledger_entries__amount", filter=_settled_for_seller()),
        )
        .order_by("brand_name")
        .distinct()
    )


def _settled_for_seller() -> Q:
    return Q(ledger_entries__seller_order__isnull=True) | Q(
        ledger_entries__seller_order__status__in=[
            SellerOrder.Status.DELIVERED,
            SellerOrder.Status.CANCELLED,
        ]
    )
