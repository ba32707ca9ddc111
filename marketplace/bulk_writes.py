"""Bulk writes that say what they wrote.

Django sends `post_save` and `post_delete` for `save()` and `delete()`, but
nothing for a queryset's `update()`, `bulk_create()` or `bulk_update()`. Oscar
itself allocates stock with `StockRecord.objects.filter(pk=…).update(…)`, and
seeding writes products in bulk. A model whose cached views must never outlive a
write uses `SignallingQuerySet` (through its manager): those three methods then
send `rows_written` after they write, so the receivers that keep caches true
(catalog.receivers) see every write, whoever made it.

A core module: it knows nothing of the models that use it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.dispatch import Signal

#: Sent after a bulk write, with `sender` (the model), `pks` (the rows written, a
#: list), `fields` (the fields written, a frozenset; None for new rows),
#: `created` (bool) and `objs` (the instances, for bulk_create/bulk_update; None
#: for update). Receivers may query: the rows are written, not yet committed.
rows_written = Signal()


class SignallingQuerySet(models.QuerySet):
    """A QuerySet whose bulk writes send `rows_written` (see the module docstring)."""

    def update(self, **kwargs):
        # Which rows: read before writing, since the update may change what the
        # filter matches (e.g. `.filter(is_paused=False).update(is_paused=True)`).
        rows = self._chain()
        rows.query.select_for_update = False  # the caller's lock, not ours
        pks = list(rows.values_list("pk", flat=True))
        count = super().update(**kwargs)
        if pks:
            rows_written.send(
                sender=self.model,
                pks=pks,
                fields=frozenset(kwargs),
                created=False,
                objs=None,
            )
        return count

    update.alters_data = True

    def bulk_create(self, objs: Iterable, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            rows_written.send(
                sender=self.model,
                pks=[obj.pk for obj in created if obj.pk is not None],
                fields=None,
                created=True,
                objs=list(created),
            )
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs: Iterable, fields, *args, **kwargs):
        objs = list(objs)
        count = super().bulk_update(objs, fields, *args, **kwargs)
        if objs:
            rows_written.send(
                sender=self.model,
                pks=[obj.pk for obj in objs],
                fields=frozenset(fields),
                created=False,
                objs=objs,
            )
        return count

    bulk_update.alters_data = True
