from django.db.models import Sum
from oscar.apps.basket.abstract_models import AbstractBasket

from orders.limits import line_quantity_max


class Basket(AbstractBasket):
    @property
    def num_items(self):
        """Oscar's, without building a query for a basket never saved: the header
        asks it on every page, and most visitors have no basket yet. When the
        lines are not loaded (every page but the basket), one sum instead of
        loading them with their products, stock records and booths (Oscar's
        middleware may have built the lines' queryset for a COUNT without
        loading it)."""
        if self.id is None:
            return 0
        if self._lines is None or getattr(self._lines, "_result_cache", ()) is None:
            return self.lines.aggregate(n=Sum("quantity"))["n"] or 0
        return super().num_items

    def all_lines(self):
        """The basket's lines, cached, with product class and stock record (and its
        booth) loaded with them: one query.

        Oscar's version leaves the product class and the stock records to be
        fetched line by line (by the strategy and the basket template), and
        prefetches the lines' options and the products' photos and stock
        records, which none of our pages read: a line's price and availability
        come from its own stock record, and lines have no options here."""
        if self.id is None:
            return self.lines.model.objects.none()
        if self._lines is None:
            self._lines = self.lines.select_related(
                "product__product_class",
                "stockrecord__partner__seller__province",
                "stockrecord__partner__seller__centre",
            ).order_by(self._meta.pk.name)
        return self._lines

    def merge_line(self, line, add_quantities=True):
        """Oscar's (the merge of a guest basket at login, and saved baskets), with
        the merged line kept within the line cap (`orders.limits`): two baskets
        each within it could add up beyond it. The order total is checked
        again at placement."""
        super().merge_line(line, add_quantities)
        cap = line_quantity_max()
        for merged in self.lines.filter(
            line_reference=line.line_reference, quantity__gt=cap
        ):
            merged.quantity = cap
            merged.save(update_fields=["quantity"])  # drops the header's count

    merge_line.alters_data = True


from oscar.apps.basket.models import *  # noqa: E402,F403
