"""Wagtail admin: a menu item that takes programme staff to the seller approval
queue (shown only to staff who may review sellers)."""

from django.urls import reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import permissions


class SellerQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_review_sellers(request.user)


@hooks.register("register_admin_menu_item")
def register_seller_queue_menu_item():
    return SellerQueueMenuItem(
        "صف تأیید فروشندگان",
        reverse_lazy("sellers_staff:queue"),
        name="seller-approval-queue",
        icon_name="group",
        order=250,
    )
