"""The seller's product form: Persian labels and messages, made for a phone."""

from __future__ import annotations

from django import forms

from catalog import photos as photo_pipeline
from catalog.models import Category, Product
from catalog.seller_selectors import category_choices
from catalog.services import (
    DESCRIPTION_MAX,
    MATERIALS_MAX,
    MAX_PHOTOS,
    MAX_PREPARATION_DAYS,
    MAX_PRICE_RIALS,
    MAX_STOCK,
    MAX_WEIGHT_GRAMS,
    PRICE_TOO_HIGH,
    TITLE_MAX,
    ProductData,
)
from marketplace.forms import PersianIntegerField, TomanField
from marketplace.persian import format_toman, to_persian_digits

F = Product.Fulfilment


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one `<input type=file multiple>` (Django's documented
    pattern); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProductForm(forms.Form):
    """Title, description, category, price in toman, stock or made-to-order with
    preparation days, materials, shipping weight and photos (8 in all at most,
    each checked by the photo pipeline before anything is saved)."""

    title = forms.CharField(label="نام محصول", max_length=TITLE_MAX)
    description = forms.CharField(
        label="توضیح",
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="اندازه، رنگ، نحوهٔ نگهداری و هر چه خریدار باید بداند.",
    )
    category = forms.TypedChoiceField(label="دسته", coerce=int, empty_value=None)
    price = TomanField(
        label="قیمت (تومان)",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
        help_text="مثلاً ۱۵۰٬۰۰۰",
    )
    fulfilment = forms.ChoiceField(
        label="آماده است یا پس از سفارش ساخته می‌شود؟",
        choices=F.choices,
        initial=F.READY,
        widget=forms.RadioSelect,
    )
    num_in_stock = PersianIntegerField(
        label="تعداد موجود", required=False, min_value=0, max_value=MAX_STOCK
    )
    preparation_days = PersianIntegerField(
        label="چند روز برای ساختن لازم است؟",
        required=False,
        min_value=1,
        max_value=MAX_PREPARATION_DAYS,
    )
    materials = forms.CharField(
        label="مواد و جنس",
        max_length=MATERIALS_MAX,
        required=False,
        help_text="مثلاً چرم طبیعی گاوی، نخ ابریشم",
    )
    shipping_weight_grams = PersianIntegerField(
        label="وزن بسته (گرم)",
        required=False,
        min_value=1,
        max_value=MAX_WEIGHT_GRAMS,
    )
    photos = MultipleFileField(
        label="عکس‌ها",
        required=False,
        help_text=f"تا {to_persian_digits(MAX_PHOTOS)} عکس؛ اولین عکس، عکس اصلی است.",
    )

    def __init__(self, *args, existing_photos: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_photos = existing_photos
        self.fields["category"].choices = [("", "انتخاب دسته…"), *category_choices()]
        if existing_photos:
            left = max(MAX_PHOTOS - existing_photos, 0)
            self.fields["photos"].help_text = (
                f"این محصول {to_persian_digits(existing_photos)} عکس دارد؛ "
                f"{to_persian_digits(left)} عکس دیگر می‌توانید اضافه کنید."
            )

    @classmethod
    def initial_for(cls, product: Product) -> dict:
        record = next(iter(product.stockrecords.all()), None)
        category = next(iter(product.categories.all()), None)
        return {
            "title": product.title,
            "description": product.description,
            "category": category.pk if category else None,
            "price": format_toman(record.price, unit=False) if record else None,
            "fulfilment": product.fulfilment,
            "num_in_stock": record.num_in_stock if record else None,
            "preparation_days": product.preparation_days,
            "materials": product.materials,
            "shipping_weight_grams": product.shipping_weight_grams,
        }

    def clean_price(self):
        price = self.cleaned_data.get("price")
        if price is not None and not 0 < price:
            raise forms.ValidationError("قیمت باید بیشتر از صفر باشد.")
        if price is not None and price > MAX_PRICE_RIALS:
            raise forms.ValidationError(
                PRICE_TOO_HIGH.format(max=format_toman(MAX_PRICE_RIALS))
            )
        return price

    def clean_category(self):
        pk = self.cleaned_data.get("category")
        category = Category.objects.browsable().filter(pk=pk).first() if pk else None
        if category is None:
            raise forms.ValidationError("دسته را انتخاب کنید.")
        return category

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if not photos:
            return []
        if self.existing_photos + len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(
                f"هر محصول حداکثر {to_persian_digits(MAX_PHOTOS)} عکس دارد."
            )
        messages = []
        for uploaded_file in photos:
            try:
                photo_pipeline.photo_check_upload(uploaded_file)
            except photo_pipeline.PhotoRejected as rejected:
                messages.append(f"«{uploaded_file.name}»: {rejected.message}")
        if messages:
            raise forms.ValidationError(messages)
        return photos

    def clean(self):
        data = super().clean()
        fulfilment = data.get("fulfilment")
        if fulfilment == F.READY and data.get("num_in_stock") is None:
            if "num_in_stock" not in self.errors:
                self.add_error("num_in_stock", "تعداد موجود را بنویسید.")
        if fulfilment == F.MADE_TO_ORDER and data.get("preparation_days") is None:
            if "preparation_days" not in self.errors:
                self.add_error(
                    "preparation_days", "بنویسید ساختن آن چند روز طول می‌کشد."
                )
        return data

    def to_data(self) -> ProductData:
        data = self.cleaned_data
        made_to_order = data["fulfilment"] == F.MADE_TO_ORDER
        return ProductData(
            title=data["title"],
            description=data["description"],
            category=data["category"],
            price_rials=data["price"],
            fulfilment=data["fulfilment"],
            num_in_stock=None if made_to_order else data.get("num_in_stock"),
            preparation_days=data.get("preparation_days") if made_to_order else None,
            materials=data.get("materials") or "",
            shipping_weight_grams=data.get("shipping_weight_grams"),
        )
