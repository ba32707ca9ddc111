"""Iran's 31 provinces, from the fixture the project ships
(`sellers/fixtures/provinces.json`, ISO 3166-2:IR codes)."""

from __future__ import annotations

import json
from pathlib import Path

from django import forms

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "provinces.json"


def province_rows() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def provinces_ensure() -> None:
    """Load any province missing (the data migration loads them all; a database
    emptied by a transactional test, or restored without them, gets them back)."""
    from .models import Province

    rows = province_rows()
    if Province.objects.count() >= len(rows):
        return
    for row in rows:
        Province.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "capital": row["capital"]}
        )


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
        from .selectors import province_list

        return [("", self.empty_label)] + [(p.pk, p.name) for p in province_list()]

    def to_python(self, value):
        from .selectors import province_by_pk

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
