"""Working days skip Fridays and Iranian public holidays (from `holidays`); the
Iranian week starts on Saturday.

The fixed dates below are pure conversions (no clock). The `today` tests check the
same rules on the day they run; scripts/date_matrix runs them on chosen days
(Nowruz, 29/30 Esfand, a week's first Saturday, midnight in Tehran)."""

import datetime as dt
import zoneinfo

import jdatetime
import pytest
from django.utils import timezone

from orders.calendar import (
    add_working_days,
    add_working_hours,
    is_working_day,
    week_start,
)

pytestmark = pytest.mark.dates

# Jalali (month, day) that are public holidays every year: Nowruz (1-4
# Farvardin), Islamic Republic Day (12), Nature Day (13), the 14-15 Khordad, the
# revolution's anniversary (22 Bahman) and oil nationalisation (29 Esfand).
FIXED_SOLAR_HOLIDAYS = {(1, 1), (1, 2), (1, 3), (1, 4), (1, 12), (1, 13)}
FIXED_SOLAR_HOLIDAYS |= {(3, 14), (3, 15), (11, 22), (12, 29)}


def jalali(day: dt.date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=day)


def test_today_is_in_the_week_that_starts_on_the_last_saturday():
    today = timezone.localdate()
    start = week_start(today)
    # jdatetime counts the Iranian week: Saturday is its day 0
    assert start == today - dt.timedelta(days=jalali(today).weekday())
    assert start.weekday() == dt.date(2026, 11, 28).weekday()  # a Saturday
    assert jalali(start).weekday() == 0


def test_the_next_fortnight_skips_fridays_and_solar_holidays():
    today = timezone.localdate()
    for offset in range(15):
        day = today + dt.timedelta(days=offset)
        j = jalali(day)
        if j.weekday() == 6 or (j.month, j.day) in FIXED_SOLAR_HOLIDAYS:
            assert not is_working_day(day), (day, j)


def test_one_working_day_from_today():
    today = timezone.localdate()
    nxt = add_working_days(today, 1)
    assert nxt > today
    assert is_working_day(nxt)
    between = [today + dt.timedelta(days=n) for n in range(1, (nxt - today).days)]
    assert not any(is_working_day(day) for day in between)
    zero = add_working_days(today, 0)
    assert zero == (today if is_working_day(today) else nxt)


def test_week_starts_on_saturday():
    wednesday = dt.date(2026, 12, 2)
    assert week_start(wednesday) == dt.date(2026, 11, 28)
    assert week_start(dt.date(2026, 11, 28)) == dt.date(2026, 11, 28)
    assert week_start(dt.date(2026, 12, 4)) == dt.date(2026, 11, 28)  # Friday


def test_friday_is_skipped():
    thursday = dt.date(2026, 12, 3)
    assert not is_working_day(dt.date(2026, 12, 4))
    assert add_working_days(thursday, 1) == dt.date(2026, 12, 5)


def test_nowruz_is_skipped():
    # 1 Farvardin 1406 = 21 March 2027; Nowruz holidays run through the 24th,
    # 1 April (Islamic Republic Day) and 2 April (Nature Day) too.
    assert not is_working_day(dt.date(2027, 3, 21))
    assert not is_working_day(dt.date(2027, 3, 24))
    day = add_working_days(dt.date(2027, 3, 19), 1)  # Friday 19 March
    assert day >= dt.date(2027, 3, 25)
    assert is_working_day(day)


def test_zero_days_is_the_next_working_day():
    assert add_working_days(dt.date(2026, 12, 4), 0) == dt.date(2026, 12, 5)


TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def test_acceptance_hours_skip_friday_and_nowruz():
    """Issue 25 §9: placed at 10:00 on the Wednesday before Nowruz 1406, the 48
    hours run 14 on Wednesday and 24 on Thursday; Friday, 29 Esfand (a holiday)
    and Farvardin 1-4 do not run; the last 10 run on Thursday 5 Farvardin."""
    placed = dt.datetime(2027, 3, 17, 10, 0, tzinfo=TEHRAN)
    assert add_working_hours(placed, 48) == dt.datetime(
        2027, 3, 25, 10, 0, tzinfo=TEHRAN
    )


def test_acceptance_hours_from_a_minute_before_tehran_midnight():
    """23:59 in Tehran is still the same day in UTC's evening; one minute of
    Wednesday runs, then all of Thursday, then (after the holidays) the rest."""
    placed = dt.datetime(2027, 3, 17, 23, 59, tzinfo=TEHRAN)
    assert add_working_hours(placed, 48) == dt.datetime(
        2027, 3, 25, 23, 59, tzinfo=TEHRAN
    )
    # The same instant given in UTC gives the same answer.
    assert add_working_hours(placed.astimezone(dt.UTC), 48) == add_working_hours(
        placed, 48
    )


def test_acceptance_hours_on_ordinary_days_are_plain_hours():
    saturday = dt.datetime(2026, 11, 28, 9, 30, tzinfo=TEHRAN)
    assert add_working_hours(saturday, 48) == dt.datetime(
        2026, 11, 30, 9, 30, tzinfo=TEHRAN
    )
    # Placed on a Friday: the hours start on Saturday at midnight.
    friday = dt.datetime(2026, 12, 4, 15, 0, tzinfo=TEHRAN)
    assert add_working_hours(friday, 48) == dt.datetime(
        2026, 12, 7, 0, 0, tzinfo=TEHRAN
    )
