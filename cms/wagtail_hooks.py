"""The Wagtail admin's additions for the pages: the booth, product and bazaar
choosers (cms/choosers.py)."""

from wagtail import hooks

from cms.choosers import (
    bazaar_chooser_viewset,
    booth_chooser_viewset,
    product_chooser_viewset,
)


@hooks.register("register_admin_viewset")
def register_choosers():
    return [booth_chooser_viewset, product_chooser_viewset, bazaar_chooser_viewset]
