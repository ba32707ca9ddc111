"""`make bench`, orders (issue 12): placing orders over HTTP with concurrent
buyers, and the category and product pages while orders flow.

    .venv/bin/python bench/orders_bench.py            # after bench/run.py (full)
    .venv/bin/python bench/orders_bench.py --quick    # after bench/run.py --quick

It runs on bench/run.py's kept database (var/bench/pgdata, already seeded) with
a throwaway Redis, and reuses run.py's services, gunicorn flags, wrk and
yardstick:

1. In-process (production settings, same database and cache), it prepares one
   checkout per order to place: a signed-in buyer whose basket holds the 3
   products from 3 booths the basket row uses, and whose checkout is at the
   review. The first buyer goes through the real checkout views (address, then
   post and pay on delivery for each booth, then the review); the others get a
   copy of her checkout state with their own basket lines. The 3 products'
   stock is set so that about the last tenth of the placing run finds one of
   them sold out.
2. **Placing**: `--buyers` threads POST /checkout/place/ (CSRF token and all),
   each order with its own buyer's session, on the page-cache-on site server
   (production as it is). Reported: orders/s, p50 and p99 of the POST, refused
   (the Persian sold-out message: a redirect to the basket), errors (any other
   answer), and oversold units (allocated beyond stock, read afterwards).
3. **Mixed**: the category and product pages (bench/pages.py's, anonymous) on
   that server, each loaded with wrk quiet and then while a thread places
   orders at `--rate` a second through a second server with the same settings
   (the checkout's own workers, so what the pages lose is the orders' effect on
   the caches and the machine, not two sync workers queueing behind them), the
   trivial view measured just before each. Reported: quiet and loaded req/s and
   their ratio (bar: 80 %).

Writes var/bench/orders-<mode>.json and var/bench/report-orders-<mode>.md; in
full mode also docs/BENCHMARKS.md between its own markers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import SITE_TRIVIAL  # noqa: E402
from bench.report import DOC  # noqa: E402
from bench.run import (  # noqa: E402
    HOST,
    MODES,
    PAGE_CACHE_SECONDS,
    VAR,
    Gunicorn,
    Postgres,
    Redis,
    django_env,
    ensure_tools,
    log,
    measure,
)

PLACE_PATH = "/checkout/place/"
REVIEW_PATH = "/checkout/review/"
PLACE_ORDERS = {"full": 400, "quick": 120}
MIXED_BAR = 0.80
SOLD_OUT_SHARE = 0.10
BUYER_PREFIX = "+98937"
GENERATED_START = "<!-- bench/orders_bench.py: generated from here -->"
GENERATED_END = "<!-- bench/orders_bench.py: generated up to here -->"


# --- in-process: the buyers ------------------------------------------------------------


def prepare(count: int, first: int) -> tuple[list[str], dict]:
    """`count` signed-in buyers at their checkout's review (cookie headers with
    a CSRF cookie), and the pages and products the run uses."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.pages import Subjects
    from bench.probe import client, cookie_header
    from orders.basket.models import Basket
    from orders.checkout.views import STATE
    from sellers.partner.strategy import MarketplaceStrategy

    subjects = Subjects(client=client, cookie_header=cookie_header)
    template = Client(HTTP_HOST=HOST)
    template.cookies.load(
        dict(p.split("=", 1) for p in subjects.checkout_cookie.split("; "))
    )
    state = template.session[STATE]
    products = subjects.basket[1]
    User = get_user_model()
    cookies = []
    for index in range(first, first + count):
        user, _ = User.objects.get_or_create(
            username=f"{BUYER_PREFIX}{index:07d}",
            defaults={"first_name": "خریدار سنجش"},
        )
        Basket.objects.filter(owner=user, status=Basket.OPEN).delete()
        basket = Basket.objects.create(owner=user)
        basket.strategy = MarketplaceStrategy()
        for product in subjects_products(products):
            basket.add_product(product, 1)
        c = Client(HTTP_HOST=HOST)
        c.force_login(user)
        session = c.session
        session[STATE] = {
            **state,
            "line_ids": list(basket.lines.order_by("pk").values_list("pk", flat=True)),
        }
        session.save()
        csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
        cookies.append(f"sessionid={session.session_key}; csrftoken={csrf}")
    return cookies, {
        "category": subjects.category.get_absolute_url(),
        "product": subjects.product.get_absolute_url(),
        "products": products,
    }


