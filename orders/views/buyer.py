"""The buyer's side: her order history, an order's page (each booth's part with
its timeline), cancelling a part before acceptance, confirming delivery, her
saved addresses. Guests reach their order through the signed link in their SMS.
Another buyer's order, or a tampered link, is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..models import BuyerAddress
from ..notifications import buyer_link_token, order_from_token
from ..selectors import order_for_buyer, order_history, order_with_parts
from ..services import BUYER, seller_order_transition, transitions_for

BUYER_ACTIONS = {"cancel", "deliver"}
DONE = {
    "cancel": "این بخش از سفارش لغو شد.",
    "deliver": "دریافت سفارش ثبت شد. سپاس!",
}


def _render_order(request, order, *, token: str = ""):
    parts = list(order.seller_orders.all())
    for part in parts:
        part.buyer_actions = [
            a for a in transitions_for(part, BUYER) if a in BUYER_ACTIONS
        ]
    awaiting = any(p.status == p.Status.AWAITING_PAYMENT for p in parts)
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "parts": parts,
            "token": token,
            # her way back to the card payment page while parts wait for it
            "pay_token": buyer_link_token(order) if awaiting else "",
        },
    )


@login_required
def history_view(request):
    page = Paginator(order_history(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "orders/history.html", {"page_obj": page})


@login_required
def detail_view(request, number: str):
    order = order_for_buyer(number=number, user=request.user)
    if order is None:
        raise Http404
    return _render_order(request, order)


def track_view(request, token: str):
    """A guest's (or anyone's) signed link to one order."""
    order = order_from_token(token)
    if order is None:
        raise Http404
    return _render_order(request, order_with_parts(order.pk), token=token)


def _act(request, order, part_id: int, action: str):
    if action not in BUYER_ACTIONS:
        raise Http404
    part = next((p for p in order.seller_orders.all() if p.pk == part_id), None)
    if part is None:
        raise Http404
    try:
        seller_order_transition(
            seller_order=part,
            action=action,
            party=BUYER,
            actor=request.user if request.user.is_authenticated else None,
        )
    except (PermissionDenied, ValidationError) as error:
        text = " ".join(getattr(error, "messages", [])) or "این کار ممکن نیست."
        messages.error(request, text)
    else:
        messages.success(request, DONE[action])


@login_required
@require_POST
def part_action_view(request, number: str, part_id: int, action: str):
    order = order_for_buyer(number=number, user=request.user)
    if order is None:
        raise Http404
    _act(request, order, part_id, action)
    return redirect("orders:detail", number=order.number)


@require_POST
def track_action_view(request, token: str, part_id: int, action: str):
    order = order_from_token(token)
    if order is None:
        raise Http404
    _act(request, order_with_parts(order.pk), part_id, action)
    return redirect("orders:track", token=buyer_link_token(order))


@login_required
def addresses_view(request):
    addresses = BuyerAddress.objects.filter(user=request.user).select_related(
        "province"
    )
    return render(request, "orders/addresses.html", {"addresses": addresses})


@login_required
@require_POST
def address_delete_view(request, address_id: int):
    deleted, _ = BuyerAddress.objects.filter(user=request.user, pk=address_id).delete()
    if not deleted:
        raise Http404
    messages.success(request, "نشانی حذف شد.")
    return redirect("orders:addresses")
