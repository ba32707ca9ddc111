"""PostgreSQL prepares the statements a connection repeats (settings/base.py):
planning the basket's 7-table join costs more than running it."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F


def prepared(marker: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{marker}%"],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_statement_run_again_and_again_is_prepared_once(postgres_required):
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    users = get_user_model().objects.annotate(prepared_probe=F("pk"))
    for pk in range(threshold):
        list(users.filter(pk=pk + 1).values_list("prepared_probe", flat=True))
    assert prepared("prepared_probe") == 0
    for pk in range(3):  # other values, the same statement
        list(users.filter(pk=pk + 10).values_list("prepared_probe", flat=True))
    assert prepared("prepared_probe") == 1


def database_options(**overrides: str) -> str:
    """The OPTIONS the settings build for this environment, in a fresh process."""
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS') or {})"
    )
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.base",
        **overrides,
    }
    return subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", code],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_off_leaves_django_defaults_for_a_transaction_pooler():
    url = "postgres://user:password@127.0.0.1:5432/shop"
    assert database_options(DATABASE_URL=url, DB_PREPARE_THRESHOLD="off") == "{}"
    assert database_options(DATABASE_URL=url) == (
        "{'server_side_binding': True, 'prepare_threshold': 5}"
    )
    assert database_options(DATABASE_URL="sqlite:///:memory:") == "{}"
