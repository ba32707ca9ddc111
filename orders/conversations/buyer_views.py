"""The buyer's side of her conversations with booths (/orders/messages/…):
ask on a product («از فروشنده بپرسید»: signed in, or a guest who proves her
mobile by code), her threads, one thread (read and reply), report it, and the
thread of one of her order parts.

A thread that is not hers (another buyer's, a guest's without her proven
mobile in this session, any thread for an anonymous visitor) is a 404, for
GET and POST alike (`services.thread_side`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import Product
from marketplace.accounts.ip import client_ip
from marketplace.accounts.services import (
    FORM_TOKEN_FIELD,
    OtpRateLimited,
    OtpVerifyBlocked,
    Purpose,
    otp_form_token,
    otp_request,
    otp_verify,
)
from marketplace.forms import add_service_errors
from sellers.models import Seller

from ..models import SellerOrder
from . import services
from .forms import (
    REPORT_TOO_LONG,
    AskCodeForm,
    GuestAskForm,
    MessageForm,
    ReportForm,
)
from .models import BUYER, Thread

#: The guest's mobiles proven by code in this session, and her pending question.
PROVEN = "conversations_proven_phones"
PENDING = "conversations_pending_question"


def proven_phones(request) -> list[str]:
    value = request.session.get(PROVEN)
    return value if isinstance(value, list) else []


def _live_product(product_id: int) -> tuple[Product, Seller]:
    product = Product.objects.filter(pk=product_id).first()
    seller = (
        Seller.objects.filter(partner__stockrecords__product=product).first()
        if product is not None
        else None
    )
    if product is None or seller is None or not product.is_live:
        raise Http404
    return product, seller


def _buyer_thread(request, thread_id: int) -> Thread:
    """Her thread, or 404 (the same answer for a thread that does not exist)."""
    thread = (
        Thread.objects.select_related("seller", "seller_order", "product")
        .filter(pk=thread_id)
        .first()
    )
    if thread is None:
        raise Http404
    for phone in proven_phones(request) or [""]:
        side = services.thread_side(thread, user=request.user, guest_phone=phone)
        if side == BUYER:
            request.conversation_phone = phone
            return thread
    raise Http404


def _posted(request, posted) -> None:
    for notice in posted.notices:
        messages.warning(request, notice)
    if not posted.message.held:
        messages.success(request, "پیام فرستاده شد.")


@never_cache
@require_http_methods(["GET", "POST"])
def ask_view(request, product_id: int):
    """Ask the booth about a product. Signed in: her question goes at once. A
    guest: her mobile and question, then the code sent to it."""
    product, seller = _live_product(product_id)
    signed_in = request.user.is_authenticated
    form_class = MessageForm if signed_in else GuestAskForm
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if signed_in:
            try:
                posted = services.thread_start_on_product(
                    product=product,
                    seller=seller,
                    buyer=request.user,
                    text=data["text"],
                    photo=data.get("photo"),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _posted(request, posted)
                return redirect("orders:thread", thread_id=posted.message.thread_id)
        elif data["phone"] in proven_phones(request):
            return _guest_ask(request, product, seller, data["phone"], data["text"])
        else:
            try:
                otp_request(
                    phone=data["phone"],
                    purpose=Purpose.CHECKOUT,
                    ip=client_ip(request),
                    form_token=request.POST.get(FORM_TOKEN_FIELD),
                )
            except OtpRateLimited as error:
                form.add_error("phone", error.message)
            else:
                request.session[PENDING] = {
                    "product": product.pk,
                    "phone": data["phone"],
                    "text": data["text"],
                }
                return redirect("orders:ask_code", product_id=product.pk)
    return render(
        request,
        "orders/conversations/ask.html",
        {
            "product": product,
            "seller": seller,
            "form": form,
            FORM_TOKEN_FIELD: otp_form_token(ip=client_ip(request)),
        },
    )


def _guest_ask(request, product, seller, phone: str, text: str):
    try:
        posted = services.thread_start_on_product(
            product=product, seller=seller, guest_phone=phone, text=text
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("orders:ask", product_id=product.pk)
    _posted(request, posted)
    return redirect("orders:thread", thread_id=posted.message.thread_id)


@never_cache
@require_http_methods(["GET", "POST"])
def ask_code_view(request, product_id: int):
    """The guest types the code sent to her mobile; then her question goes."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or pending.get("product") != product_id:
        return redirect("orders:ask", product_id=product_id)
    product, seller = _live_product(product_id)
    form = AskCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            right = otp_verify(
                phone=pending["phone"],
                code=form.cleaned_data["code"],
                purpose=Purpose.CHECKOUT,
                ip=client_ip(request),
            )
        except OtpVerifyBlocked as blocked:
            form.add_error(None, blocked.message)
        else:
            if right:
                request.session[PROVEN] = [*proven_phones(request), pending["phone"]][
                    -5:
                ]
                request.session.pop(PENDING, None)
                return _guest_ask(
                    request, product, seller, pending["phone"], pending["text"]
                )
            form.add_error("code", "کد درست نیست؛ دوباره نگاه کنید.")
    return render(
        request,
        "orders/conversations/ask_code.html",
        {"product": product, "form": form, "phone": pending["phone"]},
    )


@never_cache
def threads_view(request):
    """Her conversations (signed in, or the guest's proven mobiles)."""
    threads = []
    if request.user.is_authenticated:
        threads = list(services.threads_for_buyer(user=request.user))
    else:
        for phone in proven_phones(request):
            threads += list(services.threads_for_buyer(guest_phone=phone))
    return render(request, "orders/conversations/threads.html", {"threads": threads})


@never_cache
@require_http_methods(["GET", "POST"])
def thread_view(request, thread_id: int):
    thread = _buyer_thread(request, thread_id)
    sender = request.user if request.user.is_authenticated else None
    form = MessageForm(request.POST or None, request.FILES or None)
    closed = services.thread_is_closed(thread)
    if request.method == "POST" and form.is_valid():
        try:
            posted = services.message_post(
                thread=thread,
                side=BUYER,
                sender=sender,
                text=form.cleaned_data["text"],
                photo=form.cleaned_data.get("photo"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _posted(request, posted)
            return redirect("orders:thread", thread_id=thread.pk)
    if request.method == "GET":  # a refused reply changes nothing
        services.thread_mark_read(thread, side=BUYER)
    return render(
        request,
        "orders/conversations/thread.html",
        {
            "thread": thread,
            "side": BUYER,
            "thread_messages": services.thread_messages_for(thread, side=BUYER),
            "form": form,
            "closed": closed,
            "report_form": ReportForm(),
        },
    )


@require_POST
def thread_report_view(request, thread_id: int):
    thread = _buyer_thread(request, thread_id)
    form = ReportForm(request.POST)
    if form.is_valid():
        services.thread_report(
            thread=thread, side=BUYER, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "گزارش شما برای کارشناسان فرستاده شد.")
    else:
        messages.error(request, REPORT_TOO_LONG)
    return redirect("orders:thread", thread_id=thread.pk)


@require_POST
def part_thread_view(request, part_id: int):
    """Her message to the booth about one of her order parts (signed in; a
    part of another buyer's order: 404)."""
    if not request.user.is_authenticated:
        raise Http404
    part = (
        SellerOrder.objects.select_related("order")
        .filter(pk=part_id, order__user=request.user)
        .first()
    )
    if part is None:
        raise Http404
    try:
        thread = services.thread_for_part(
            seller_order=part, side=BUYER, user=request.user
        )
    except PermissionDenied as error:
        raise Http404 from error
    return redirect("orders:thread", thread_id=thread.pk)
