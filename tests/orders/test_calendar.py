"""Working days skip Fridays and Iranian public holidays (from `holidays`); the
Iranian week starts on Saturday."""

import datetime as dt

from orders.calendar import add_working_days, is_working_day, week_start


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
