"""Staff order pages (/staff/orders/): parts that need a look (overdue, declined,
expired) and card payments that came for the wrong amount or currency, cancelling a part (from that page or the dashboard's order page), and
the ledger: who is owed what (or owes), the payout list as CSV, marking a payout
paid (a ledger entry and an audit record); the exchange rate of card payments.

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
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from marketplace.exports import csv_writer
from marketplace.persian import format_jalali_numeric, toman_to_rials
from sellers.models import Seller

from ..card import exchange_rate_current, exchange_rate_set
from ..forms import ExchangeRateForm
from ..ledger import ledger_balances, ledger_payout
from ..models import CardPayment, ExchangeRate, SellerOrder
from ..permissions import can_manage_orders
from ..services import STAFF, seller_order_transition, transitions_for

S = SellerOrder.Status


def _staff(request):
    if not can_manage_orders(request.user):
        raise Http404


@never_cache
def attention_view(request):
    """Parts past their acceptance deadline still waiting, parts declined or
    cancelled for lateness in the last 30 days, and card payments Stripe
    reported for another amount or currency (`CardPayment.Status.MISMATCH`)."""
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
        {"page_obj": page, "now": now, "mismatches": mismatches},
    )


@never_cache
def ledger_view(request):
    _staff(request)
    page = Paginator(ledger_balances(), 50).get_page(request.GET.get("page"))
    return render(request, "orders/staff/ledger.html", {"page_obj": page})


@never_cache
def payouts_csv_view(request):
    """Every booth with a settled balance: who gets paid (positive) or owes
    (negative), with her account holder and Sheba for the bank transfer."""
    _staff(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="payouts.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 Persian text correctly
    writer = csv_writer(response)  # booth names and holders are hers to type
    writer.writerow(
        [
            "seller_id",
            "booth",
            "payable_rials",
            "balance_rials",
            "account_holder",
            "sheba",
            "date",
        ]
    )
    today = format_jalali_numeric(timezone.localdate())
    for seller in ledger_balances():
        if not seller.payable:
            continue
        writer.writerow(
            [
                seller.pk,
                seller.brand_name,
                int(seller.payable),
                int(seller.balance),
                seller.payout_account_holder,
                seller.payout_sheba,
                today,
            ]
        )
    return response


@never_cache
@require_POST
def payout_view(request, seller_id: int):
    _staff(request)
    seller = get_object_or_404(Seller, pk=seller_id)
    entry = ledger_payout(
        seller=seller, actor=request.user, note=request.POST.get("note", "")[:200]
    )
    if entry is None:
        messages.info(request, f"حساب «{seller.brand_name}» تسویه‌ای ندارد.")
    else:
        messages.success(request, f"تسویهٔ «{seller.brand_name}» ثبت شد.")
    return redirect("orders_staff:ledger")


@never_cache
def exchange_rate_view(request):
    """The card payments' exchange rate: the one in force, its history, and a
    form to set a new one (toman per unit of STRIPE_CURRENCY, with its Jalali
    date). Old rates are kept: every order keeps the rate it was charged at."""
    _staff(request)
    form = ExchangeRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        exchange_rate_set(
            rials_per_unit=Decimal(toman_to_rials(form.cleaned_data["toman"])),
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
    if not url_has_allowed_host_and_scheme(
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
