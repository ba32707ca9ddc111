import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    """Fork of Oscar's order app (label `order`). Per-seller sub-orders and their
    routing, fulfilment and refunds live here."""

    name = "orders"
