import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    """Fork of Oscar's basket (label `basket`). Our change: the basket loads its
    lines with everything the basket page and the strategy read, so the page runs
    a constant number of queries however many lines it has; offers are applied
    only while one exists (`orders.basket.offers`)."""

    name = "orders.basket"

    def ready(self):
        super().ready()
        from . import receivers  # noqa: F401