_products_cache: dict[tuple, list] = {}


def subjects_products(ids: list[int]) -> list:
    key = tuple(ids)
    if key not in _products_cache:
        from catalog.models import Product

        by_id = Product.objects.in_bulk(ids)
        _products_cache[key] = [by_id[i] for i in ids]
    return _products_cache[key]


def stock_set(product_ids: list[int], available: int) -> None:
    """Each product can be bought `available` more times (a queryset update
    through the signalling manager: the caches hear of it)."""
    from django.db.models import F, Value
    from django.db.models.functions import Coalesce

    from sellers.partner.models import StockRecord

    StockRecord.objects.filter(product_id__in=product_ids).update(
        num_in_stock=Coalesce(F("num_allocated"), Value(0)) + available
    )


def oversold(product_ids: list[int]) -> int:
    from sellers.partner.models import StockRecord

    return sum(
        max(0, (r.num_allocated or 0) - r.num_in_stock)
        for r in StockRecord.objects.filter(product_id__in=product_ids)
    )


def orders_count() -> int:
    from orders.models import Order

    return Order.objects.count()


# --- HTTP ---------------------------------------------------------------------------------


def place(port: int, cookie: str) -> tuple[str, float]:
    """POST the review's "place" button as the browser does; the outcome is
    "placed", "sold_out" or "error"."""
    csrf = cookie.rsplit("csrftoken=", 1)[1]
    body = f"csrfmiddlewaretoken={csrf}"
    started = time.perf_counter()
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        conn.request(
            "POST",
            PLACE_PATH,
            body=body,
            headers={
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = conn.getresponse()
        response.read()
        location = response.getheader("Location", "")
        conn.close()
    except OSError:
        return "error", time.perf_counter() - started
    elapsed = time.perf_counter() - started
    if response.status == 302 and location.endswith("/checkout/thank-you/"):
        return "placed", elapsed
    if response.status == 302 and location.endswith("/basket/"):
        return "sold_out", elapsed
    return "error", elapsed


def warm(port: int, cookies: list[str], buyers: int) -> None:
    """Load each buyer's review page on `port` a few times at once, so both
    workers have imported the checkout and compiled its templates before the
    timed run: a cold worker's first request took ~1 s and the buyers queued
    behind it (the first 8 POSTs of a run at ~4.5 s were its p99)."""

    def review(cookie: str) -> None:
        for _ in range(2):
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            conn.request("GET", REVIEW_PATH, headers={"Cookie": cookie})
            conn.getresponse().read()
            conn.close()

    threads = [
        threading.Thread(target=review, args=(cookie,)) for cookie in cookies[:buyers]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def placing_run(port: int, cookies: list[str], buyers: int) -> dict:
    queue = list(reversed(cookies))
    lock = threading.Lock()
    latencies: list[float] = []
    outcomes = {"placed": 0, "sold_out": 0, "error": 0}

    def buyer():
        while True:
            with lock:
                if not queue:
                    return
                cookie = queue.pop()
            outcome, elapsed = place(port, cookie)
            with lock:
                latencies.append(elapsed)
                outcomes[outcome] += 1

    threads = [threading.Thread(target=buyer) for _ in range(buyers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "buyers": buyers,
        "attempts": len(latencies),
        **outcomes,
        "seconds": round(wall, 2),
        "orders_per_s": round(outcomes["placed"] / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(
            latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 1
        ),
    }


class SteadyOrders:
    """Places orders at `rate` a second from a thread until stopped."""

    def __init__(self, port: int, cookies: list[str], rate: float) -> None:
        self.port, self.cookies, self.rate = port, cookies, rate
        self.outcomes = {"placed": 0, "sold_out": 0, "error": 0}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)
        self._workers: list[threading.Thread] = []

    def _one(self, cookie: str) -> None:
        outcome, _ = place(self.port, cookie)
        with self._lock:
            self.outcomes[outcome] += 1

    def _run(self) -> None:
        started = time.perf_counter()
        sent = 0
        while not self._stop.is_set() and self.cookies:
            due = started + sent / self.rate
            delay = due - time.perf_counter()
            if delay > 0:
                self._stop.wait(delay)
                continue
            worker = threading.Thread(target=self._one, args=(self.cookies.pop(),))
            worker.start()
            self._workers.append(worker)
            sent += 1
        self.seconds = time.perf_counter() - started

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        for worker in self._workers:
            worker.join()
        if not self.cookies:
            log("warning: the steady orders ran out of prepared buyers")


# --- report ---------------------------------------------------------------------------------


def markdown(results: dict) -> str:
    p, mixed = results["placing"], results["mixed"]
    verdict = "meets" if p["error"] == 0 and results["oversold"] == 0 else "**misses**"
    lines = [
        f"Run of {results['finished_at']} ({results['mode']} mode).",
        "",
        "| placing orders (POST /checkout/place/, 3 booths each) | buyers | attempts "
        "| placed | orders/s | p50 ms | p99 ms | refused: sold out | errors | oversold "
        "units | bar |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        f"| page cache on server | {p['buyers']} | {p['attempts']} | {p['placed']} "
        f"| {p['orders_per_s']:.1f} | {p['p50_ms']:.0f} | {p['p99_ms']:.0f} "
        f"| {p['sold_out']} | {p['error']} | {results['oversold']} "
        f"| 0 errors, 0 oversold: {verdict} |",
        "",
        f"| page while orders flow (~{results['rate']:g} orders/s) | path | quiet req/s "
        "| trivial just before | loaded req/s | trivial just before | loaded ÷ quiet "
        "| orders placed meanwhile | bar |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in mixed:
        ok = row["ratio"] >= MIXED_BAR
        lines.append(
            f"| {row['label']} | `{row['path']}` | {row['quiet']['rps']:.1f} "
            f"| {row['quiet']['trivial_rps']:.0f} | {row['loaded']['rps']:.1f} "
            f"| {row['loaded']['trivial_rps']:.0f} | {row['ratio'] * 100:.0f} % "
            f"| {row['orders']['placed']} ({row['orders_per_s']:.1f}/s; "
            f"{row['orders']['error']} errors) "
            f"| ≥ {MIXED_BAR * 100:.0f} %: {'meets' if ok else '**misses**'} |"
        )
    lines += [
        "",
        "Every order is a signed-in buyer's checkout at its review, placed by a POST "
        "with its CSRF token, as the browser sends it; the 3 products are the basket "
        "row's (3 booths), with stock set so the last tenth of the placing run finds "
        "one sold out (refused with the Persian message, not an error). Mixed rows: "
        "wrk on the page-cache-on server, anonymous, the orders sent to a second "
        "server with the same settings (the checkout's own workers); the ratio "
        "divides the loaded run by the quiet one (each with its own trivial-view run "
        "just before, shown for the noise). Load average "
        f"{results['loadavg'][0]:.1f} before, {results['loadavg'][1]:.1f} after.",
    ]
    return "\n".join(lines) + "\n"


def write_doc(report: str) -> None:
    generated = f"{GENERATED_START}\n\n{report}\n{GENERATED_END}"
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if GENERATED_START in text and GENERATED_END in text:
        head, rest = text.split(GENERATED_START, 1)
        text = head + generated + rest.split(GENERATED_END, 1)[1]
    else:
        text = (
            text.rstrip()
            + "\n\n## Orders (bench/orders_bench.py)\n\n"
            + generated
            + "\n"
        )
    DOC.write_text(text)


# --- the run ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--buyers", type=int, default=8)
    parser.add_argument("--orders", type=int, help="orders in the placing run")
    parser.add_argument("--rate", type=float, default=5.0, help="orders/s, mixed rows")
    args = parser.parse_args()
    name = "quick" if args.quick else "full"
    mode = dict(MODES[name])
    to_place = args.orders or PLACE_ORDERS[name]
    mixed_pages = 2
    # Orders flow through each loaded run's trivial-view pair, warm-up and load.
    window = mode["pair"] + mode["warmup"] + mode["duration"] + 5
    steady = int(args.rate * window * mixed_pages) + 10

    ensure_tools()
    pg, redis = Postgres(), Redis()
    servers: list[Gunicorn] = []
    try:
        pg.start()
        redis.start()
        env = django_env(pg.url(mode["db"]), redis.url())
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connections

        step = time.monotonic()
        cookies, subjects = prepare(to_place + steady, first=0)
        place_cookies, steady_cookies = cookies[:to_place], cookies[to_place:]
        products = subjects["products"]
        stock_set(products, int(to_place * (1 - SOLD_OUT_SHARE)))
        before = orders_count()
        connections.close_all()
        log(f"prepared {len(cookies)} checkouts in {time.monotonic() - step:.0f} s")

        cached_env = {**env, "PAGE_CACHE_SECONDS": str(PAGE_CACHE_SECONDS)}
        app = "marketplace.wsgi:application"
        site = Gunicorn("site-cached", app, cached_env)
        checkout = Gunicorn("site-checkout", app, cached_env)
        servers += [site, checkout]
        for server in servers:
            server.start()
        load_start = os.getloadavg()[0]

        warm(site.port, place_cookies, args.buyers)
        warm(checkout.port, steady_cookies, args.buyers)
        placing = placing_run(site.port, place_cookies, args.buyers)
        placed_rows = orders_count() - before
        if placed_rows != placing["placed"]:
            placing["error"] += abs(placed_rows - placing["placed"])
        over = oversold(products)
        log(
            f"placing: {placing['placed']} placed of {placing['attempts']} "
            f"({placing['orders_per_s']} orders/s), p50 {placing['p50_ms']} ms, "
            f"p99 {placing['p99_ms']} ms, sold out {placing['sold_out']}, "
            f"errors {placing['error']}, oversold {over}"
        )
        stock_set(products, 100_000)  # the mixed rows sell without running out
        connections.close_all()

        yardstick = site.base + SITE_TRIVIAL
        mixed = []
        for key, label in (
            ("category", "category page 1"),
            ("product", "product page"),
        ):
            url = site.base + subjects[key]
            quiet = measure(f"{key} (quiet)", url, mode, trivial=yardstick)
            flow = SteadyOrders(checkout.port, steady_cookies, args.rate)
            with flow:
                loaded = measure(
                    f"{key} (orders flowing)", url, mode, trivial=yardstick
                )
            mixed.append(
                {
                    "key": key,
                    "label": label,
                    "path": subjects[key],
                    "quiet": quiet,
                    "loaded": loaded,
                    "ratio": round(loaded["rps"] / quiet["rps"], 3),
                    "orders": dict(flow.outcomes),
                    "orders_per_s": round(flow.outcomes["placed"] / flow.seconds, 1),
                }
            )
            log(f"{key}: loaded ÷ quiet = {mixed[-1]['ratio'] * 100:.0f} %")
        results = {
            "mode": name,
            "finished_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "rate": args.rate,
            "placing": placing,
            "oversold": over,
            "mixed": mixed,
            "loadavg": [load_start, os.getloadavg()[0]],
        }
    finally:
        for server in servers:
            server.stop()
        redis.stop()
        pg.stop()
    for row in results["mixed"]:
        for run_ in (row["quiet"], row["loaded"]):
            run_.pop("raw", None)
    (VAR / f"orders-{name}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    )
    report = markdown(results)
    (VAR / f"report-orders-{name}.md").write_text(report)
    if name == "full":
        write_doc(report)
    print("\n" + report)  # noqa: T201
    failed = placing["error"] or over
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
