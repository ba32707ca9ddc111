"""Checkout in a few Persian steps, in our layout:

1. who: a signed-in buyer goes straight on; a guest gives her name, mobile and
   (optionally) e-mail, and proves the mobile with the one-time code the
   accounts app sends (purpose `checkout`);
2. address: province and city, Tehran's district and neighbourhood, street,
   10-digit postal code, recipient; signed-in buyers pick or save addresses;
   no country (Iran is set internally);
3. choices: per booth, a delivery option on offer for this address with the
   payment method that goes with it (`orders.payments`), and a note;
4. review: each booth's part, lines, fee, expected ready date (Jalali), total;
5. place: `orders.services.order_place` (idempotent per basket).

The steps keep their state in the session (`orders_checkout`), never in URLs.
Views are thin: rules live in `orders.parts`, `orders.services`, the forms.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.accounts.ip import client_ip
from marketplace.accounts.phone import format_phone_for_display, normalize_phone
from marketplace.accounts.services import (
    FORM_TOKEN_FIELD,
    OtpRateLimited,
    OtpVerifyBlocked,
    Purpose,
    otp_form_token,
    otp_request,
    otp_verify,
)
from marketplace.metrics import ORDERS_REFUSED
from marketplace.persian import format_number
from sellers.selectors import province_by_pk

from ..card import exchange_rate_current, minor_display, rials_to_minor
from ..models import BuyerAddress, SellerOrder
from ..notifications import buyer_link_token
from ..parts import basket_parts
from ..payments import CARD, gateways_for
from ..services import (
    AddressData,
    BuyerData,
    PartChoice,
    PlacementError,
    ReviewChanged,
    ReviewedOrder,
    order_place,
    placement_key,
)
from ..status import OrderStatus
from .forms import AddressForm, CodeForm, GuestForm, SaveAddressForm

STATE = "orders_checkout"
WRONG_CODE = "کد درست نیست یا دیگر اعتبار ندارد؛ دوباره امتحان کنید یا کد تازه بخواهید."
EMPTY = "سبد خرید شما کالای قابل خریدی ندارد."
NO_RATE = "پرداخت کارتی اکنون ممکن نیست (نرخ ارز تعیین نشده)؛ روش دیگری برگزینید."
STEPS = ["خریدار", "نشانی", "تحویل و پرداخت", "بازبینی"]
NOTE_MAX = 500  # SellerOrder.buyer_note


def _state(request) -> dict:
    state = request.session.get(STATE)
    return state if isinstance(state, dict) else {}


def _save(request, state: dict) -> None:
    request.session[STATE] = state


REVIEW_SALT = "orders.checkout.reviewed"
REVIEW_MAX_AGE = 24 * 3600


def reviewed_dump(reviewed: ReviewedOrder) -> str:
    """The review page's fingerprint (signed, so it cannot be forged): what
    this page showed, carried by its place button."""
    return signing.dumps(
        {
            "l": [[pk, q, str(p)] for pk, (q, p) in sorted(reviewed.lines.items())],
            "f": [[sid, str(fee)] for sid, fee in sorted(reviewed.fees.items())],
            "t": str(reviewed.total),
        },
        salt=REVIEW_SALT,
        compress=True,
    )


def reviewed_load(token: object) -> ReviewedOrder | None:
    if not isinstance(token, str) or not token:
        return None
    try:
        data = signing.loads(token, salt=REVIEW_SALT, max_age=REVIEW_MAX_AGE)
        return ReviewedOrder(
            lines={int(pk): (int(q), Decimal(p)) for pk, q, p in data["l"]},
            fees={int(sid): Decimal(fee) for sid, fee in data["f"]},
            total=Decimal(data["t"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, ArithmeticError):
        return None


# What one checkout is choosing and has reviewed. Placing an order drops them,
# so the next basket starts a fresh checkout (her identity and address stay).
IN_PROGRESS = (
    "choices",
    "notes",
    "line_ids",
    "choices_by_seller",
    "basket_key",
    "reviewed",
    "review_changes",
)


def state_mark_placed(request, order, token: str, *, keep_progress: bool) -> None:
    """Remember the order this session placed (or resumes paying), keyed to the
    basket it was placed from (`Order.placement_key`): "already placed" is
    answered for that basket only, never for a later one."""
    state = _state(request)
    if not keep_progress:
        state = {k: v for k, v in state.items() if k not in IN_PROGRESS}
    state.update(placed=order.number, token=token, placed_key=order.placement_key)
    _save(request, state)


def _buyer(request, state) -> BuyerData | None:
    user = request.user
    if user.is_authenticated:
        try:
            phone = normalize_phone(user.username)
        except ValueError:
            phone = ""
        return BuyerData(
            user=user, name=user.get_full_name(), phone=phone, email=user.email or ""
        )
    guest = state.get("guest")
    if isinstance(guest, dict) and guest.get("verified"):
        return BuyerData(
            user=None,
            name=guest["name"],
            phone=guest["phone"],
            email=guest.get("email", ""),
        )
    return None


def _address(state) -> AddressData | None:
    data = state.get("address")
    if not isinstance(data, dict):
        return None
    province = province_by_pk(data.get("province"))
    if province is None:
        return None
    return AddressData(
        province=province,
        city=data["city"],
        district=data.get("district"),
        neighbourhood=data.get("neighbourhood", ""),
        street=data["street"],
        postcode=data["postcode"],
        recipient_name=data["recipient_name"],
        recipient_phone=data["recipient_phone"],
    )


def _parts(request, address: AddressData | None):
    basket = request.basket
    if not basket.id:
        return []
    parts = basket_parts(
        basket,
        address_in_tehran=None if address is None else address.province.is_tehran,
    )
    return [part for part in parts if part.buyable_lines]


def _offers(part):
    """(value, label, choice, gateway) for each delivery option × payment method."""
    offers = []
    for choice in part.options:
        for gateway in gateways_for(choice.kind):
            offers.append((f"{choice.kind}:{gateway.code}", choice, gateway))
    return offers


def _ctx(step: int, **kwargs):
    return {"steps": STEPS, "step": step, **kwargs}


@never_cache
@require_http_methods(["GET", "POST"])
def who_view(request: HttpRequest) -> HttpResponse:
    """Step 1. Signed in: on to the address. A guest: name, mobile, e-mail."""
    state = _state(request)
    if not _parts(request, None):
        messages.info(request, EMPTY)
        return redirect("basket:summary")
    if _buyer(request, state) is not None:
        return redirect("checkout:shipping-address")
    form = GuestForm(request.POST or None, initial=state.get("guest") or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
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
            state["guest"] = {
                "name": " ".join(data["name"].split()),
                "phone": data["phone"],
                "email": data["email"],
                "verified": False,
            }
            _save(request, state)
            return redirect("checkout:code")
    token = {FORM_TOKEN_FIELD: otp_form_token(ip=client_ip(request))}
    return render(request, "orders/checkout/who.html", _ctx(1, form=form, **token))


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def code_view(request: HttpRequest) -> HttpResponse:
    """Step 1b. The guest types the code sent to her mobile."""
    state = _state(request)
    guest = state.get("guest")
    if not isinstance(guest, dict):
        return redirect("checkout:index")
    if guest.get("verified"):
        return redirect("checkout:shipping-address")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            right = otp_verify(
                phone=guest["phone"],
                code=form.cleaned_data["code"],
                purpose=Purpose.CHECKOUT,
                ip=client_ip(request),
            )
        except OtpVerifyBlocked as blocked:  # too many wrong codes from here
            form.add_error(None, blocked.message)
        else:
            if right:
                guest["verified"] = True
                _save(request, state)
                return redirect("checkout:shipping-address")
            form.add_error("code", WRONG_CODE)
    return render(
        request,
        "orders/checkout/code.html",
        _ctx(1, form=form, phone_display=format_phone_for_display(guest["phone"])),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def address_view(request: HttpRequest) -> HttpResponse:
    """Step 2. The delivery address (a saved one, or typed)."""
    state = _state(request)
    if _buyer(request, state) is None:
        return redirect("checkout:index")
    if not _parts(request, None):
        messages.info(request, EMPTY)
        return redirect("basket:summary")
    saved = []
    if request.user.is_authenticated:
        saved = list(
            BuyerAddress.objects.filter(user=request.user).select_related("province")[
                :5
            ]
        )
    if request.method == "POST" and request.POST.get("saved"):
        chosen = next((a for a in saved if str(a.pk) == request.POST["saved"]), None)
        if chosen is not None:
            state["address"] = {
                "province": chosen.province_id,
                "city": chosen.city,
                "district": chosen.district,
                "neighbourhood": chosen.neighbourhood,
                "street": chosen.street,
                "postcode": chosen.postcode,
                "recipient_name": chosen.recipient_name,
                "recipient_phone": chosen.recipient_phone,
            }
            _save(request, state)
            return redirect("checkout:payment-method")
    initial = dict(state.get("address") or {})
    buyer = _buyer(request, state)
    if not initial:
        initial = {"recipient_name": buyer.name, "recipient_phone": buyer.phone}
    form = AddressForm(
        request.POST if request.method == "POST" else None,
        initial=initial if request.method == "GET" else None,
    )
    save_form = SaveAddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        state["address"] = {
            "province": data["province"].pk,
            "city": data["city"],
            "district": data["district"],
            "neighbourhood": data["neighbourhood"],
            "street": data["street"],
            "postcode": data["postcode"],
            "recipient_name": data["recipient_name"],
            "recipient_phone": data["recipient_phone"],
        }
        _save(request, state)
        if (
            request.user.is_authenticated
            and save_form.is_valid()
            and save_form.cleaned_data["save_address"]
        ):
            fields = dict(state["address"])
            fields["province_id"] = fields.pop("province")
            BuyerAddress.objects.get_or_create(user=request.user, **fields)
        return redirect("checkout:payment-method")
    return render(
        request,
        "orders/checkout/address.html",
        _ctx(2, form=form, save_form=save_form, saved=saved),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def choices_view(request: HttpRequest) -> HttpResponse:
    """Step 3. Per booth: delivery with its payment method, and a note."""
    state = _state(request)
    if _buyer(request, state) is None:
        return redirect("checkout:index")
    address = _address(state)
    if address is None:
        return redirect("checkout:shipping-address")
    parts = _parts(request, address)
    if not parts:
        messages.info(request, EMPTY)
        return redirect("basket:summary")
    chosen = state.get("choices") or {}
    notes = state.get("notes") or {}
    errors = {}
    rows = []
    for part in parts:
        offers = _offers(part)
        key = str(part.seller.pk)
        if request.method == "POST":
            value = request.POST.get(f"part-{key}", "")
            if value in {o[0] for o in offers}:
                chosen[key] = value
            else:
                errors[key] = "روش تحویل این غرفه را انتخاب کنید."
            notes[key] = " ".join(request.POST.get(f"note-{key}", "").split())
            if len(notes[key]) > NOTE_MAX:
                # Refused, not cut: she shortens her own words.
                errors[key] = (
                    f"یادداشت برای غرفه حداکثر {format_number(NOTE_MAX)} نویسه است "
                    f"(اکنون {format_number(len(notes[key]))} نویسه)."
                )
        elif key not in chosen and len(offers) == 1:
            chosen[key] = offers[0][0]
        rows.append(
            {
                "part": part,
                "offers": offers,
                "value": chosen.get(key, ""),
                "note": notes.get(key, ""),
                "error": errors.get(key)
                or (None if offers else "این غرفه به این نشانی تحویل نمی‌دهد."),
            }
        )
    if request.method == "POST" and not errors and all(r["offers"] for r in rows):
        state["choices"], state["notes"] = chosen, notes
        _save(request, state)
        return redirect("checkout:preview")
    return render(request, "orders/checkout/choices.html", _ctx(3, rows=rows))


def _review(request, state):
    """(address, rows, lines left out) or None when a step is missing. The basket
    is read once."""
    address = _address(state)
    choices = state.get("choices") or {}
    if address is None:
        return None
    basket = request.basket
    parts = (
        basket_parts(basket, address_in_tehran=address.province.is_tehran)
        if basket.id
        else []
    )
    rows = []
    for part in parts:
        if not part.buyable_lines:
            continue
        value = choices.get(str(part.seller.pk), "")
        offer = next((o for o in _offers(part) if o[0] == value), None)
        if offer is None:
            return None
        rows.append({"part": part, "delivery": offer[1], "gateway": offer[2]})
    left_out = [pl for part in parts for pl in part.lines if pl.problem]
    return address, rows, left_out


@never_cache
def review_view(request: HttpRequest) -> HttpResponse:
    """Step 4. Everything, once, before she places the order."""
    state = _state(request)
    if _buyer(request, state) is None:
        return redirect("checkout:index")
    reviewed = _review(request, state)
    if reviewed is None:
        return redirect("checkout:payment-method")
    address, rows, left_out = reviewed
    if not rows:
        messages.info(request, EMPTY)
        return redirect("basket:summary")
    goods = sum((r["part"].subtotal for r in rows), Decimal(0))
    fees = sum((r["delivery"].fee for r in rows), Decimal(0))
    # What she reviewed is what she buys: a line sold meanwhile fails the order
    # with its name instead of quietly dropping out.
    reviewed_state = {
        "line_ids": [pl.line.pk for r in rows for pl in r["part"].buyable_lines],
        "choices_by_seller": {
            str(r["part"].seller.pk): [r["delivery"].kind, r["gateway"].code]
            for r in rows
        },
        "basket_key": placement_key(request.basket),
    }
    reviewed = ReviewedOrder(
        lines={
            pl.line.pk: (pl.line.quantity, pl.line.unit_price_incl_tax)
            for r in rows
            for pl in r["part"].buyable_lines
        },
        fees={r["part"].seller.pk: r["delivery"].fee for r in rows},
        total=goods + fees,
    )
    # The session keeps the last review any tab showed (for a place button
    # without its fingerprint); rewritten only when it changes.
    fingerprint = state.get("reviewed")
    if reviewed_load(fingerprint) != reviewed:
        fingerprint = reviewed_dump(reviewed)
    reviewed_state["reviewed"] = fingerprint
    changes = state.pop("review_changes", None)
    if changes or any(state.get(k) != v for k, v in reviewed_state.items()):
        state.update(reviewed_state)
        _save(request, state)
    card_rows = [r for r in rows if r["gateway"].code == CARD]
    card = None
    if card_rows:
        rate = exchange_rate_current()
        card = {"rate": rate}
        if rate is not None:
            card["amount"] = minor_display(
                sum(
                    rials_to_minor(
                        r["part"].subtotal + r["delivery"].fee, rate.rials_per_unit
                    )
                    for r in card_rows
                )
            )
    return render(
        request,
        "orders/checkout/review.html",
        _ctx(
            4,
            address=address,
            rows=rows,
            goods=goods,
            fees=fees,
            total=goods + fees,
            notes=state.get("notes") or {},
            left_out=left_out,
            buyer=_buyer(request, state),
            card=card,
            fingerprint=fingerprint,
            changes=(changes or {}).get("messages", []),
            changed_lines=set((changes or {}).get("lines", [])),
        ),
    )


@never_cache
@require_POST
def place_view(request: HttpRequest) -> HttpResponse:
    """Place the basket she reviewed. A double click or a second tab finds the
    order the first click placed; a new basket, reviewed after that order, is
    placed as a new order."""
    state = _state(request)
    reviewed_key = state.get("basket_key")
    if state.get("placed") and reviewed_key in (None, state.get("placed_key")):
        # Nothing reviewed since that order: a double click or a second tab.
        # The card page if it still waits (else it leads on to the thank-you).
        return redirect("checkout:card")
    buyer = _buyer(request, state)
    if buyer is None:
        return redirect("checkout:index")
    address = _address(state)
    if address is None:
        return redirect("checkout:shipping-address")
    notes = state.get("notes") or {}
    reviewed_choices = state.get("choices_by_seller") or {}
    line_ids = state.get("line_ids")
    if (
        not isinstance(line_ids, list)
        or not reviewed_choices
        or reviewed_key != placement_key(request.basket)
    ):
        # Not reviewed, or the basket is not the one she reviewed.
        return redirect("checkout:preview")
    if (
        any(method == CARD for _, method in reviewed_choices.values())
        and exchange_rate_current() is None
    ):
        messages.error(request, NO_RATE)
        return redirect("checkout:payment-method")
    # What this page showed (its place button carries it); else the last
    # review this session saw.
    reviewed = reviewed_load(request.POST.get("reviewed")) or reviewed_load(
        state.get("reviewed")
    )
    if reviewed is None:
        return redirect("checkout:preview")
    choices = {
        int(seller_id): PartChoice(
            delivery_kind=kind, payment_method=method, note=notes.get(seller_id, "")
        )
        for seller_id, (kind, method) in reviewed_choices.items()
    }
    try:
        order, leftover = order_place(
            basket=request.basket,
            buyer=buyer,
            address=address,
            choices=choices,
            line_ids=line_ids,
            reviewed=reviewed,
        )
    except ReviewChanged as changed:
        # Nothing placed: she sees the review again, with what moved.
        ORDERS_REFUSED.labels(reason="review_changed").inc()
        state["review_changes"] = {
            "messages": changed.changes,
            "lines": sorted(changed.line_ids),
        }
        _save(request, state)
        return redirect("checkout:preview")
    except PlacementError as error:
        # Nothing placed: the review again (it lists what cannot be bought, or
        # leads back to the basket when nothing can).
        ORDERS_REFUSED.labels(reason="placement").inc()
        messages.error(request, error.message)
        return redirect("checkout:preview")
    if leftover is not None and not request.user.is_authenticated:
        # The lines she did not buy stay in her (new) guest basket.
        request.basket = leftover
        request.cookies_to_delete = [
            *getattr(request, "cookies_to_delete", []),
            settings.OSCAR_BASKET_COOKIE_OPEN,
        ]
    state_mark_placed(request, order, buyer_link_token(order), keep_progress=False)
    if (
        order.status == OrderStatus.AWAITING_PAYMENT
        or order.seller_orders.filter(
            status=SellerOrder.Status.AWAITING_PAYMENT
        ).exists()
    ):
        return redirect("checkout:card")
    return redirect("checkout:thank-you")


@never_cache
def thank_you_view(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    number = state.get("placed")
    if not number:
        return redirect("basket:summary")
    messages.success(
        request,
        "سفارش شما ثبت شد. هر غرفه سفارش خود را جداگانه تأیید می‌کند و "
        "از هر تغییر با پیامک باخبر می‌شوید.",
    )
    if request.user.is_authenticated:
        return redirect("orders:detail", number=number)
    return redirect("orders:track", token=state["token"])
