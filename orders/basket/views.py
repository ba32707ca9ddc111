"""The basket page in our layout: lines grouped by booth, each booth with its
delivery options, preparation time and subtotal; lines that cannot be bought
marked with the Persian reason (`orders.parts`). Quantities accept Persian and
Latin digits, within the caps of `orders.limits`. Oscar's other basket views (add, vouchers) are Oscar's."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View
from oscar.apps.basket.views import *  # noqa: F403  (Oscar's other basket views)

from marketplace.persian import to_latin_digits, to_persian_digits
from orders.limits import basket_line_refusal
from orders.parts import basket_parts, is_made_to_order

BAD_QUANTITY = "تعداد را با عدد بنویسید (۰ یعنی حذف)."


def parse_quantity(raw: str) -> int | None:
    """«۲», «2», « ٢ » → 2; anything but a whole number of up to six digits →
    None. How many units a line may hold is `orders.limits`'s."""
    text = to_latin_digits((raw or "").strip())
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        return None
    return int(text)


class BasketView(View):
    template_name = "orders/basket.html"

    def get(self, request, *args, **kwargs):
        basket = request.basket
        parts = basket_parts(basket) if basket.id else []
        buyable = [pl for part in parts for pl in part.buyable_lines]
        context = {
            "basket": basket,
            "parts": parts,
            "has_problems": any(pl.problem for part in parts for pl in part.lines),
            "can_checkout": bool(buyable),
            "goods_total": sum((part.subtotal for part in parts), Decimal(0)),
        }
        return render(request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        basket = request.basket
        line = None
        line_id = to_latin_digits(request.POST.get("line", ""))
        # An id no database column holds is no line of hers (and no 500).
        if basket.id and line_id.isascii() and line_id.isdigit() and len(line_id) < 19:
            line = basket.lines.filter(pk=int(line_id)).first()
        if line is None:
            messages.error(request, "این کالا دیگر در سبد خرید شما نیست.")
            return redirect("basket:summary")
        title = line.product.get_title()
        quantity = (
            0
            if "remove" in request.POST
            else parse_quantity(request.POST.get("quantity", ""))
        )
        if quantity is None:
            messages.error(request, f"«{title}»: {BAD_QUANTITY}")
            return redirect("basket:summary")
        if quantity == 0:
            line.delete()
            messages.success(request, f"«{title}» از سبد خرید برداشته شد.")
            return redirect("basket:summary")
        refusal = basket_line_refusal(
            basket=basket,
            product=line.product,
            stockrecord=line.stockrecord,
            quantity=quantity,
        )
        if refusal:
            messages.error(request, refusal)
            return redirect("basket:summary")
        record = line.stockrecord
        if record is not None and not is_made_to_order(line.product):
            available = record.net_stock_level  # less allocated, less held
            if quantity > available:
                messages.error(
                    request,
                    f"از «{title}» فقط {to_persian_digits(max(available, 0))} عدد موجود است.",
                )
                return redirect("basket:summary")
        line.quantity = quantity
        line.save(update_fields=["quantity"])
        messages.success(request, f"تعداد «{title}» {to_persian_digits(quantity)} شد.")
        return redirect("basket:summary")
