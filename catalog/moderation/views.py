"""The staff review queue of sellers' first listings, and of buyers' reviews
held for labelling words or contact details (`orders.reviews.services`).

Staff approve a waiting product, or send it back with a coaching note (required)
that reaches the seller's panel. Access: `catalog.services.can_moderate_products`
(staff with `sellers.review_seller` or `catalogue.change_product`); anonymous
users are sent to log in, everyone else gets 403. Never cached, never indexed
(the staff base view). The queue runs a fixed number of queries whatever its
length.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from marketplace.forms import error_text
from marketplace.staff import StaffPage
from orders.reviews import services as review_services
from orders.reviews.forms import ReviewDecisionForm
from orders.reviews.models import Review
from sellers.partner.models import StockRecord

from .. import photos, services
from ..models import Product, ProductCategory, ProductImage

PAGE_SIZE = 25


def product_moderation_queue() -> QuerySet[Product]:
    """Products waiting for review, oldest first, with their booth, the member who
    listed them, category name and photos: 4 queries with the paginator's count
    (count, products with member and category name, stock records with partner
    and seller, images)."""
    first_category = ProductCategory.objects.filter(product=OuterRef("pk")).order_by(
        "pk"
    )
    return (
        Product.objects.filter(
            moderation_status=Product.Moderation.PENDING, deleted_at__isnull=True
        )
        .select_related("created_by", "product_class")
        .annotate(category_name=Subquery(first_category.values("category__name")[:1]))
        .prefetch_related(
            Prefetch(
                "stockrecords",
                queryset=StockRecord.objects.select_related("partner__seller"),
            ),
            Prefetch(
                "images",
                queryset=ProductImage.objects.order_by("display_order", "id"),
            ),
        )
        .order_by("date_created", "id")
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "تأیید"), ("return", "برگشت برای اصلاح")]
    )
    note = forms.CharField(
        label="یادداشت راهنمایی برای فروشنده",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ModerationStaffView(StaffPage):
    permission_check = staticmethod(services.can_moderate_products)


class ModerationQueueView(ModerationStaffView):
    template_name = "catalog/moderation/queue.html"

    def get(self, request, *args, **kwargs):
        page = Paginator(product_moderation_queue(), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        items = []
        for product in page.object_list:
            record = next(iter(product.stockrecords.all()), None)
            items.append(
                {
                    "product": product,
                    "record": record,
                    "seller": getattr(record.partner, "seller", None)
                    if record
                    else None,
                    "photos": [
                        {"image": image, "url": photos.photo_url(image, "list")}
                        for image in product.images.all()
                    ],
                }
            )
        return render(
            request,
            self.template_name,
            {
                "page_obj": page,
                "items": items,
                "query_without_page": "",
                "form": DecisionForm(),
                # buyers' reviews held for labelling words or contact details
                "held_reviews": list(review_services.reviews_held()[:PAGE_SIZE]),
            },
        )


class ModerationDecideView(ModerationStaffView):
    """POST only: approve, or send back with a note."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        product = get_object_or_404(Product, pk=kwargs["product_id"])
        back = HttpResponseRedirect(reverse("moderation:queue"))
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "تصمیم نامعتبر است.")
            return back
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.product_moderate(
                product=product,
                actor=request.user,
                approve=approve,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(
                request, f"«{product.title}» تغییر نکرد: {error_text(error)}"
            )
        else:
            messages.success(
                request,
                f"«{product.title}» تأیید شد."
                if approve
                else f"«{product.title}» با یادداشت شما به فروشنده برگشت.",
            )
        return back


class ReviewDecideView(ModerationStaffView):
    """POST only: publish or reject a held review from a buyer."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        review = get_object_or_404(Review, pk=kwargs["review_id"])
        form = ReviewDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "تصمیم نامعتبر است.")
        else:
            publish = form.cleaned_data["decision"] == "publish"
            try:
                review_services.review_moderate(
                    review=review, actor=request.user, publish=publish
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, "نظر منتشر شد." if publish else "نظر رد شد.")
        return HttpResponseRedirect(reverse("moderation:queue") + "#held-reviews")
