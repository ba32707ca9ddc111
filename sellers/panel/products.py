"""The seller's product pages: list, add, edit, photos, and the pause / unpause /
duplicate / delete buttons.

Every view resolves the seller through `sellers.permissions.membership_for`
(404 for a non-member) and, when the URL names a product, the product through
`catalog.seller_selectors.product_for_seller` (404 if it is another booth's, or deleted) before
anything else, so another booth's product id is a 404 for GET and POST alike.
Changes go through `catalog.services`, which check the permission again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from catalog import photos, services
from catalog.models import Product, ProductImage
from catalog.seller_selectors import product_for_seller, product_page_for_seller
from marketplace.forms import add_service_errors
from marketplace.persian import to_latin_digits

from ..models import Delegation
from .product_forms import ProductForm
from .views import PanelMixin

PAGE_SIZE = 20


class ProductPanelMixin(PanelMixin):
    """`self.membership`, `self.seller` and, when the URL names one,
    `self.product`: hers and not deleted, or 404."""

    panel_area = Delegation.Area.PRODUCTS
    product: Product | None = None

    def resolve(self, **kwargs) -> None:
        if "product_id" in kwargs:
            self.product = product_for_seller(
                seller=self.seller, product_id=kwargs["product_id"]
            )
            if self.product is None:
                raise Http404("محصول پیدا نشد")

    def list_url(self):
        return redirect("catalog_panel:product_list", seller_id=self.seller.pk)


def _photo_rows(product: Product) -> list[dict]:
    return [
        {"image": image, "url": photos.photo_url(image, "small"), "position": index + 1}
        for index, image in enumerate(product.images.all())
    ]


class ProductListView(ProductPanelMixin, TemplateView):
    """Her products, newest first, 20 a page, with state and who listed each.
    A fixed number of queries whatever the page size."""

    template_name = "catalog/panel/product_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = product_page_for_seller(
            seller=self.seller, page=self.request.GET.get("page"), per_page=PAGE_SIZE
        )
        rows = []
        for product in page.object_list:
            images = list(product.images.all())
            rows.append(
                {
                    "product": product,
                    "record": next(iter(product.stockrecords.all()), None),
                    "thumb_url": photos.photo_url(images[0], "small")
                    if images
                    else None,
                    "photo_count": len(images),
                    # Every photo that could not be processed, with its reason:
                    # she must not have to open each product to find them.
                    "failed_photos": [
                        image
                        for image in images
                        if image.state == ProductImage.State.FAILED
                    ],
                    "can_delete": services.can_delete_product(
                        membership=self.membership, product=product
                    ),
                }
            )
        context.update(page_obj=page, rows=rows, query_without_page="")
        return context


class ProductFormView(ProductPanelMixin, TemplateView):
    template_name = "catalog/panel/product_form.html"

    def existing_photos(self) -> int:
        return len(self.product.images.all()) if self.product else 0

    def get_form(self, data=None, files=None):
        initial = ProductForm.initial_for(self.product) if self.product else None
        return ProductForm(
            data, files, initial=initial, existing_photos=self.existing_photos()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context["product"] = self.product
        context["photos"] = _photo_rows(self.product) if self.product else []
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                product = self.save(form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if product.moderation_status == Product.Moderation.PENDING:
                    messages.success(
                        request,
                        "ذخیره شد. کارشناس به‌زودی آن را می‌بیند و پس از تأیید برای "
                        "خریداران نمایش داده می‌شود.",
                    )
                else:
                    messages.success(request, "محصول ذخیره شد.")
                return self.list_url()
        return self.render_to_response(self.get_context_data(form=form), status=200)


class ProductCreateView(ProductFormView):
    def save(self, form):
        return services.product_create(
            seller=self.seller,
            actor=self.request.user,
            data=form.to_data(),
            photos=form.cleaned_data.get("photos") or [],
        )


class ProductUpdateView(ProductFormView):
    def save(self, form):
        return services.product_update(
            product=self.product,
            actor=self.request.user,
            data=form.to_data(),
            photos=form.cleaned_data.get("photos") or [],
        )


class ProductActionView(ProductPanelMixin, View):
    """POST only: pause, unpause, duplicate or delete (soft) one product."""

    http_method_names = ["post"]
    action = ""
    DONE = {
        "pause": "محصول متوقف شد و فعلاً به خریداران نشان داده نمی‌شود.",
        "unpause": "محصول دوباره فعال شد.",
        "duplicate": "یک نسخهٔ کپی ساخته شد (متوقف). آن را ویرایش و سپس فعال کنید.",
        "delete": "محصول حذف شد.",
    }

    def post(self, request, *args, **kwargs):
        service = {
            "pause": services.product_pause,
            "unpause": services.product_unpause,
            "duplicate": services.product_duplicate,
            "delete": services.product_delete,
        }[self.action]
        service(product=self.product, actor=request.user)
        messages.success(request, self.DONE[self.action])
        return self.list_url()


def _int_or_none(value) -> int | None:
    try:
        return int(to_latin_digits(str(value)).strip())
    except (TypeError, ValueError):
        return None


class ProductPhotosView(ProductPanelMixin, TemplateView):
    """Reorder and remove photos without JavaScript: a number box per photo
    (1 = the main photo) and a remove tick box."""

    template_name = "catalog/panel/product_photos.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(product=self.product, photos=_photo_rows(self.product))
        return context

    def post(self, request, *args, **kwargs):
        positions, remove = {}, set()
        for image in self.product.images.all():
            number = _int_or_none(request.POST.get(f"position-{image.pk}"))
            if number is not None:
                positions[image.pk] = number
            if request.POST.get(f"remove-{image.pk}"):
                remove.add(image.pk)
        services.product_photos_arrange(
            product=self.product,
            actor=request.user,
            positions=positions,
            remove=remove,
        )
        messages.success(request, "عکس‌ها ذخیره شد.")
        return redirect(
            "catalog_panel:product_photos",
            seller_id=self.seller.pk,
            product_id=self.product.pk,
        )
