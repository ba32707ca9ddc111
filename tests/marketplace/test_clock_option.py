"""tests/conftest.py's `--clock` (and $DASTAVARD_CLOCK), which scripts/date_matrix
uses to run the `dates` tests on chosen days."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import _CLOCK_KEY as CLOCK_KEY
from tests.conftest import parse_clock

pytestmark = pytest.mark.dates


def test_an_instant_keeps_its_offset():
    instant = parse_clock("2027-03-21T00:01:00+03:30")
    assert instant == dt.datetime(2027, 3, 20, 20, 31, tzinfo=dt.UTC)


def test_days_ahead_count_from_now():
    ahead = parse_clock("+365d") - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=364, hours=23) < ahead <= dt.timedelta(days=365)


@pytest.mark.parametrize("spec", ["2027-03-21", "2027-03-21T00:01", "tomorrow", "+1y"])
def test_a_clock_without_an_offset_or_unit_is_refused(spec):
    with pytest.raises(pytest.UsageError):
        parse_clock(spec)


def test_each_test_starts_at_its_instant(pytestconfig, request):
    """Under `--clock` Django's now is this test's instant, ticking: a few
    seconds after it, never before (with several instants, the one in its id)."""
    clock = pytestconfig.stash.get(CLOCK_KEY, None)
    if clock is None:
        pytest.skip("no --clock for this run")
    names = list(clock[0])
    name = next((n for n in names if f"clock={n}" in request.node.name), names[0])
    since = timezone.now() - clock[0][name]
    assert dt.timedelta(0) <= since < dt.timedelta(minutes=1)
    if name.startswith("+"):
        real = dt.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), dt.UTC)
        ahead = timezone.now() - real
        assert abs(ahead - dt.timedelta(days=int(name[1:-1]))) < dt.timedelta(hours=2)
