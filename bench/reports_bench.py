"""The staff report pages over a large history (issue 27 §7): each report, and
the staff home, loaded cold and warm, in-process through Django's test client.

    .venv/bin/python bench/reports_bench.py            # make bench, after run.py
    .venv/bin/python bench/reports_bench.py --quick    # 5,000 orders, 100 booths
    .venv/bin/python bench/reports_bench.py --database-url postgres://…/db

Not part of `make test`. Without `--database-url` it runs on bench/run.py's
kept database (var/bench/pgdata, migrated and seeded with products) like
bench/orders_bench.py; with one, on that database (migrated beforehand). It
seeds what is missing (a re-run adds nothing) and writes
var/bench/reports-<mode>.json and var/bench/report-reports-<mode>.md, copied by
hand into docs/BENCHMARKS.md ("Staff reports").

1. Seeding: `seed_demo` (booths, products, no orders), then
   `marketplace.demo.orders.seed_order_history` for `--orders` orders spread
   over `--years` years (its bulk writer: parts, lines with their frozen facts,
   ledger entries), timed.
2. Cold: the first load of each page in this process (a new database
   connection, empty Django caches; the database's own buffers are whatever
   the seeding left, they cannot be dropped without restarting PostgreSQL).
   Warm: the median of the next `--repeat` loads. Each page for this Jalali
   month (the default) and this Jalali year (twelve months in its chart),
   read from the order lines (no summary table), then the orders report again
   after `report_summaries_refresh` (timed) has built the summary table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = ROOT / "var" / "bench"

PAGES = ["sellers", "catalogue", "orders", "bazaars", "money", "mentoring"]
PERIODS = {"month": {}, "year": {"period": "year"}}


def setup(database_url: str | None, mode: str):
    """Django on `database_url`, or on bench/run.py's kept PostgreSQL (started
    here, returned to be stopped)."""
    services = None
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
    else:
        from bench.run import MODES, Postgres, Redis, django_env, ensure_tools

        ensure_tools()
        services = (Postgres(), Redis())
        for service in services:
            service.start()
        env = django_env(services[0].url(MODES[mode]["db"]), services[1].url())
        os.environ.update(env)
    import django

    django.setup()
    if services:
        from django.core.management import call_command

        call_command("migrate", "--noinput", verbosity=0)
    return services


def seed(sellers: int, products: int, orders: int, years: int) -> dict:
    from django.core.management import call_command

    from marketplace.demo import orders as demo_orders

    started = time.perf_counter()
    call_command(
        "seed_demo",
        sellers=sellers,
        products=products,
        orders=0,
        history_orders=0,
    )
    base = time.perf_counter() - started
    demo_orders.HISTORY_DAYS = 365 * years + years // 4
    started = time.perf_counter()
    written = demo_orders.seed_order_history(orders)
    history = time.perf_counter() - started
    return {
        "base_s": round(base, 1),
        "history_s": round(history, 1),
        "written": written,
    }


def counts() -> dict:
    from orders.models import Line, Order, SellerOrder, StallSale
    from sellers.models import Seller

    return {
        "booths": Seller.objects.count(),
        "orders": Order.objects.count(),
        "parts": SellerOrder.objects.count(),
        "lines": Line.objects.count(),
        "stall_sales": StallSale.objects.count(),
    }


def reader():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user, _ = get_user_model().objects.get_or_create(
        username="bench-reports", defaults={"is_staff": True}
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["reports", "sellers", "order"],
            codename__in=["view", "view_casefile", "change_order"],
        )
    )
    return user


def load(client, path: str, query: dict) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path, query)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{path} {query}: {response.status_code}")
    return elapsed * 1000, len(queries.captured_queries)


def measure(client, path: str, query: dict, repeat: int) -> dict:
    cold, queries = load(client, path, query)
    warm = [load(client, path, query)[0] for _ in range(repeat)]
    return {
        "cold_ms": round(cold),
        "warm_ms": round(statistics.median(warm)),
        "queries": queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="else bench/run.py's database")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sellers", type=int)
    parser.add_argument("--products", type=int)
    parser.add_argument("--orders", type=int)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument(
        "--skip", action="append", default=[], help='a page not to load: "money (year)"'
    )
    args = parser.parse_args()
    mode = "quick" if args.quick else "full"
    sellers = args.sellers or (100 if args.quick else 1000)
    products = args.products or (2000 if args.quick else 3000)
    orders = args.orders or (5000 if args.quick else 100_000)
    if args.database_url and not args.database_url.startswith("postgres"):
        raise SystemExit("a PostgreSQL --database-url (the medians need it)")
    services = setup(args.database_url, mode)
    try:
        run(args, mode, sellers, products, orders)
    finally:
        for service in reversed(services or ()):
            service.stop()


def run(args, mode: str, sellers: int, products: int, orders: int) -> None:

    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from marketplace.reports.models import SummaryRefresh
    from marketplace.reports.summary import report_summaries_refresh

    results: dict = {
        "seed": None if args.skip_seed else seed(sellers, products, orders, args.years)
    }
    results["data"] = counts()
    # Live first: the lines, not the summary table.
    SummaryRefresh.objects.all().delete()
    cache.clear()
    client = Client(HTTP_HOST="localhost")  # in every ALLOWED_HOSTS
    client.force_login(reader())
    pages = {}
    for name, query in PERIODS.items():
        for slug in PAGES:
            if f"{slug} ({name})" in args.skip:
                continue
            path = reverse("reports:report", args=[slug])
            pages[f"{slug} ({name})"] = measure(client, path, query, args.repeat)
    pages["staff home"] = measure(client, reverse("reports:home"), {}, args.repeat)
    started = time.perf_counter()
    report_summaries_refresh()
    results["summary_refresh_s"] = round(time.perf_counter() - started, 1)
    for name, query in PERIODS.items():
        path = reverse("reports:report", args=["orders"])
        pages[f"orders, summary table ({name})"] = measure(
            client, path, query, args.repeat
        )
    results["pages"] = pages
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / f"reports-{mode}.json").write_text(json.dumps(results, indent=2))
    lines = ["| page | cold ms | warm ms (median) | queries |", "|---|---:|---:|---:|"]
    for page, figures in pages.items():
        lines.append(
            f"| {page} | {figures['cold_ms']:,} | {figures['warm_ms']:,} | "
            f"{figures['queries']} |"
        )
    report = "\n".join(lines)
    (VAR / f"report-reports-{mode}.md").write_text(report + "\n")
    sys.stdout.write(
        json.dumps({k: v for k, v in results.items() if k != "pages"}, indent=2) + "\n"
    )
    sys.stdout.write(report + "\n")


if __name__ == "__main__":
    main()
