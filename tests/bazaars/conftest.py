"""Bazaar fixtures: a running bazaar with one booth at stall 12, bazaar staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sellers.models import Bazaar, BazaarStall
from tests.factories import StaffFactory, grant
from tests.orders.conftest import (  # noqa: F401  (fixtures shared with orders)
    _provinces,
    empty_sms_outbox,
    make_booth,
)


def make_bazaar(*, starts_in: int = -1, days: int = 3, name: str = "") -> Bazaar:
    """A bazaar starting `starts_in` days from today (negative: already started)."""
    today = timezone.localdate()
    start = today + dt.timedelta(days=starts_in)
    return Bazaar.objects.create(
        name=name or "بازارچه دستاوردهای زنان شهر تهران – منطقه ۶",
        starts_on=start,
        ends_on=start + dt.timedelta(days=days - 1),
        opening_hours="۱۰ تا ۲۰",
        place="بوستان لاله، ضلع شمالی",
    )


@pytest.fixture(autouse=True)
def _sms_at_once(sms_at_commit_run_at_once):
    """SMS queued after commit are sent at once (tests/accounts/sms_fixtures.py)."""


@pytest.fixture
def bazaar(db):
    return make_bazaar()


@pytest.fixture
def stall(order_booth, bazaar):
    return BazaarStall.objects.create(
        bazaar=bazaar, seller=order_booth[0], stall_number="12"
    )


@pytest.fixture
def bazaar_staff(db):
    user = StaffFactory(username="+989120000100")
    return grant(user, "change_bazaar")
