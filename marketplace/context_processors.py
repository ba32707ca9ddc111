from django.utils.functional import SimpleLazyObject

from catalog.selectors import category_menu
from orders.basket.header import basket_items_for_header


def storefront(request):
    """What the header needs on every page: the category menu (cached, no query)."""
    return {"category_menu": category_menu}


def basket_count(request):
    """The header's basket count, counted only where a template reads it, in one
    query at most (`orders.basket.header`)."""
    return {"basket_count": SimpleLazyObject(lambda: basket_items_for_header(request))}


def notifications(request):
    """Oscar's unread-notification count, counted only where a template reads it.

    Oscar's own context processor runs its COUNT on every page of a signed-in
    user; only Oscar's account menu shows it, and our layout does not.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from oscar.core.loading import get_model

        Notification = get_model("communication", "Notification")
        return Notification.objects.filter(recipient=user, date_read=None).count()

    return {"num_unread_notifications": SimpleLazyObject(count)}
