"""Issue 26/27: with a replica configured, the staff reports and the staff
home's counts read it; the case-file read log (a write) and everything a buyer
does stay on the primary.

The `replica` alias here is a second connection to the test database, as the
settings add one for `DATABASE_REPLICA_URL`; the tests are transactional
because the router keeps every read inside a transaction on the primary."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.db_router import REPLICA
from marketplace.reports.models import ReportAccess
from orders.notifications import buyer_link_token
from tests.factories import CaseFileFactory, make_product
from tests.orders.conftest import basket_with, make_booth, place
from tests.reports.test_reports import reader

ROOT = Path(__file__).resolve().parents[2]
#: The only modules that may ask for replica reads: staff pages.
REPLICA_READERS = {"marketplace/reports/views.py"}
FIGURE_TABLES = (
    "order_line",
    "order_sellerorder",
    "order_stallsale",
    "order_ledgerentry",
    "sellers_seller",
    "sellers_bazaar",
    "sellers_mentoringsession",
    "reports_orderdaysummary",
    "reports_summaryrefresh",
)


@pytest.fixture
def replica(transactional_db):
    """A `replica` alias: another connection to the test database."""
    settings.DATABASES[REPLICA] = dict(connections["default"].settings_dict)
    # Opened here: the test case only lets its own aliases open on demand.
    connections[REPLICA].connect()
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del settings.DATABASES[REPLICA]


def _sql(context) -> list[str]:
    return [query["sql"] for query in context.captured_queries]


def test_the_sellers_report_reads_the_replica_and_logs_on_the_primary(client, replica):
    seller, _ = make_booth("+989121000101")
    CaseFileFactory(seller=seller, head_of_household=True)
    client.force_login(reader("view_casefile"))
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(reverse("reports:report", args=["sellers"]))
    assert response.status_code == 200
    # The funnel's milestones are read on the replica, never on the primary.
    assert any('"first_sale_at"' in sql for sql in _sql(on_replica))
    assert not any('"first_sale_at"' in sql for sql in _sql(on_primary))
    # The read log is written on the primary, and nothing is written on the replica.
    assert any(
        sql.startswith("INSERT") and "reports_reportaccess" in sql
        for sql in _sql(on_primary)
    )
    assert not any(
        sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for sql in _sql(on_replica)
    )
    assert ReportAccess.objects.using("default").count() == 1


@pytest.mark.parametrize("slug", ["orders", "money", "bazaars", "mentoring"])
def test_every_report_reads_its_figures_on_the_replica(client, replica, slug):
    client.force_login(reader())
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert client.get(reverse("reports:report", args=[slug])).status_code == 200
    assert on_replica.captured_queries
    # The figures' tables; the filter form's choices (districts, centres) are
    # read where the page is rendered, on the primary.
    figures = [f'FROM "{table}"' for table in FIGURE_TABLES]
    on_primary = [sql for sql in _sql(on_primary) if any(t in sql for t in figures)]
    assert on_primary == []


def test_the_staff_homes_counts_read_the_replica(client, replica):
    client.force_login(reader())
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("reports:home")).status_code == 200
    assert any("sellers_seller" in sql for sql in _sql(on_replica))


def test_a_buyer_who_has_just_ordered_reads_the_primary(client, replica):
    seller, _ = make_booth("+989121000102")
    product = make_product(seller=seller, price_rials=500_000, num_in_stock=3)
    with CaptureQueriesContext(replica) as on_replica:
        order = place(basket_with([(product, 1)]))
        page = client.get(reverse("orders:track", args=[buyer_link_token(order)]))
    assert page.status_code == 200
    assert order.number in page.content.decode()
    assert on_replica.captured_queries == []


def _sources():
    skip = {".venv", "tests", "var", "node_modules", ".git", "static", "media"}
    for folder, subfolders, files in os.walk(ROOT):  # symlinks not followed
        subfolders[:] = [name for name in subfolders if name not in skip]
        for name in files:
            if name.endswith(".py"):
                yield Path(folder) / name


def test_only_staff_pages_ask_for_replica_reads():
    users = set()
    for path in _sources():
        relative = path.relative_to(ROOT).as_posix()
        if relative == "marketplace/db_router.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(
            isinstance(node, ast.Name | ast.Attribute)
            and getattr(node, "id", getattr(node, "attr", None)) == "replica_reads"
            for node in ast.walk(tree)
        ):
            users.add(relative)
    assert users == REPLICA_READERS
