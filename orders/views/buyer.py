"""The buyer's side: her order history, an order's page (each booth's part with
its timeline), cancelling a part before acceptance, confirming delivery, her
saved addresses. Guests reach their order through the signed link in their SMS;
they can withdraw it and ask for it again by SMS. Another buyer's order, or a
tampered, withdrawn or expired link, is a 404 (a Persian page saying how to get
a new link, and nothing of the order)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.accounts.ip import client_ip
from marketplace.accounts.services import (
    FORM_TOKEN_FIELD,
    OtpRateLimited,
    otp_form_token,
)

from ..forms import LinkResendForm
from ..models import BuyerAddress
from ..notifications import (
    buyer_link_token,
    order_from_token,
    order_link_resend,
    order_link_revoke,
)
from ..reviews.services import reviewable_line_ids
from ..selectors import (
    order_amounts,
    order_for_buyer,
    order_history,
    order_with_parts,
)
from ..services import BUYER, seller_order_transition, transitions_for

BUYER_ACTIONS = {"cancel", "deliver"}
DONE = {
    "cancel": "این بخش از سفارش لغو شد.",
    "deliver": "دریافت سفارش ثبت شد. سپاس!",
}


def _render_order(request, order, *, token: str = ""):
    amounts = order_amounts(order)
    parts = [money.part for money in amounts.parts]
    for money in amounts.parts:
        money.part.money = money
        money.part.buyer_actions = [
            a for a in transitions_for(money.part, BUYER) if a in BUYER_ACTIONS
        ]
    awaiting = any(p.status == p.Status.AWAITING_PAYMENT for p in parts)
    # the review links of delivered parts (her own page, not a signed link's)
    reviewable = set() if token else reviewable_line_ids(user=request.user, parts=parts)
    for part in parts:
        part.reviewable = reviewable
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "parts": parts,
            "amounts": amounts,
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
    for order in page:
        order.amounts = order_amounts(order)
    return render(request, "orders/history.html", {"page_obj": page})


@login_required
def detail_view(request, number: str):
    order = order_for_buyer(number=number, user=request.user)
    if order is None:
        raise Http404
    return _render_order(request, order)


LINK_GONE_TEMPLATE = "orders/link_gone.html"
LINK_REVOKED = (
    "پیوند قبلی این سفارش لغو شد و دیگر باز نمی‌شود. هر وقت خواستید، پیوند تازه را "
    "از همین صفحه با پیامک بخواهید."
)
LINK_SENT = (
    "اگر این شماره و شمارهٔ سفارش با هم بخوانند، پیوند سفارش تا چند لحظه دیگر به "
    "همان شماره پیامک می‌شود."
)


def _link_gone(request):
    """A tampered, withdrawn or expired link: a 404 that says how to get a new
    link, and nothing of any order."""
    days = settings.ORDER_BUYER_LINK_DAYS
    return render(request, LINK_GONE_TEMPLATE, {"days": days}, status=404)


@never_cache
def track_view(request, token: str):
    """A guest's (or anyone's) signed link to one order."""
    order = order_from_token(token)
    if order is None:
        return _link_gone(request)
    return _render_order(request, order_with_parts(order.pk), token=token)


@require_POST
def track_revoke_view(request, token: str):
    """«لغو این پیوند»: every link sent so far stops working."""
    order = order_from_token(token)
    if order is None:
        return _link_gone(request)
    order_link_revoke(order=order)
    messages.success(request, LINK_REVOKED)
    return redirect("orders:link_resend")


@never_cache
@require_http_methods(["GET", "POST"])
def link_resend_view(request):
    """Her order's link again by SMS: her mobile and the order number. The same
    answer whether or not they match; limited like one-time codes."""
    form = LinkResendForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            order_link_resend(
                number=form.cleaned_data["number"],
                phone=form.cleaned_data["phone"],
                ip=client_ip(request),
                form_token=request.POST.get(FORM_TOKEN_FIELD),
            )
        except OtpRateLimited as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, LINK_SENT)
            return redirect("orders:link_resend")
    context = {"form": form, FORM_TOKEN_FIELD: otp_form_token(ip=client_ip(request))}
    return render(request, "orders/link_resend.html", context)


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
        return _link_gone(request)
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
