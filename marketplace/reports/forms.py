"""The report filters (a GET form): a Jalali period (month, season, year, or
from one day to another), province, Tehran district, Kowsar centre, programme,
individual or group. Whatever is typed, the form answers with a Persian
message, never an error page."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from marketplace.forms import DISTRICT_CHOICES, PersianDateField, PersianIntegerField
from marketplace.persian import JALALI_MONTHS, to_jalali, to_persian_digits
from sellers.models import KowsarCentre, Programme, Province, Seller

from .periods import (
    SEASONS,
    period_month,
    period_range,
    period_season,
    period_year,
)
from .queries import ReportFilter

PERIOD_KINDS = [
    ("month", "ماه"),
    ("season", "فصل"),
    ("year", "سال"),
    ("range", "از تاریخ تا تاریخ"),
]
#: The longest from–to period (the comparison doubles it).
MAX_RANGE_DAYS = 5 * 366


class ReportFilterForm(forms.Form):
    period = forms.ChoiceField(label="دوره", choices=PERIOD_KINDS, required=False)
    year = PersianIntegerField(
        label="سال", required=False, min_value=1390, max_value=1500
    )
    month = forms.TypedChoiceField(
        label="ماه",
        choices=[
            ("", "این ماه"),
            *((str(i), name) for i, name in enumerate(JALALI_MONTHS, start=1)),
        ],
        coerce=int,
        required=False,
        empty_value=None,
    )
    season = forms.TypedChoiceField(
        label="فصل",
        choices=[
            ("", "این فصل"),
            *((str(i), name) for i, name in enumerate(SEASONS, start=1)),
        ],
        coerce=int,
        required=False,
    )
    first = PersianDateField(label="از", required=False)
    last = PersianDateField(label="تا", required=False)
    province = forms.ModelChoiceField(
        label="استان",
        queryset=Province.objects.all(),
        required=False,
        empty_label="همهٔ استان‌ها",
    )
    district = forms.TypedChoiceField(
        label="منطقهٔ تهران", choices=DISTRICT_CHOICES, coerce=int, required=False
    )
    centre = forms.ModelChoiceField(
        label="مرکز کوثر",
        queryset=KowsarCentre.objects.select_related("district"),
        required=False,
        empty_label="همهٔ مراکز",
    )
    programme = forms.ModelChoiceField(
        label="برنامه",
        queryset=Programme.objects.all(),
        required=False,
        empty_label="همهٔ برنامه‌ها",
    )
    kind = forms.ChoiceField(
        label="فردی یا گروهی",
        choices=[("", "همه"), *Seller.Kind.choices],
        required=False,
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        jtoday = to_jalali(today or timezone.localdate())
        self.jtoday = jtoday
        self.fields["year"].widget.attrs["placeholder"] = to_persian_digits(jtoday.year)

    def clean(self):
        data = super().clean()
        kind = data.get("period") or "month"
        year = data.get("year") or self.jtoday.year
        if kind == "range":
            first, last = data.get("first"), data.get("last")
            if not first or not last:
                raise forms.ValidationError("روز آغاز و پایان دوره را بنویسید.")
            if last < first:
                raise forms.ValidationError("روز پایان پیش از روز آغاز است.")
            if (last - first).days > MAX_RANGE_DAYS:
                raise forms.ValidationError("دوره بیش از پنج سال است.")
            data["period_obj"] = period_range(first, last)
        elif kind == "season":
            season = data.get("season") or (self.jtoday.month - 1) // 3 + 1
            data["period_obj"] = period_season(year, season)
        elif kind == "year":
            data["period_obj"] = period_year(year)
        else:
            data["period_obj"] = period_month(
                year, data.get("month") or self.jtoday.month
            )
        return data

    def report_filter(self) -> ReportFilter:
        """The filter of a valid form (this month, unfiltered, otherwise)."""
        if not self.is_valid():
            return ReportFilter(
                period=period_month(self.jtoday.year, self.jtoday.month)
            )
        data = self.cleaned_data
        return ReportFilter(
            period=data["period_obj"],
            province_id=data["province"].pk if data.get("province") else None,
            district=data.get("district") or None,
            centre_id=data["centre"].pk if data.get("centre") else None,
            programme_id=data["programme"].pk if data.get("programme") else None,
            kind=data.get("kind") or None,
        )

    def described(self, report: ReportFilter) -> list[tuple[str, str]]:
        """The filters in words, for the page and the first rows of an export."""
        data = self.cleaned_data if self.is_valid() else {}
        rows = [("دوره", report.period.label)]
        for name in ("province", "district", "centre", "programme", "kind"):
            value = data.get(name)
            if value in (None, ""):
                continue
            field = self.fields[name]
            if name == "district":
                text = f"منطقه {to_persian_digits(value)}"
            elif name == "kind":
                text = dict(Seller.Kind.choices)[value]
            else:
                text = str(value)
            rows.append((str(field.label), text))
        rows.append(("مقایسه با", report.period.year_earlier().label))
        return rows
