"""Reads that may go to the streaming replica (`DATABASE_REPLICA_URL`).

Nothing goes to the replica unless it asks: a staff report or another
read-only staff selector runs inside `replica_reads()` (or is decorated with
it), and its queries read the replica when one is configured. Every other read
and every write stays on the primary, so a buyer who has just placed an order
(or anyone who has just written anything) always reads what she wrote: the
replica may be seconds behind (`/readyz` takes a server out when it is more
than `READY_REPLICA_MAX_LAG_SECONDS` behind).

Inside `replica_reads()` a write still goes to the primary, and a query in a
transaction on the primary (`select_for_update`, a workflow) is not moved:
`transaction.atomic()` pins the block to the primary.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

REPLICA = "replica"

_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "replica_reads", default=False
)


@contextmanager
def replica_reads():
    """Queries in this block read the replica, when there is one."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def _replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """DATABASE_ROUTERS: see the module docstring."""

    def db_for_read(self, model, **hints):
        if not _replica_reads.get() or not _replica_configured():
            return None
        if connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # One database, two copies of it.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
