"""Form fields about sellers that more than one audience's forms use (web layer:
the checkout's address and the booth's panel both ask for a province)."""

from __future__ import annotations

from django import forms

from sellers.selectors import province_by_pk, province_list


class ProvinceField(forms.ChoiceField):
    """A province chosen from a list, cleaned to its `Province`.

    Like a `ModelChoiceField` over the provinces, but read from the cached list
    (`sellers.selectors.province_list`) so a form that shows or checks one costs
    no query.
    """

    def __init__(self, *, empty_label: str, **kwargs):
        self.empty_label = empty_label
        super().__init__(choices=self._province_choices, **kwargs)

    def _province_choices(self):
        return [("", self.empty_label)] + [(p.pk, p.name) for p in province_list()]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        province = province_by_pk(value)
        if province is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return province

    def validate(self, value):
        forms.Field.validate(self, value)

    def prepare_value(self, value):
        return getattr(value, "pk", value)
