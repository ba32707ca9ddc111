"""Records of money and audit are append-only, in the database and in the ORM
(issue 25 §3): the ledger, both audit trails, the case-file read log and the
Stripe webhook events. A queryset `update()`/`delete()` fails on every
database; on PostgreSQL a trigger refuses raw SQL and cascades too."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from marketplace.append_only import AppendOnlyError
from orders.models import LedgerEntry, SellerOrderEvent, StripeEvent
from sellers.models import CaseFileAccess, SellerAuditEntry
from sellers.services import casefile_read
from tests.factories import CaseFileFactory, StaffFactory, grant

from .conftest import basket_with, place

pytestmark = pytest.mark.django_db

TABLES = [LedgerEntry, SellerOrderEvent, SellerAuditEntry, CaseFileAccess, StripeEvent]


@pytest.fixture
def rows(order_booth, product):
    """At least one row in each append-only table."""
    place(basket_with([(product, 1)]))
    staff = StaffFactory()
    grant(staff, "view_casefile")
    CaseFileFactory(seller=order_booth[0])
    casefile_read(seller=order_booth[0], user=staff)
    StripeEvent.objects.create(event_id="evt_append_only", type="charge.updated")
    SellerAuditEntry.objects.create(
        seller=order_booth[0], actor=staff, action="approve"
    )
    for model in TABLES:
        assert model.objects.exists(), model
    return order_booth


@pytest.mark.parametrize("model", TABLES, ids=lambda m: m.__name__)
def test_the_orm_refuses_queryset_updates_and_deletes(rows, model):
    before = model.objects.count()
    with pytest.raises(AppendOnlyError):
        model.objects.all().update(pk=0)
    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()
    row = model.objects.first()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        row.save()
    assert model.objects.count() == before


def test_a_webhook_event_gets_its_outcome_once(db):
    event = StripeEvent.objects.create(event_id="evt_once", type="charge.updated")
    event.outcome = "ignored"
    event.save(update_fields=["outcome"])
    event.refresh_from_db()
    assert event.outcome == "ignored"
    event.type = "payment_intent.succeeded"
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["type"])
    with pytest.raises(AppendOnlyError):
        event.save()


def _raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("model", TABLES, ids=lambda m: m.__name__)
def test_postgresql_refuses_raw_update_and_delete(postgres_required, rows, model):
    table = model._meta.db_table
    pk = model.objects.values_list("pk", flat=True).first()
    column = {
        LedgerEntry: "note",
        SellerOrderEvent: "note",
        SellerAuditEntry: "reason",
        CaseFileAccess: "purpose",
        StripeEvent: "type",
    }[model]
    with pytest.raises(DatabaseError, match="Cannot update rows"):
        _raw(f'UPDATE "{table}" SET "{column}" = %s WHERE id = %s', ["changed", pk])  # noqa: S608
    with pytest.raises(DatabaseError, match="Cannot delete rows"):
        _raw(f'DELETE FROM "{table}" WHERE id = %s', [pk])  # noqa: S608
    assert model.objects.filter(pk=pk).exists()


def test_postgresql_refuses_rewriting_a_webhook_outcome(postgres_required, db):
    event = StripeEvent.objects.create(event_id="evt_raw", type="charge.updated")
    _raw('UPDATE "order_stripeevent" SET outcome = %s WHERE id = %s', ["x", event.pk])
    with pytest.raises(DatabaseError, match="Cannot update rows"):
        _raw(
            'UPDATE "order_stripeevent" SET outcome = %s WHERE id = %s',
            ["y", event.pk],
        )
    event.refresh_from_db()
    assert event.outcome == "x"


def test_postgresql_refuses_a_cascade_that_would_erase_the_read_log(
    postgres_required, rows
):
    """Deleting a case file would cascade to its read log; Django's collector
    deletes without the queryset, so only the trigger can stop it."""
    case_file = CaseFileAccess.objects.first().case_file
    with pytest.raises(DatabaseError, match="Cannot delete rows"):
        with transaction.atomic():
            case_file.delete()
    assert CaseFileAccess.objects.filter(case_file=case_file).exists()


def test_postgresql_lets_a_deleted_persons_name_go_and_nothing_else(
    postgres_required, rows
):
    """An audit entry's actor is a SET_NULL key: deleting the person keeps the
    entry without her; pointing it at someone else is refused."""
    entry = SellerAuditEntry.objects.create(
        seller=rows[0], actor=StaffFactory(), action="mentoring_stage"
    )
    other = StaffFactory()
    with pytest.raises(DatabaseError, match="Cannot update rows"):
        _raw(
            'UPDATE "sellers_sellerauditentry" SET actor_id = %s WHERE id = %s',
            [other.pk, entry.pk],
        )
    entry.actor.delete()
    entry.refresh_from_db()
    assert entry.actor is None and entry.action == "mentoring_stage"
