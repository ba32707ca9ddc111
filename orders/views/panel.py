"""The booth's orders in her panel (/panel/<seller_id>/orders/…): the inbox with
tabs and counts, one part with its actions and audit trail, the packing slip,
her ledger, and her delivery options and weekly capacity.

Every view resolves the booth with `sellers.permissions.membership_for` (not a
member: 404) and looks the part up within the booth (another booth's part: 404).
Every member works the parts; only owners change delivery settings.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from marketplace.accounts.phone import mask_phone_for_display
from marketplace.persian import to_latin_digits
from sellers.models import DeliveryOption
from sellers.permissions import is_owner, membership_for
from sellers.services import DeliverySetting, delivery_options_update
from sellers.services.delivery import AMOUNT_MESSAGE

from ..models import LedgerEntry
from ..permissions import buyer_details_visible
from ..selectors import INBOX_TABS, inbox_parts, inbox_state, part_for_seller
from ..services import SELLER, TRANSITIONS, seller_order_transition, transitions_for

DONE = {
    "accept": "سفارش پذیرفته شد. خریدار باخبر شد.",
    "decline": "سفارش رد شد. خریدار باخبر شد.",
    "ready": "ثبت شد که سفارش آمادهٔ تحویل حضوری است.",
    "ship": "ارسال سفارش ثبت شد.",
    "deliver": "تحویل سفارش ثبت شد.",
}


def _membership(request, seller_id):
    """Her membership of this booth; anyone else (anonymous too) gets a 404, so
    an order URL confirms nothing."""
    return membership_for(request.user, seller_id)


def _settable_kinds() -> list[tuple[str, str]]:
    """The kinds she keeps as settings (bazaar pickup comes with her stall)."""
    return [
        (kind, label)
        for kind, label in DeliveryOption.Kind.choices
        if kind in DeliveryOption.SETTABLE_KINDS
    ]


def buyer_view(part) -> dict:
    """What the booth sees of the buyer: name, mobile and address until N days
    after the part ended, masked after; never the e-mail."""
    order = part.order
    if buyer_details_visible(part):
        return {
            "visible": True,
            "name": order.recipient_name or order.buyer_name,
            "phone": order.recipient_phone or order.buyer_phone,
            "address": "، ".join(order.address_lines()),
            "postcode": order.ship_postcode,
        }
    return {
        "visible": False,
        "name": (order.recipient_name or order.buyer_name or "—")[:1] + "…",
        "phone_masked": mask_phone_for_display(
            order.recipient_phone or order.buyer_phone or ""
        ),
        "address": order.ship_city,
        "postcode": "",
    }


#: How long a page of inbox rows is kept; the key alone keeps it exact.
INBOX_ROWS_SECONDS = 600


def _inbox_rows(seller, tab: str, page_number, state) -> str:
    """One page of her inbox's rows and its pagination, as HTML.

    Kept under the inbox's fingerprint (`inbox_state`), read in the same query
    as the tabs' counts: any write to any of her parts changes it, so a page
    is never shown stale, and a busy booth's inbox is rendered once per change
    instead of on every visit (25 rows with their lines, dates and prices)."""
    paginator = Paginator(inbox_parts(seller=seller, tab=tab), 25)
    # The tab's count was just read with the others: no second COUNT.
    paginator.count = state.counts[tab]
    page = paginator.get_page(page_number)
    key = f"inbox-rows:v1:{seller.pk}:{tab}:{page.number}:{state.fingerprint}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "orders/panel/_inbox_rows.html",
            {"seller": seller, "page_obj": page, "query_without_page": f"tab={tab}"},
        )
        cache.set(key, html, INBOX_ROWS_SECONDS)
    # render_to_string's SafeString: the cache pickles it with its class, so the
    # page does not escape it again (our template escaped what it shows).
    return html


def inbox_view(request, seller_id: int):
    membership = _membership(request, seller_id)
    seller = membership.seller
    tab = request.GET.get("tab", "new")
    if tab not in INBOX_TABS:
        tab = "new"
    state = inbox_state(seller=seller)
    rows = _inbox_rows(seller, tab, request.GET.get("page"), state)
    tabs = [(key, label, state.counts[key]) for key, (label, _) in INBOX_TABS.items()]
    return render(
        request,
        "orders/panel/inbox.html",
        {
            "seller": seller,
            "membership": membership,
            "tabs": tabs,
            "tab": tab,
            "rows": rows,
        },
    )


def part_view(
    request,
    seller_id: int,
    part_id: int,
    *,
    template="orders/panel/part.html",
    slip: bool = False,
):
    membership = _membership(request, seller_id)
    part = part_for_seller(seller=membership.seller, part_id=part_id)
    if part is None or (slip and not part.will_ship):
        raise Http404
    actions = [
        (name, TRANSITIONS[name].label) for name in transitions_for(part, SELLER)
    ]
    return render(
        request,
        template,
        {
            "seller": membership.seller,
            "membership": membership,
            "part": part,
            "buyer": buyer_view(part),
            "actions": actions,
        },
    )


def slip_view(request, seller_id: int, part_id: int):
    """The packing slip: print it from the browser (a print stylesheet). A part
    that will not ship has none (`SellerOrder.will_ship`)."""
    return part_view(
        request, seller_id, part_id, template="orders/panel/slip.html", slip=True
    )


@require_POST
def part_action_view(request, seller_id: int, part_id: int, action: str):
    membership = _membership(request, seller_id)
    part = part_for_seller(seller=membership.seller, part_id=part_id)
    if part is None or action not in DONE:
        raise Http404
    try:
        seller_order_transition(
            seller_order=part,
            action=action,
            party=SELLER,
            actor=request.user,
            note=request.POST.get("reason", ""),
            tracking_code=to_latin_digits(request.POST.get("tracking_code", "")),
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(
            request, " ".join(getattr(error, "messages", [])) or "ممکن نیست."
        )
    else:
        messages.success(request, DONE[action])
    return redirect("orders_panel:part", seller_id=seller_id, part_id=part_id)


def ledger_view(request, seller_id: int):
    membership = _membership(request, seller_id)
    seller = membership.seller
    entries = LedgerEntry.objects.filter(seller=seller).select_related(
        "seller_order", "stall_sale__stall__bazaar"
    )
    balance = entries.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    page = Paginator(entries.order_by("-created_at", "-pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "orders/panel/ledger.html",
        {
            "seller": seller,
            "membership": membership,
            "balance": balance,
            "page_obj": page,
        },
    )


def _money(raw: str) -> Decimal | None:
    """Toman typed by her (Persian or Latin digits, separators) → rials."""
    text = to_latin_digits(raw or "").replace(",", "").replace("٬", "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(AMOUNT_MESSAGE) from None
    if not value.is_finite():
        raise ValidationError(AMOUNT_MESSAGE)
    return value * 10


def _delivery_settings(post) -> tuple[dict[str, DeliverySetting], int | None]:
    """What she typed, parsed (the rules are `delivery_options_update`'s)."""
    settings = {
        kind: DeliverySetting(
            active=bool(post.get(f"{kind}-active")),
            fee=_money(post.get(f"{kind}-fee", "")) or Decimal(0),
            free_above=_money(post.get(f"{kind}-free_above", "")),
        )
        for kind in DeliveryOption.SETTABLE_KINDS
    }
    capacity = to_latin_digits(post.get("weekly_capacity", "")).strip()
    if capacity and not (capacity.isascii() and capacity.isdigit()):
        raise ValidationError("ظرفیت هفتگی را با عدد بنویسید (یا خالی بگذارید).")
    return settings, int(capacity) if capacity else None


def delivery_view(request, seller_id: int):
    """Her delivery options and weekly made-to-order capacity (owners change them)."""
    membership = _membership(request, seller_id)
    seller = membership.seller
    if request.method == "POST":
        if not is_owner(membership):
            raise Http404
        try:
            settings, capacity = _delivery_settings(request.POST)
            delivery_options_update(
                seller=seller,
                actor=request.user,
                settings=settings,
                weekly_capacity=capacity,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "روش‌های تحویل و ظرفیت ذخیره شد.")
            return redirect("orders_panel:delivery", seller_id=seller.pk)
    options = {o.kind: o for o in DeliveryOption.objects.filter(seller=seller)}
    rows = [(kind, label, options.get(kind)) for kind, label in _settable_kinds()]
    return render(
        request,
        "orders/panel/delivery.html",
        {
            "seller": seller,
            "membership": membership,
            "is_owner": is_owner(membership),
            "rows": rows,
        },
    )
