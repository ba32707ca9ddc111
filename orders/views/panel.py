"""The booth's orders in her panel (/panel/<seller_id>/orders/…): the inbox with
tabs and counts, one part with its actions and audit trail, the packing slip,
her ledger, and her delivery options and weekly capacity.

Every view is a panel page (`sellers.panel.views.PanelMixin`, the panel's one
membership check: anonymous, to log in; not a member, 404) and looks the part
up within the booth (another booth's part: 404). Every member works the parts;
only owners change delivery settings.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views import View

from marketplace.accounts.phone import mask_phone_for_display
from marketplace.forms import PersianIntegerField, TomanField
from marketplace.persian import to_latin_digits
from sellers.models import Delegation, DeliveryOption
from sellers.panel.views import PanelMixin
from sellers.permissions import is_owner
from sellers.services import (
    DeliverySetting,
    delegated_order_step_record,
    delivery_options_update,
)
from sellers.services.delivery import (
    AMOUNT_MESSAGE,
    CAPACITY_MESSAGE,
    MAX_DELIVERY_AMOUNT,
    MAX_WEEKLY_CAPACITY,
)

from ..conversations.services import booth_unread_total
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


class OrderPanelPage(PanelMixin, View):
    """An order page of her panel: `self.seller` and `self.membership` come from
    `PanelMixin`, so an order URL of another booth confirms nothing (404)."""


class PartPage(OrderPanelPage):
    """A page naming one of her parts: looked up within her booth, or 404."""

    panel_area = Delegation.Area.INBOX

    def resolve(self, *, part_id: int, **kwargs) -> None:
        self.part = part_for_seller(seller=self.seller, part_id=part_id)
        if self.part is None:
            raise Http404


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


class InboxView(OrderPanelPage):
    panel_area = Delegation.Area.INBOX

    def get(self, request, seller_id: int):
        seller = self.seller
        tab = request.GET.get("tab", "new")
        if tab not in INBOX_TABS:
            tab = "new"
        state = inbox_state(seller=seller)
        rows = _inbox_rows(seller, tab, request.GET.get("page"), state)
        tabs = [
            (key, label, state.counts[key]) for key, (label, _) in INBOX_TABS.items()
        ]
        return render(
            request,
            "orders/panel/inbox.html",
            {
                "seller": seller,
                "membership": self.membership,
                "tabs": tabs,
                "tab": tab,
                "rows": rows,
                # the «پیام‌ها» tab: buyers' messages not read yet (issue 28)
                "unread_messages": booth_unread_total(seller=seller),
            },
        )


class PartView(PartPage):
    template = "orders/panel/part.html"

    def get(self, request, **kwargs):
        part = self.part
        actions = [
            (name, TRANSITIONS[name].label) for name in transitions_for(part, SELLER)
        ]
        return render(
            request,
            self.template,
            {
                "seller": self.seller,
                "membership": self.membership,
                "part": part,
                "buyer": buyer_view(part),
                "actions": actions,
            },
        )


class SlipView(PartView):
    """The packing slip: print it from the browser (a print stylesheet). A part
    that will not ship has none (`SellerOrder.will_ship`)."""

    template = "orders/panel/slip.html"

    def resolve(self, **kwargs) -> None:
        super().resolve(**kwargs)
        if not self.part.will_ship:
            raise Http404


class PartActionView(PartPage):
    http_method_names = ["post"]

    def resolve(self, *, action: str, **kwargs) -> None:
        if action not in DONE:
            raise Http404
        super().resolve(**kwargs)

    def post(self, request, seller_id: int, part_id: int, action: str):
        try:
            with transaction.atomic():
                seller_order_transition(
                    seller_order=self.part,
                    action=action,
                    party=SELLER,
                    actor=request.user,
                    note=request.POST.get("reason", ""),
                    tracking_code=to_latin_digits(
                        request.POST.get("tracking_code", "")
                    ),
                )
                if self.delegation is not None:
                    # Her mentor's step goes on the booth's file too.
                    delegated_order_step_record(
                        seller=self.seller,
                        actor=request.user,
                        action=action,
                        part_number=self.part.number,
                    )
        except (PermissionDenied, ValidationError) as error:
            messages.error(
                request, " ".join(getattr(error, "messages", [])) or "ممکن نیست."
            )
        else:
            messages.success(request, DONE[action])
        return redirect("orders_panel:part", seller_id=seller_id, part_id=part_id)


class LedgerView(OrderPanelPage):
    def get(self, request, seller_id: int):
        return _ledger(request, self.seller, self.membership)


def _ledger(request, seller, membership):
    entries = LedgerEntry.objects.filter(seller=seller).select_related(
        "seller_order", "stall_sale__stall__bazaar", "payout_line__batch"
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


# The delivery form's inputs are named per kind (`courier-fee`, ...), so its
# fields are used one by one: the shared fields hold what she types to what the
# columns take (never a 5,000-digit number).
_CAPACITY_FIELD = PersianIntegerField(
    required=False,
    min_value=0,
    max_value=MAX_WEEKLY_CAPACITY,
    error_messages=dict.fromkeys(
        ("invalid", "min_value", "max_value"), CAPACITY_MESSAGE
    ),
)
_AMOUNT_FIELD = TomanField(
    required=False,
    max_rials=int(MAX_DELIVERY_AMOUNT),
    error_messages=dict.fromkeys(("invalid", "max_value"), AMOUNT_MESSAGE),
)


def _money(raw: str) -> Decimal | None:
    """Toman typed by her (Persian or Latin digits, separators) → rials."""
    rials = _AMOUNT_FIELD.clean(raw or "")
    return None if rials is None else Decimal(rials)


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
    return settings, _CAPACITY_FIELD.clean(post.get("weekly_capacity", ""))


class DeliveryView(OrderPanelPage):
    """Her delivery options and weekly made-to-order capacity (owners change them)."""

    panel_area = Delegation.Area.DELIVERY

    def get(self, request, seller_id: int):
        return _delivery(request, self.seller, self.membership)

    post = get


def _delivery(request, seller, membership):
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
