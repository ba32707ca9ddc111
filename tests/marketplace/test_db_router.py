"""Issue 26: only reads that ask for it go to the replica; a buyer who has just
ordered (and every write) stays on the primary."""

import pytest
from django.db import transaction

from marketplace.db_router import ReplicaRouter, replica_reads
from orders.models import Order


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr("marketplace.db_router._replica_configured", lambda: True)


def test_reads_stay_on_the_primary_unless_asked(with_replica):
    assert Order.objects.all().db == "default"
    with replica_reads():
        assert Order.objects.all().db == "replica"
    assert Order.objects.all().db == "default"


def test_writes_and_transactions_stay_on_the_primary(with_replica, db):
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_write(Order) == "default"
        with transaction.atomic():
            # select_for_update and workflows read what they are about to write.
            assert Order.objects.all().db == "default"


def test_without_a_replica_everything_reads_the_primary():
    with replica_reads():
        assert Order.objects.all().db == "default"


def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate("replica", "order") is False
    assert ReplicaRouter().allow_migrate("default", "order") is True
