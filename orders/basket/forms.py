"""Oscar's basket forms, with the caps of `orders.limits` and what its basket
page lacks for a screen reader.

Oscar's add view (`/basket/add/<id>/`) and its line formset read these classes
(Oscar's `get_class` finds the fork first): neither may put more in a line or a
basket than `orders.limits` allows, whatever number is posted.
"""

from django import forms
from oscar.apps.basket import forms as oscar_forms

from orders.limits import basket_line_refusal


class BasketLineForm(oscar_forms.BasketLineForm):
    def __init__(self, strategy, *args, **kwargs):
        super().__init__(strategy, *args, **kwargs)
        self.fields["quantity"].widget.attrs.setdefault("aria-label", "تعداد")

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"] or 0
        if quantity > 0:
            line = self.instance
            refusal = basket_line_refusal(
                basket=line.basket,
                product=line.product,
                stockrecord=line.stockrecord,
                quantity=quantity,
            )
            if refusal:
                raise forms.ValidationError(refusal)
        return super().clean_quantity()


class AddToBasketForm(oscar_forms.AddToBasketForm):
    def clean(self):
        cleaned = super().clean()
        quantity = cleaned.get("quantity")
        if quantity:
            info = self.basket.strategy.fetch_for_product(self.product)
            refusal = basket_line_refusal(
                basket=self.basket,
                product=self.product,
                stockrecord=info.stockrecord,
                quantity=self.basket.product_quantity(self.product) + quantity,
            )
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned


class SimpleAddToBasketForm(oscar_forms.SimpleAddToBasketMixin, AddToBasketForm):
    pass
