"""Staff order pages (/staff/orders/): parts that need a look (overdue, declined,
expired) and card payments that came for the wrong amount or currency, cancelling a part (from that page or the dashboard's order page), and
the ledger: who is owed what (or owes), payout batches and collection lists
(frozen; CSV and Excel; each line marked paid or received once, for exactly its
amount: `orders.payouts`); the exchange rate of card payments.

Open to staff with `order.change_order` (`orders.permissions.can_manage_orders`);
anyone else gets a 404. Pages are never cached."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..card import exchange_rate_current, exchange_rate_set
from ..forms import ExchangeRateForm
from ..ledger import ledger_balances
from ..models import (
    CardPayment,
    ExchangeRate,
    PayoutBatch,
    PayoutBatchLine,
    SellerOrder,
    StripeIncident,
)
from ..payouts import (
    collection_record,
    payout_batch_create,
    payout_batch_csv,
    payout_batch_line_settle,
    payout_batch_status,
    payout_batch_xlsx,
    payout_batches_with_status,
    payout_open_balances,
)
from ..permissions import can_manage_orders
from ..refunds import card_refunds_stuck
from ..services import STAFF, seller_order_transition, transitions_for

S = SellerOrder.Status


def _staff(request):
    if not can_manage_orders(request.user):
        raise Http404


@never_cache
def attention_view(request):
    """Parts past their acceptance deadline still waiting, parts declined or
    cancelled for lateness in the last 30 days, card payments Stripe
    reported for another amount or currency (`CardPayment.Status.MISMATCH`),
    card refunds pending for over an hour or failed
    (`orders.refunds.card_refunds_stuck`), and what Stripe reported that we did
    not do in the last 30 days: refunds made in its dashboard and disputes
    (`StripeIncident`, `orders.stripe_incidents`)."""
    _staff(request)
    now = timezone.now()
    since = now - dt.timedelta(days=30)
    parts = (
        SellerOrder.objects.filter(
            Q(status=S.NEW, accept_deadline__lte=now)
            | Q(
                status=S.CANCELLED,
                cancelled_by__in=["seller", "system"],
                cancelled_at__gte=since,
            )
        )
        .select_related("seller", "order")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(parts, 50).get_page(request.GET.get("page"))
    for part in page:
        part.staff_can_cancel = "staff_cancel" in transitions_for(part, STAFF)
    mismatches = (
        CardPayment.objects.filter(status=CardPayment.Status.MISMATCH)
        .select_related("order")
        .order_by("-created_at", "-pk")[:50]
    )
    return render(
        request,
        "orders/staff/attention.html",
        {
            "page_obj": page,
            "now": now,
            "mismatches": mismatches,
            "stuck_refunds": card_refunds_stuck(now=now)[:50],
            "incidents": StripeIncident.objects.filter(created_at__gte=since)
            .select_related("payment__order")
            .order_by("-created_at", "-pk")[:50],
        },
    )


@never_cache
def ledger_view(request):
    """The payable list (positive open amounts) and the collection list
    (negative ones), each with a button that freezes it into a batch; recent
    batches; every booth's balance."""
    _staff(request)
    payable, collect = payout_open_balances()
    page = Paginator(ledger_balances(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/staff/ledger.html",
        {
            "page_obj": page,
            "payable": payable,
            "collect": collect,
            "batches": payout_batches_with_status()[:20],
            "Kind": PayoutBatch.Kind,
        },
    )


@never_cache
@require_POST
def payout_batch_create_view(request):
    _staff(request)
    kind = request.POST.get("kind", "")
    if kind not in PayoutBatch.Kind.values:
        return HttpResponseBadRequest("نوع فهرست نامعتبر است.")
    batch = payout_batch_create(kind=kind, actor=request.user)
    if batch is None:
        messages.info(request, "چیزی برای این فهرست نیست.")
        return redirect("orders_staff:ledger")
    messages.success(request, "فهرست ساخته شد؛ مبلغ‌هایش دیگر تغییر نمی‌کند.")
    return redirect("orders_staff:payout_batch", batch_id=batch.pk)


def _batch(batch_id: int) -> PayoutBatch:
    return get_object_or_404(payout_batches_with_status(), pk=batch_id)


@never_cache
def payout_batch_view(request, batch_id: int):
    """One frozen batch: its lines, who settled each and when, its status."""
    _staff(request)
    batch = _batch(batch_id)
    lines = batch.lines.select_related("settlement", "settlement__created_by").order_by(
        "brand_name", "pk"
    )
    page = Paginator(lines, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/staff/payout_batch.html",
        {
            "batch": batch,
            "status": payout_batch_status(batch),
            "page_obj": page,
            "Kind": PayoutBatch.Kind,
        },
    )


@never_cache
@require_POST
def payout_line_settle_view(request, batch_id: int, line_id: int):
    """Mark one line paid (a payout batch) or received (a collection list):
    exactly the line's amount, once."""
    _staff(request)
    line = get_object_or_404(
        PayoutBatchLine.objects.select_related("batch"), pk=line_id, batch_id=batch_id
    )
    if not request.POST.get("confirm"):
        messages.error(request, "برای ثبت، تیک «مطمئنم» را بزنید.")
        return redirect("orders_staff:payout_batch", batch_id=batch_id)
    settle = (
        payout_batch_line_settle
        if line.batch.kind == PayoutBatch.Kind.PAYOUT
        else collection_record
    )
    entry = settle(line=line, actor=request.user, note=request.POST.get("note", ""))
    if entry is None:
        messages.info(request, f"«{line.brand_name}» پیش‌تر ثبت شده بود.")
    else:
        messages.success(request, f"«{line.brand_name}» ثبت شد.")
    return redirect("orders_staff:payout_batch", batch_id=batch_id)


def _download(content, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
def payout_batch_csv_view(request, batch_id: int):
    _staff(request)
    batch = _batch(batch_id)
    # The BOM makes Excel read the UTF-8 Persian names correctly.
    return _download(
        "\ufeff" + payout_batch_csv(batch),
        content_type="text/csv; charset=utf-8",
        filename=f"{batch.kind}-batch-{batch.pk}.csv",
    )


@never_cache
def payout_batch_xlsx_view(request, batch_id: int):
    _staff(request)
    batch = _batch(batch_id)
    return _download(
        payout_batch_xlsx(batch),
        content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
        filename=f"{batch.kind}-batch-{batch.pk}.xlsx",
    )


@never_cache
def exchange_rate_view(request):
    """The card payments' exchange rate: the one in force, its history, and a
    form to set a new one (toman per unit of STRIPE_CURRENCY, with its Jalali
    date). Old rates are kept: every order keeps the rate it was charged at."""
    _staff(request)
    form = ExchangeRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        exchange_rate_set(
            rials_per_unit=Decimal(form.cleaned_data["toman"]),  # rials
            effective_on=form.cleaned_data["effective_on"],
            actor=request.user,
        )
        messages.success(request, "نرخ تازه ثبت شد و از همین حالا به کار می‌رود.")
        return redirect("orders_staff:exchange_rate")
    rates = ExchangeRate.objects.select_related("set_by").order_by(
        "-created_at", "-pk"
    )[:20]
    return render(
        request,
        "orders/staff/exchange_rate.html",
        {
            "form": form,
            "rates": rates,
            "current": exchange_rate_current(),
            "currency": settings.STRIPE_CURRENCY.upper(),
        },
    )


@never_cache
@require_POST
def part_cancel_view(request, part_id: int):
    """Cancel one booth's part with a reason (the rules, the stock, the ledger and
    who is told are `seller_order_transition`'s); back to where staff came from."""
    _staff(request)
    part = get_object_or_404(SellerOrder, pk=part_id)
    back = request.POST.get("next", "")
    # Only a path of ours: `redirect()` reads anything else as a URL name
    # (NoReverseMatch, a 500, for `next=-1`).
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    try:
        seller_order_transition(
            seller_order=part,
            action="staff_cancel",
            party=STAFF,
            actor=request.user,
            note=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"بخش {part.number} لغو شد. خریدار و غرفه باخبر شدند."
        )
    return redirect(back or "orders_staff:attention")
