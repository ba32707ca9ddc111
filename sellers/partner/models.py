import datetime as dt

from django.db import models
from django.utils import timezone
from oscar.apps.partner.abstract_models import AbstractStockRecord

from marketplace.bulk_writes import SignallingQuerySet


class StockRecord(AbstractStockRecord):
    """Oscar's stock record, whose bulk writes send `rows_written`: Oscar
    allocates and consumes stock with `objects.filter(pk=…).update(…)`, which
    sends no `post_save`, and a product page shows its stock
    (catalog.receivers keeps the caches true)."""

    objects = SignallingQuerySet.as_manager()

    # Units held for bazaars (`sellers.BazaarSetAside`), as of the last change,
    # and the last day they are held (the latest last day of those bazaars).
    # Written only by `sellers.services.bazaars`, under this row's lock.
    num_set_aside = models.PositiveIntegerField(default=0)
    set_aside_until = models.DateField(null=True, blank=True)

    class Meta(AbstractStockRecord.Meta):
        pass

    def held_for_bazaars(self, day: dt.date | None = None) -> int:
        """Units set aside for bazaars and not sold online on `day`: held until
        the bazaar's last day, back online the day after (with no job to run)."""
        if not self.num_set_aside or self.set_aside_until is None:
            return 0
        day = day or timezone.localdate()
        return self.num_set_aside if day <= self.set_aside_until else 0

    @property
    def net_stock_level(self) -> int:
        """What can be sold online: in stock, less allocated to orders, less
        held for a bazaar. Oscar's availability (the strategy) reads this."""
        return super().net_stock_level - self.held_for_bazaars()


from oscar.apps.partner.models import *  # noqa: E402,F403
