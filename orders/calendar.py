"""Working days and Iranian weeks, from the `holidays` package (its `IR` calendar
follows the official Solar Hijri and lunar holidays), never from a typed list.

- The Iranian week starts on Saturday; Friday is the weekend.
- A preparation day is a working day: not a Friday, not a public holiday.
- The booth's time to accept an order counts working hours only: the hours of
  Fridays and public holidays (in Tehran's time) do not run.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.utils import timezone

SATURDAY = 5  # date.weekday()
FRIDAY = 4


@lru_cache(maxsize=8)
def _iran_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("IR", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    """Not a Friday and not an Iranian public holiday."""
    return day.weekday() != FRIDAY and day not in _iran_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (the day of the order is not
    counted). Zero days means today if today is a working day, else the next one."""
    day = start
    if days <= 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """The instant `hours` working hours after `start` (an aware datetime). Only
    the hours of working days count, day by day in the current time zone
    (Tehran): an order placed on the Wednesday before Nowruz runs on the
    Wednesday and the Thursday, then waits out the Friday and the holidays."""
    zone = timezone.get_current_timezone()
    cursor = timezone.localtime(start, zone)
    left = dt.timedelta(hours=hours)
    while True:
        midnight = dt.datetime.combine(
            cursor.date() + dt.timedelta(days=1), dt.time.min, tzinfo=zone
        )
        if is_working_day(cursor.date()):
            if cursor + left <= midnight:
                return cursor + left
            left -= midnight - cursor
        cursor = midnight


def week_start(day: dt.date) -> dt.date:
    """The Saturday on or before `day`: the first day of its Iranian week."""
    return day - dt.timedelta(days=(day.weekday() - SATURDAY) % 7)
