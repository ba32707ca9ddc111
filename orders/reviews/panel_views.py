"""The booth's reviews in her panel (/panel/<seller_id>/reviews/): her
published reviews, and her one public answer to each.

Panel pages (`sellers.panel.views.PanelMixin`, the panel's one membership
check; her mentor under a delegation of the inbox too); a review is looked up
within her booth, so another booth's review is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from marketplace.forms import error_text
from sellers.models import Delegation
from sellers.panel.views import PanelMixin

from . import services
from .forms import ReplyForm
from .models import Review


class ReviewPage(PanelMixin, View):
    panel_area = Delegation.Area.INBOX


class ReviewListView(ReviewPage):
    def get(self, request, seller_id: int):
        return render(
            request,
            "orders/reviews/panel_reviews.html",
            {
                "seller": self.seller,
                "membership": self.membership,
                "reviews": list(services.reviews_for_booth(self.seller)[:200]),
                "rating": services.booth_rating(self.seller.pk),
                "form": ReplyForm(),
            },
        )


class ReviewReplyView(ReviewPage):
    http_method_names = ["post"]

    def post(self, request, seller_id: int, review_id: int):
        review = Review.objects.filter(pk=review_id, seller=self.seller).first()
        if review is None:
            raise Http404
        form = ReplyForm(request.POST)
        if not form.is_valid():
            messages.error(request, error_text(form.errors.as_data()["text"][0]))
        else:
            try:
                services.review_reply(
                    review=review,
                    seller=self.seller,
                    user=request.user,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, "پاسخ شما منتشر شد.")
        return redirect("orders_panel:reviews", seller_id=self.seller.pk)
