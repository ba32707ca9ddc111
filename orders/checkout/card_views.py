"""The card payment page (Stripe's Payment Element), the page Stripe sends her
back to, and her switch to paying on delivery. Thin: the rules are in
`orders.card`.

The order is confirmed by Stripe's webhook only: the return page reads what the
webhook wrote and waits for it; it never marks anything paid itself.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..card import (
    CardPaymentError,
    card_payment_start,
    card_payment_switch_to_cash,
    minor_display,
    order_awaits_card_payment,
)
from ..models import CardPayment, Order
from ..notifications import order_from_token
from ..payments import CASH_FOR_KIND, gateway_for
from .csp import stripe_csp
from .views import STATE, _state, state_mark_placed


def _placed_order(request) -> Order | None:
    number = _state(request).get("placed")
    if not number:
        return None
    return Order.objects.filter(number=number).first()


@never_cache
@stripe_csp
def card_view(request: HttpRequest) -> HttpResponse:
    """Pay the order's card parts with the Payment Element. If Stripe.js does
    not load (or Stripe is down), the page says so and offers paying on
    delivery instead."""
    order = _placed_order(request)
    if order is None:
        return redirect("basket:summary")
    if not order_awaits_card_payment(order):
        return redirect("checkout:thank-you")
    error = ""
    start = None
    try:
        start = card_payment_start(order=order)
    except CardPaymentError as exc:
        error = exc.message
    parts = list(
        order.seller_orders.filter(status="awaiting_payment")
        .select_related("seller")
        .order_by("pk")
    )
    cash_labels = sorted(
        {gateway_for(CASH_FOR_KIND[p.delivery_kind]).label for p in parts}
    )
    payment = start.payment if start else None
    return render(
        request,
        "orders/checkout/card.html",
        {
            "order": order,
            "parts": parts,
            "payment": payment,
            "client_secret": start.client_secret if start else "",
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "stripe_js_url": settings.STRIPE_JS_URL,
            "return_url": request.build_absolute_uri(reverse("checkout:card-return")),
            "error": error,
            "failed": payment is not None
            and payment.status == CardPayment.Status.FAILED,
            "cash_labels": cash_labels,
            "card_amount": minor_display(payment.amount_minor) if payment else "",
        },
    )


@never_cache
def card_return_view(request: HttpRequest) -> HttpResponse:
    """Where Stripe sends her after the card step. Only the webhook confirms:
    paid → thank-you; not yet → a page that looks again in a few seconds."""
    order = _placed_order(request)
    if order is None:
        return redirect("basket:summary")
    if not order_awaits_card_payment(order):
        return redirect("checkout:thank-you")
    payment = CardPayment.objects.filter(order=order).first()
    failed = request.GET.get("redirect_status") == "failed" or (
        payment is not None and payment.status == CardPayment.Status.FAILED
    )
    if failed:
        messages.error(
            request,
            "پرداخت انجام نشد. دوباره امتحان کنید یا روش پرداخت دیگری برگزینید.",
        )
        return redirect("checkout:card")
    return render(request, "orders/checkout/card_wait.html", {"order": order})


@never_cache
@require_POST
def card_switch_view(request: HttpRequest) -> HttpResponse:
    """She pays on delivery (or at pickup) instead of by card."""
    order = _placed_order(request)
    if order is None:
        return redirect("basket:summary")
    card_payment_switch_to_cash(
        order=order, actor=request.user if request.user.is_authenticated else None
    )
    state = _state(request)
    request.session[STATE] = state
    return redirect("checkout:thank-you")


@never_cache
def card_resume_view(request: HttpRequest, token: str) -> HttpResponse:
    """Back to paying an order later (from her order page or its link): the
    signed buyer link names the order; a tampered one is a 404."""
    order = order_from_token(token)
    if order is None:
        raise Http404
    state_mark_placed(request, order, token, keep_progress=True)
    return redirect("checkout:card")
