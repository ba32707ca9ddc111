"""Oscar's basket forms, with what its basket page lacks for a screen reader.

Oscar's basket template renders the quantity field without its <label>; the
field names itself instead. (The orders work replaces this page with our own.)
"""

from oscar.apps.basket import forms as oscar_forms


class BasketLineForm(oscar_forms.BasketLineForm):
    def __init__(self, strategy, *args, **kwargs):
        super().__init__(strategy, *args, **kwargs)
        self.fields["quantity"].widget.attrs.setdefault("aria-label", "تعداد")
