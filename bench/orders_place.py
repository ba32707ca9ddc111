"""Placing orders with concurrent buyers on PostgreSQL: orders/s, p50, p99,
errors and oversold units. Service level (`orders.services.order_place`, one
database connection per buyer thread), not HTTP: the checkout's HTTP steps are
measured by the page rows once they join `make bench`.

    scripts/services start && source var/services.env
    DJANGO_SETTINGS_MODULE=marketplace.settings.test \\
        .venv/bin/python -m bench.orders_place --buyers 8 --orders 400

It works in its own database (`bench_orders_place`, migrated on the first run
and kept), never in the real one or the tests'.
Every buyer's basket holds 1-3 products from 3 booths drawn from a small pool,
so buyers contend for the same rows; the pool's stock runs out part-way, so
refusals ("sold out") are expected and counted apart from errors.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=8)
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--products", type=int, default=12)
    parser.add_argument("--stock", type=int, default=60)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.test")
    import django

    django.setup()
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        sys.stderr.write("needs PostgreSQL: source var/services.env\n")
        return 2
    # Its own database, kept between runs; never the real one nor the tests'.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "bench_orders_place"
    connection.creation.create_test_db(verbosity=0, keepdb=True)

    from random import Random

    from orders.models import Order
    from orders.services import PlacementError
    from sellers.partner.models import StockRecord
    from tests.factories import make_product
    from tests.orders.conftest import basket_with, guest, make_booth, place

    stamp = int(time.time())
    booths = [
        make_booth(
            f"+98912{stamp % 10**6:06d}{i}",
            name=f"bench {stamp} {i}",
            slug=f"bench-{stamp}-{i}",
        )[0]
        for i in range(3)
    ]
    products = [
        make_product(
            seller=booths[i % 3], title=f"bench {stamp} {i}", num_in_stock=args.stock
        )
        for i in range(args.products)
    ]
    rng = Random(stamp)  # noqa: S311  (benchmark data)
    baskets = []
    for _ in range(args.orders):
        chosen = rng.sample(products, k=rng.randint(1, 3))
        baskets.append(basket_with([(p, 1) for p in chosen]))
    before = Order.objects.count()

    latencies: list[float] = []
    outcomes = {"placed": 0, "sold_out": 0, "errors": 0}
    lock = threading.Lock()
    queue = list(enumerate(baskets))

    def buyer():
        while True:
            with lock:
                if not queue:
                    break
                index, basket = queue.pop()
            started = time.perf_counter()
            try:
                place(basket, buyer=guest(phone=f"+98935{index:07d}"))
                outcome = "placed"
            except PlacementError:
                outcome = "sold_out"
            except Exception as error:  # noqa: BLE001  (counted and shown)
                outcome = "errors"
                sys.stderr.write(f"error: {error!r}\n")
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                outcomes[outcome] += 1
        connections.close_all()

    threads = [threading.Thread(target=buyer) for _ in range(args.buyers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started

    oversold = sum(
        max(0, (r.num_allocated or 0) - r.num_in_stock)
        for r in StockRecord.objects.filter(product__in=products)
    )
    placed = Order.objects.count() - before
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    sys.stdout.write(
        f"buyers {args.buyers}, attempts {len(latencies)}: placed {placed} "
        f"({placed / wall:.1f} orders/s), sold out {outcomes['sold_out']}, "
        f"errors {outcomes['errors']}, oversold units {oversold}; "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms\n"
    )
    return 1 if outcomes["errors"] or oversold or placed != outcomes["placed"] else 0


if __name__ == "__main__":
    sys.exit(main())
