"""Choosers of the Wagtail admin for what the pages point at outside Wagtail:
booths, products and bazaars (Wagtail's own ChooserViewSet; no add-on).

Registering them (cms/wagtail_hooks.py) makes every ForeignKey to these models
in a page's panels use the chooser, and `*_chooser_block` puts them in blocks.
Each lists only what a page may show: approved booths, live products (the
public selectors), and bazaars. A search box filters by name.
"""

from django import forms
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from catalog.selectors import product_list_public
from sellers.models import Bazaar
from sellers.selectors import seller_list_public


def _name_filter_form(field: str) -> type[BaseFilterForm]:
    """A search box that filters the chooser's list by `field` (these models
    are not in Wagtail's search index)."""

    class NameFilterForm(BaseFilterForm):
        q = forms.CharField(
            label="جست‌وجو",
            required=False,
            widget=forms.TextInput(attrs={"placeholder": "جست‌وجو"}),
        )

        def filter(self, objects):
            query = (self.cleaned_data.get("q") or "").strip()
            if query:
                self.is_searching, self.search_query = True, query
                objects = objects.filter(**{f"{field}__icontains": query})
            return objects

    return NameFilterForm


class NameSearchChooserViewSet(ChooserViewSet):
    """A chooser whose search box filters by `search_field`."""

    search_field = "name"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form = _name_filter_form(self.search_field)
        self.choose_view_class = type(
            "ChooseView", (chooser_views.ChooseView,), {"filter_form_class": form}
        )
        self.choose_results_view_class = type(
            "ChooseResultsView",
            (chooser_views.ChooseResultsView,),
            {"filter_form_class": form},
        )


class BoothChooserViewSet(NameSearchChooserViewSet):
    model = "sellers.Seller"
    search_field = "brand_name"
    icon = "group"
    choose_one_text = "انتخاب غرفه"
    choose_another_text = "انتخاب غرفهٔ دیگر"
    edit_item_text = "ویرایش"

    def get_object_list(self):
        return seller_list_public().order_by("brand_name")


class ProductChooserViewSet(NameSearchChooserViewSet):
    model = "catalogue.Product"
    search_field = "title"
    icon = "tag"
    choose_one_text = "انتخاب محصول"
    choose_another_text = "انتخاب محصول دیگر"
    edit_item_text = "ویرایش"

    def get_object_list(self):
        return product_list_public().prefetch_related(None).order_by("-date_created")


class BazaarChooserViewSet(NameSearchChooserViewSet):
    model = Bazaar
    icon = "date"
    choose_one_text = "انتخاب بازارچه"
    choose_another_text = "انتخاب بازارچهٔ دیگر"
    edit_item_text = "ویرایش"

    def get_object_list(self):
        return Bazaar.objects.select_related("district")


booth_chooser_viewset = BoothChooserViewSet("booth_chooser")
product_chooser_viewset = ProductChooserViewSet("product_chooser")
bazaar_chooser_viewset = BazaarChooserViewSet("bazaar_chooser")
