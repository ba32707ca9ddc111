import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    """Fork of Oscar's order app (label `order`). Per-seller sub-orders and their
    routing, fulfilment and refunds live here."""

    name = "orders"

    def ready(self):
        super().ready()
        from marketplace.accounts.services import register_known_number_check

        from .selectors import phone_has_orders

        # Buyers with orders keep getting login codes when SMS run short.
        register_known_number_check(phone_has_orders)
