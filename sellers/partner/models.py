from oscar.apps.partner.abstract_models import AbstractStockRecord

from marketplace.bulk_writes import SignallingQuerySet


class StockRecord(AbstractStockRecord):
    """Oscar's stock record, whose bulk writes send `rows_written`: Oscar
    allocates and consumes stock with `objects.filter(pk=…).update(…)`, which
    sends no `post_save`, and a product page shows its stock
    (catalog.receivers keeps the caches true)."""

    objects = SignallingQuerySet.as_manager()

    class Meta(AbstractStockRecord.Meta):
        pass


from oscar.apps.partner.models import *  # noqa: E402,F403
