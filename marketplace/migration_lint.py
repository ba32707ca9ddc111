"""Migrations that are safe to run before the new code is deployed (issue 26).

A release runs `migrate` while the old code still serves (docs/OPERATIONS.md,
"Deploy order"), so a migration may only *expand* the schema. This check reads
the operations of every migration of ours (no database, no SQL) and refuses:

- `RemoveField`, `DeleteModel`: a column or table the running code still reads;
- `RenameField`, `RenameModel`: the same, under its old name;
- `AddField` of a NOT NULL column with neither `default` nor `db_default`:
  the migration cannot even fill the rows there are;
- `AlterField` that makes a nullable column NOT NULL with neither;
- `RunSQL` that drops or renames a column or table.

Such a change is made in two releases: expand (add the new column, nullable or
with a default; write both), then contract (drop the old one) a release later,
once no running code reads it. The contract migration is then listed in
`KNOWN_EXCEPTIONS` with the release that made it safe.

`KNOWN_EXCEPTIONS` also holds the migrations written before this check; they
have all run in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import models
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader

#: Apps whose migrations live in this repository (Oscar's and Wagtail's own are
#: theirs to keep safe).
ROOT = Path(__file__).resolve().parent.parent

_SQL_CONTRACT = re.compile(
    r"\b(DROP\s+(COLUMN|TABLE)|RENAME\s+(COLUMN|TO))\b", re.IGNORECASE
)

#: `app_label.migration_name`: written before the check existed (they have run
#: everywhere), or a contract step of an expand/contract pair, with its reason.
KNOWN_EXCEPTIONS: frozenset[str] = frozenset(
    {
        # Written before issue 26 (each has run in every database since).
        "basket.0002_auto_20140827_1705",
        "basket.0009_line_date_updated",
        "catalogue.0002_auto_20150217_1221",
        "catalogue.0032_category_exclude_from_menu_category_long_description",
        "catalogue.0033_marketplace_product",
        "cms.0003_bazaars_stories_standard_pages",
        "order.0010_auto_20200724_0909",
        "order.0018_alter_line_num_allocated",
        "order.0022_seller_orders_ledger",
        "order.0025_card_payments",
        "order.0027_seller_order_updated_at",
        "partner.0006_auto_20200724_0909",
        "search.0002_ships_to",
        "sellers.0002_seller_workflow",
        "sellers.0004_holiday",
        "sellers.0005_audit_mentoring_stage_columns",
        "sellers.0006_orders_delivery_province_capacity",
    }
)


@dataclass(frozen=True)
class Problem:
    migration: str
    operation: str
    reason: str

    def __str__(self) -> str:
        return f"{self.migration}: {self.operation}: {self.reason}"


def _has_default(field: models.Field) -> bool:
    return field.has_default() or getattr(field, "has_db_default", lambda: False)()


def _needs_value(field: models.Field) -> bool:
    """A NOT NULL column the database cannot fill by itself."""
    return not field.null and not field.many_to_many and not _has_default(field)


def _problems_in(loader: MigrationLoader, key: tuple[str, str]) -> list[Problem]:
    migration = loader.disk_migrations[key]
    label = f"{key[0]}.{key[1]}"
    found = []
    # A field added to a table made in the same migration: no rows yet.
    created = {
        operation.name_lower
        for operation in migration.operations
        if isinstance(operation, ops.CreateModel)
    }
    for operation in migration.operations:
        name = type(operation).__name__
        if isinstance(operation, ops.RemoveField):
            found.append(
                Problem(label, name, f"drops {operation.model_name}.{operation.name}")
            )
        elif isinstance(operation, ops.DeleteModel):
            found.append(Problem(label, name, f"drops the table of {operation.name}"))
        elif isinstance(operation, ops.RenameField):
            found.append(
                Problem(
                    label,
                    name,
                    f"renames {operation.model_name}.{operation.old_name} "
                    f"to {operation.new_name}",
                )
            )
        elif isinstance(operation, ops.RenameModel):
            found.append(
                Problem(
                    label,
                    name,
                    f"renames the table of {operation.old_name} to {operation.new_name}",
                )
            )
        elif (
            isinstance(operation, ops.AddField)
            and operation.model_name_lower not in created
            and _needs_value(operation.field)
        ):
            found.append(
                Problem(
                    label,
                    name,
                    f"adds {operation.model_name}.{operation.name} NOT NULL "
                    "without a default",
                )
            )
        elif isinstance(operation, ops.AlterField) and _needs_value(operation.field):
            before = loader.project_state(key, at_end=False)
            model = before.models.get((key[0], operation.model_name_lower))
            old = model.fields.get(operation.name) if model else None
            if old is not None and old.null:
                found.append(
                    Problem(
                        label,
                        name,
                        f"makes {operation.model_name}.{operation.name} NOT NULL "
                        "without a default",
                    )
                )
        elif isinstance(operation, ops.RunSQL):
            sql = operation.sql
            text = " ".join(sql) if isinstance(sql, list | tuple) else str(sql)
            if _SQL_CONTRACT.search(text):
                found.append(Problem(label, name, "drops or renames in raw SQL"))
    return found


def our_migrations(loader: MigrationLoader) -> list[tuple[str, str]]:
    keys = []
    for key, migration in loader.disk_migrations.items():
        module = __import__(migration.__module__, fromlist=["_"])
        path = Path(module.__file__).resolve()
        # A virtualenv inside the checkout (CI's .venv) holds Oscar's and
        # Wagtail's.
        if path.is_relative_to(ROOT) and "site-packages" not in path.parts:
            keys.append(key)
    return sorted(keys)


def migrations_lint(
    *, exceptions: frozenset[str] = KNOWN_EXCEPTIONS, loader=None
) -> list[Problem]:
    """Every unsafe operation in a migration of ours not listed in `exceptions`."""
    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    problems = []
    for key in our_migrations(loader):
        if f"{key[0]}.{key[1]}" in exceptions:
            continue
        problems.extend(_problems_in(loader, key))
    return problems
