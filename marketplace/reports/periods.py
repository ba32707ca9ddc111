"""Report periods on the Jalali calendar: a month, a season, a year, or from one
day to another, each starting and ending at Tehran midnight, and the same
period a year earlier for the comparison column."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from marketplace.forms import jalali_to_gregorian
from marketplace.persian import JALALI_MONTHS, to_jalali, to_persian_digits

TEHRAN = ZoneInfo("Asia/Tehran")
SEASONS = ("بهار", "تابستان", "پاییز", "زمستان")
KINDS = ("month", "season", "year", "range")


def _jalali_day(year: int, month: int, day: int) -> dt.date:
    """A Jalali day, the last of its month when `day` is past it (30 Esfand
    in a common year is 29 Esfand)."""
    for candidate in range(day, 28, -1):
        try:
            return jalali_to_gregorian(year, month, candidate)
        except ValueError:
            continue
    return jalali_to_gregorian(year, month, min(day, 29))


def _month_start(year: int, month: int) -> dt.date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return jalali_to_gregorian(year, month, 1)


def tehran_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=TEHRAN)


@dataclass(frozen=True)
class Period:
    """[first, end): Gregorian days, `end` excluded; `label` in Persian."""

    kind: str
    first: dt.date
    end: dt.date
    label: str

    @property
    def start_at(self) -> dt.datetime:
        return tehran_midnight(self.first)

    @property
    def end_at(self) -> dt.datetime:
        return tehran_midnight(self.end)

    @property
    def last(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def year_earlier(self) -> Period:
        """The same Jalali period one Jalali year before."""
        first, last = to_jalali(self.first), to_jalali(self.last)
        if self.kind == "range":
            return period_range(
                _jalali_day(first.year - 1, first.month, first.day),
                _jalali_day(last.year - 1, last.month, last.day),
            )
        if self.kind == "month":
            return period_month(first.year - 1, first.month)
        if self.kind == "season":
            return period_season(first.year - 1, (first.month - 1) // 3 + 1)
        return period_year(first.year - 1)


def period_month(year: int, month: int) -> Period:
    label = f"{JALALI_MONTHS[month - 1]} {to_persian_digits(year)}"
    return Period(
        "month", _month_start(year, month), _month_start(year, month + 1), label
    )


def period_season(year: int, season: int) -> Period:
    first_month = (season - 1) * 3 + 1
    label = f"{SEASONS[season - 1]} {to_persian_digits(year)}"
    return Period(
        "season",
        _month_start(year, first_month),
        _month_start(year, first_month + 3),
        label,
    )


def period_year(year: int) -> Period:
    return Period(
        "year",
        _month_start(year, 1),
        _month_start(year + 1, 1),
        f"سال {to_persian_digits(year)}",
    )


def period_range(first: dt.date, last: dt.date) -> Period:
    """From `first` through `last`, both included."""
    from marketplace.persian import format_jalali

    return Period(
        "range",
        first,
        last + dt.timedelta(days=1),
        f"{format_jalali(first)} تا {format_jalali(last)}",
    )


def period_this_month(today: dt.date) -> Period:
    jtoday = to_jalali(today)
    return period_month(jtoday.year, jtoday.month)


def month_starts(period: Period) -> list[Period]:
    """The Jalali months the period touches, each cut to the period (a chart's
    x axis)."""
    jfirst = to_jalali(period.first)
    months, year, month = [], jfirst.year, jfirst.month
    while True:
        whole = period_month(year, month)
        if whole.first >= period.end:
            return months
        months.append(
            Period(
                "month",
                max(whole.first, period.first),
                min(whole.end, period.end),
                whole.label,
            )
        )
        year, month = year + month // 12, month % 12 + 1
