"""Payout batches and collection lists: staff settle exactly what was sent.

Rules:
- What is open for a booth is the sum of her settled ledger entries (entries of
  delivered or cancelled parts, stall sales, payouts made before batches
  existed) that no batch covers yet. Entries that settle a batch line are never
  open: they are the settlement.
- `payout_batch_create` freezes the open amounts into a batch: a payout batch
  takes every booth whose open amount is positive (the platform owes her) and
  who has a Sheba to transfer to; a collection list takes every booth whose
  open amount is negative (she holds the buyers' cash and owes the
  commission). A booth never owes and is owed in the same list, so a negative
  amount is never in a payout batch (nor in its CSV or Excel). Each line keeps
  the amount, the booth name, the account holder and the Sheba as they were,
  and covers the entries it counted (`PayoutCoverage`, one-to-one with the
  entry: an entry is covered once, so a later batch takes only what came
  after or was settled after).
- Settling a line (`payout_batch_line_settle` for a payout, `collection_record`
  for a collection) writes one ledger entry of exactly minus the line's amount,
  linked to the line, whatever her balance is by then. The line's row is
  locked and the link is one-to-one, so a second click settles nothing.
- A batch is never edited: its status is derived (open while a line is not
  settled, then settled). Who made it and who settled each line, and when, are
  the batch's `created_by`/`created_at` and the settling entry's.
- Invariant: the payouts and collections of a booth sum to minus what her
  batch lines froze, and each line's amount is the sum of the entries it
  covers: nothing is settled that was not sent.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum

from marketplace.exports import csv_writer, excel_safe
from marketplace.persian import format_jalali_numeric, to_latin_digits

from .ledger import SETTLED
from .models import LedgerEntry, PayoutBatch, PayoutBatchLine, PayoutCoverage

K = LedgerEntry.Kind
B = PayoutBatch.Kind

AMOUNT_UNIT = "rials"  # every exported amount; named in the header


def _open_entries():
    """Settled entries no batch covers yet and that settle no line."""
    return LedgerEntry.objects.filter(SETTLED).filter(
        payout_coverage__isnull=True, payout_line__isnull=True
    )


@dataclass(frozen=True)
class OpenBalance:
    seller: object
    amount: Decimal


def payout_open_balances() -> tuple[list[OpenBalance], list[OpenBalance]]:
    """(payable, to collect): booths whose open amount is positive, and those
    whose open amount is negative, by booth name. Two queries."""
    from sellers.models import Seller

    totals = {
        row["seller_id"]: row["total"]
        for row in _open_entries().values("seller_id").annotate(total=Sum("amount"))
        if row["total"]
    }
    sellers = Seller.objects.filter(pk__in=totals).order_by("brand_name", "pk")
    payable, collect = [], []
    for seller in sellers:
        amount = totals[seller.pk]
        (payable if amount > 0 else collect).append(OpenBalance(seller, amount))
    return payable, collect


def payout_batch_create(*, kind: str, actor) -> PayoutBatch | None:
    """Freeze the open amounts into a batch of `kind` (see the module): a payout
    batch of the positive ones (booths with a Sheba), a collection list of the
    negative ones, each line covering the entries it counted. Nothing to put
    in it → None. The booths' rows are locked, so two clicks at once cannot
    cover the same entries twice (the second finds them covered)."""
    from sellers.models import Seller

    if kind not in B.values:
        raise ValidationError("Unknown batch kind.")
    with transaction.atomic():
        seller_ids = sorted(set(_open_entries().values_list("seller_id", flat=True)))
        sellers = {
            s.pk: s
            for s in Seller.objects.select_for_update()
            .filter(pk__in=seller_ids)
            .order_by("pk")
        }
        # Read after the locks: the amounts and the coverage come from this one
        # read, so a part delivered meanwhile is in both or in neither.
        by_seller: dict[int, list[tuple[int, Decimal]]] = {}
        for pk, seller_id, amount in _open_entries().values_list(
            "pk", "seller_id", "amount"
        ):
            by_seller.setdefault(seller_id, []).append((pk, amount))
        chosen = []
        for seller_id, entries in sorted(by_seller.items()):
            total = sum((amount for _, amount in entries), Decimal(0))
            seller = sellers.get(seller_id)
            if seller is None:
                continue
            if kind == B.PAYOUT and total > 0 and seller.payout_sheba:
                chosen.append((seller, total, entries))
            elif kind == B.COLLECTION and total < 0:
                chosen.append((seller, total, entries))
        if not chosen:
            return None
        batch = PayoutBatch.objects.create(kind=kind, created_by=actor)
        lines = PayoutBatchLine.objects.bulk_create(
            [
                PayoutBatchLine(
                    batch=batch,
                    seller=seller,
                    amount=total,
                    brand_name=seller.brand_name,
                    account_holder=seller.payout_account_holder,
                    sheba=seller.payout_sheba,
                )
                for seller, total, _ in chosen
            ]
        )
        PayoutCoverage.objects.bulk_create(
            [
                PayoutCoverage(line=line, entry_id=entry_id)
                for line, (_, _, entries) in zip(lines, chosen, strict=True)
                for entry_id, _ in entries
            ]
        )
    return batch


def _line_settle(*, line: PayoutBatchLine, kind: str, actor, note: str):
    from sellers import audit

    with transaction.atomic():
        locked = (
            PayoutBatchLine.objects.select_for_update()
            .select_related("batch", "seller")
            .get(pk=line.pk)
        )
        if locked.batch.kind != kind:
            raise ValidationError("This line belongs to another kind of list.")
        if LedgerEntry.objects.filter(payout_line=locked).exists():
            return None
        entry = LedgerEntry(
            seller=locked.seller,
            kind=K.PAYOUT if kind == B.PAYOUT else K.COLLECTION,
            amount=-locked.amount,
            gross=-locked.amount,
            note=note[:255],
            payout_line=locked,
            created_by=actor,
        )
        entry.save()
        audit.record(
            seller=locked.seller,
            actor=actor,
            action="payout_paid" if kind == B.PAYOUT else "collection_received",
            reason=(
                f"{abs(locked.amount)} rials, batch {locked.batch_id} "
                f"(ledger entry {entry.pk}). {note}"
            ).strip()[:1000],
        )
    return entry


def payout_batch_line_settle(
    *, line: PayoutBatchLine, actor, note: str = ""
) -> LedgerEntry | None:
    """Staff transferred this payout line: a payout entry of exactly minus the
    line's amount, linked to the line, whatever her balance is now; an audit
    record. Already settled → None (the line's row is locked, so two clicks
    settle once)."""
    return _line_settle(line=line, kind=B.PAYOUT, actor=actor, note=note)


def collection_record(
    *, line: PayoutBatchLine, actor, note: str = ""
) -> LedgerEntry | None:
    """Staff received what a collection line lists: a collection entry of
    exactly minus the line's (negative) amount, linked to the line; an audit
    record. Already received → None (row lock, as for a payout)."""
    return _line_settle(line=line, kind=B.COLLECTION, actor=actor, note=note)


def payout_batches_with_status():
    """Batches with their line count, settled count and total, newest first."""
    return PayoutBatch.objects.select_related("created_by").annotate(
        line_count=Count("lines", distinct=True),
        settled_count=Count("lines", filter=Q(lines__settlement__isnull=False)),
        total=Sum("lines__amount"),
    )


def payout_batch_status(batch) -> str:
    """ "settled" once every line is settled, else "open"."""
    return "settled" if batch.settled_count == batch.line_count else "open"


# --- exports ---------------------------------------------------------------------

EXPORT_HEADER = [
    "batch_id",
    "line_id",
    "seller_id",
    "booth",
    f"amount_{AMOUNT_UNIT}",
    "account_holder",
    "sheba",
]


def _export_rows(batch):
    for line in batch.lines.order_by("brand_name", "pk"):
        yield [
            batch.pk,
            line.pk,
            line.seller_id,
            line.brand_name,
            int(line.amount),
            line.account_holder,
            line.sheba,
        ]


def _batch_date(batch) -> str:
    """The Jalali date in Latin digits: exports are for machines too."""
    return to_latin_digits(format_jalali_numeric(batch.created_at))


def payout_batch_csv(batch) -> str:
    """The batch as CSV: one header row, then one row per booth; amounts are
    whole rials in Latin digits; every cell spreadsheet-safe."""
    out = io.StringIO()
    writer = csv_writer(out, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(EXPORT_HEADER)
    writer.writerows(_export_rows(batch))
    return out.getvalue()


def payout_batch_xlsx(batch) -> bytes:
    """The batch as an Excel workbook for the finance office: the batch id,
    kind, date and unit on the first rows, then a header row (frozen, with a
    filter) and one row per booth; amounts are numbers formatted with
    thousands separators; every text cell spreadsheet-safe."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"batch-{batch.pk}"
    sheet.sheet_view.rightToLeft = True
    info = [
        ["batch_id", batch.pk],
        ["kind", batch.kind],
        ["created (Jalali)", _batch_date(batch)],
        ["created (UTC)", batch.created_at.strftime("%Y-%m-%d %H:%M")],
        ["amounts in", AMOUNT_UNIT],
    ]
    for row in info:
        sheet.append([excel_safe(value) for value in row])
    sheet.append([])
    sheet.append([excel_safe(value) for value in EXPORT_HEADER])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    amount_column = EXPORT_HEADER.index(f"amount_{AMOUNT_UNIT}") + 1
    for row in _export_rows(batch):
        sheet.append([excel_safe(value) for value in row])
        sheet.cell(row=sheet.max_row, column=amount_column).number_format = "#,##0"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{sheet.cell(row=sheet.max_row, column=len(EXPORT_HEADER)).coordinate}"
    for letter, width in zip("ABCDEFG", (10, 10, 10, 30, 16, 30, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EXPORT_HEADER_ROW = 7  # where the header row lands in the workbook (tests, docs)
