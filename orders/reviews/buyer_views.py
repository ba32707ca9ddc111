"""The buyer's review of a delivered line (/orders/review/<line_id>/).

Only the signed-in buyer of a delivered part, within the window, once per line
(`services.review_line_for`); anyone else, and a line already reviewed, is a
404 for GET and POST alike."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from marketplace.forms import add_service_errors

from . import services
from .forms import ReviewForm


@never_cache
@require_http_methods(["GET", "POST"])
def review_view(request, line_id: int):
    line = services.review_line_for(user=request.user, line_id=line_id)
    if line is None:
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_post(
                user=request.user,
                line_id=line.pk,
                rating=form.cleaned_data["rating"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if review.status == review.Status.HELD:
                messages.info(request, services.HELD_NOTICE)
            else:
                messages.success(request, "نظر شما منتشر شد. سپاس!")
            return redirect("orders:detail", number=line.order.number)
    return render(
        request,
        "orders/reviews/review_form.html",
        {"line": line, "form": form},
    )
