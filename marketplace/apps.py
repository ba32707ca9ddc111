from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    """Project-wide pieces: Persian formatting, the storefront context, health checks."""

    name = "marketplace"
    verbose_name = "دستاورد"

    def ready(self):
        from django.core.signals import request_finished
        from django.db.models.signals import post_save

        from . import checks  # noqa: F401  (registers the deploy check)
        from .metrics import orders_placed_count
        from .request_id import request_id_unbind

        # Counted from the row, so an "already placed" click is not a new order.
        post_save.connect(
            orders_placed_count, sender="order.Order", dispatch_uid="orders_placed"
        )
        request_finished.connect(request_id_unbind, dispatch_uid="request_id_unbind")
