"""Issue 26, the restore drill: orders are placed, a backup is taken
(scripts/backup), more orders are placed, the database is lost, and
scripts/restore brings back the backup into an empty database: every order,
part and ledger entry of the backup is there, with the append-only triggers,
and the photo files too. The orders placed after the backup are what a
`pg_dump` backup loses: its recovery point is the last backup
(docs/OPERATIONS.md)."""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from orders.models import LedgerEntry, Order
from tests.factories import make_product

from .conftest import basket_with, make_booth, place

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def url(db: dict, name: str) -> str:
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"


@pytest.fixture
def drill_database(postgres_required):
    """An empty database to restore into (the lost one stands for production)."""
    db = connection.settings_dict
    name = f"{db['NAME']}_drill"
    admin = psycopg.connect(url(db, "postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    yield url(db, name)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def run(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_backup_then_restore_into_an_empty_database(
    drill_database, media_root, tmp_path
):
    seller, _ = make_booth("+989120000077", name="غرفه پشتیبان")
    product = make_product(seller=seller, title="شال بافتنی", num_in_stock=10)
    before = [place(basket_with([(product, 1)])) for _ in range(2)]
    photo = media_root / "products" / "shawl.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"jpeg bytes of her photo")
    ledger_before = LedgerEntry.objects.count()
    assert ledger_before > 0

    live = url(connection.settings_dict, connection.settings_dict["NAME"])
    backup = run(
        "backup",
        str(tmp_path / "backups"),
        env={"DATABASE_URL": live, "MEDIA_ROOT": str(media_root)},
    )
    assert backup.returncode == 0, backup.stderr
    backup_dir = Path(backup.stdout.strip().splitlines()[-1])
    manifest = (backup_dir / "MANIFEST").read_text()
    assert "orders=2" in manifest and f"ledger_entries={ledger_before}" in manifest

    after = place(basket_with([(product, 1)]))  # after the backup: not in it
    photo.unlink()  # lost with the server

    restore = run(
        "restore",
        str(backup_dir),
        env={"DATABASE_URL": drill_database, "MEDIA_ROOT": str(media_root)},
    )
    assert restore.returncode == 0, restore.stderr
    assert photo.read_bytes() == b"jpeg bytes of her photo"
    with psycopg.connect(drill_database) as restored:
        numbers = {n for (n,) in restored.execute("SELECT number FROM order_order")}
        assert numbers == {order.number for order in before}
        assert after.number not in numbers
        (ledger,) = restored.execute(
            "SELECT count(*) FROM order_ledgerentry"
        ).fetchone()
        assert ledger == ledger_before
        # The append-only triggers came back with the tables.
        with pytest.raises(psycopg.Error):
            restored.execute("UPDATE order_ledgerentry SET amount = 0")
    assert Order.objects.count() == 3
