"""Issue 26: a migration must be safe to run while the old code still serves
(expand, then contract)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from marketplace.migration_lint import KNOWN_EXCEPTIONS, migrations_lint

ROOT = Path(__file__).resolve().parents[2]


class OneMigrationLoader:
    """The real project's history plus one new migration of ours on top."""

    def __init__(self, *operations):
        self.real = MigrationLoader(None, ignore_no_migrations=True)
        leaf = max(k for k in self.real.disk_migrations if k[0] == "sellers")
        self.key = ("sellers", "9999_new")
        migration = type(
            "Migration",
            (migrations.Migration,),
            {"operations": list(operations), "dependencies": [leaf]},
        )("9999_new", "sellers")
        migration.__module__ = "sellers.migrations.0001_initial"  # one of ours
        self.disk_migrations = {**self.real.disk_migrations, self.key: migration}

    def project_state(self, key, at_end=True):
        if key == self.key:
            return self.real.project_state(
                max(k for k in self.real.disk_migrations if k[0] == "sellers")
            )
        return self.real.project_state(key, at_end=at_end)


def lint(*operations) -> list[str]:
    return [str(p) for p in migrations_lint(loader=OneMigrationLoader(*operations))]


def test_the_repositorys_migrations_are_safe_or_known():
    assert migrations_lint() == []


def test_known_exceptions_name_migrations_that_exist():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = {f"{app}.{name}" for app, name in loader.disk_migrations}
    assert KNOWN_EXCEPTIONS <= names


@pytest.mark.parametrize(
    ("operation", "reason"),
    [
        (migrations.RemoveField("seller", "city"), "drops seller.city"),
        (
            migrations.RenameField("seller", "city", "town"),
            "renames seller.city to town",
        ),
        (migrations.DeleteModel("District"), "drops the table of District"),
        (
            migrations.AddField("seller", "rank", models.IntegerField()),
            "adds seller.rank NOT NULL without a default",
        ),
        (
            migrations.RunSQL("ALTER TABLE sellers_seller DROP COLUMN city"),
            "drops or renames in raw SQL",
        ),
    ],
)
def test_an_unsafe_migration_is_refused(operation, reason):
    problems = lint(operation)
    assert len(problems) == 1
    assert problems[0].startswith("sellers.9999_new: ")
    assert problems[0].endswith(reason)


def test_expand_steps_pass():
    assert (
        lint(
            migrations.AddField("seller", "rank", models.IntegerField(null=True)),
            migrations.AddField("seller", "level", models.IntegerField(default=0)),
            migrations.AddField("seller", "tier", models.IntegerField(db_default=1)),
        )
        == []
    )


def test_making_a_nullable_column_not_null_is_refused():
    """`sellers.Seller.approved_at` is nullable: NOT NULL without a default
    would fail on its rows (and on old code writing none)."""
    problems = lint(
        migrations.AlterField("seller", "approved_at", models.DateTimeField())
    )
    assert problems == [
        "sellers.9999_new: AlterField: makes seller.approved_at NOT NULL without a default"
    ]


def test_the_command_passes_on_the_repository():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrations_lint"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "marketplace.settings.local",
        },
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "safe to run before the new code" in result.stdout
