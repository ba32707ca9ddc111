"""Records of money and audit are append-only, enforced twice:

- in the database: a PostgreSQL trigger (django-pgtrigger, installed by a
  migration) refuses UPDATE and DELETE on the table, whatever the client: the
  ORM, a queryset `update()`, raw SQL or a cascade from a deleted parent;
- in the ORM, for SQLite (`make run`) and for a clear error where the mistake is
  written: `AppendOnlyQuerySet` refuses `update()` and `delete()`, and
  `AppendOnlyModel` refuses saving a row that exists and deleting one.

A correction is a new row (a reversing ledger entry, a new audit entry), never
an edit. TRUNCATE (the test runner's flush) is not a row change and stays
possible.
"""

from __future__ import annotations

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models

REFUSED = "Append-only: this record is never changed or deleted; add a new one."


class AppendOnlyError(ValidationError):
    """Raised by the ORM guard (the database raises its own error)."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(REFUSED)

    def delete(self):
        raise AppendOnlyError(REFUSED)

    # bulk_update writes through update(); named here so the refusal is explicit.
    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(REFUSED)


class AppendOnlyModel(models.Model):
    """Abstract base of an append-only table: rows are inserted once.

    `mutable_once` names fields that may be written once after the insert (in
    the same transaction, while still empty), such as the outcome of a webhook
    event that must be claimed by its insert before its effect is known. The
    database trigger allows exactly that and nothing else."""

    mutable_once: tuple[str, ...] = ()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._adding_or_filling_once(kwargs):
            raise AppendOnlyError(REFUSED)
        super().save(*args, **kwargs)

    def _adding_or_filling_once(self, kwargs) -> bool:
        if self._state.adding:
            return True
        fields = set(kwargs.get("update_fields") or ())
        return bool(fields) and fields <= set(self.mutable_once)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(REFUSED)


def append_only_triggers(
    prefix: str,
    *,
    mutable_once: tuple[str, ...] = (),
    nulled_on_delete: tuple[str, ...] = (),
) -> list[pgtrigger.Trigger]:
    """The PostgreSQL triggers of an append-only table: no DELETE ever; no
    UPDATE, except a `mutable_once` field written while it is still empty, and
    a `nulled_on_delete` column (a foreign key declared `SET_NULL`, such as the
    actor of an audit entry) set to NULL when the row it names is deleted: the
    entry stays, without the deleted person."""
    if not (mutable_once or nulled_on_delete):
        refuse_update = pgtrigger.Protect(
            name=f"{prefix}_no_update", operation=pgtrigger.Update
        )
    else:
        excluded = " - ".join(
            f"'{name}'" for name in (*mutable_once, *nulled_on_delete)
        )
        refusals = [
            f"(to_jsonb(OLD) - {excluded}) IS DISTINCT FROM (to_jsonb(NEW) - {excluded})"
        ]
        refusals += [
            f"(OLD.{name} <> '' AND NEW.{name} IS DISTINCT FROM OLD.{name})"
            for name in mutable_once
        ]
        refusals += [
            f"(NEW.{name} IS NOT NULL AND NEW.{name} IS DISTINCT FROM OLD.{name})"
            for name in nulled_on_delete
        ]
        refuse_update = pgtrigger.Protect(
            name=f"{prefix}_no_update",
            operation=pgtrigger.Update,
            condition=pgtrigger.Condition("(" + " OR ".join(refusals) + ")"),
        )
    return [
        refuse_update,
        pgtrigger.Protect(name=f"{prefix}_no_delete", operation=pgtrigger.Delete),
    ]
