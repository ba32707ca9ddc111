"""`make bench`, search step: index the bench's products, then time 20 Persian
queries (with facets) on both backends and the search page's req/s.

    .venv/bin/python bench/search_bench.py            # 100,000 products
    .venv/bin/python bench/search_bench.py --quick    # 2,000 products
    .venv/bin/python bench/search_bench.py --products 20000 --skip-http
    .venv/bin/python bench/search_bench.py --hold   # reindex, then keep it all up
                    # (source var/bench/bench.env and var/bench/search.env)

It reuses bench/run.py's PostgreSQL cluster and database (var/bench/pgdata,
seeded only when its product count differs), Redis and gunicorn/wrk helpers, and
starts an Elasticsearch of its own through scripts/services (state in
var/bench/services, so the test services are untouched). Steps:

1. `manage.py search_reindex` (a new index and the database table): its time.
2. In-process, the 20 queries on each backend through `catalog.search` (facets
   on), after one warm-up pass, REPEAT times each: p50 and p95 in ms.
3. gunicorn (bench.site.settings, the production settings) on each of SERVERS
   (Elasticsearch with the caches on as in production; with the result cache
   off; the database backend; no catalogue cache at all): every worker warmed,
   then wrk on /search/?q=… right after the trivial view, the ratio of the two.

Writes var/bench/search-<mode>.json and prints a Markdown table. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (  # noqa: E402
    MODES,
    NO_CACHE,
    PYTHON,
    ROOT,
    SITE_TRIVIAL,
    VAR,
    Gunicorn,
    Postgres,
    Redis,
    demo_product_count,
    django_env,
    ensure_tools,
    http_get,
    log,
    manage,
    measure,
)
from bench.run import hold as bench_hold  # noqa: E402

SERVICES_VAR = VAR / "services"
REPEAT = 5
# 20 Persian queries a buyer might type, with the facets the page asks for
# (filters as in the page's query string). Some with Arabic letters, joined
# words, a typo, digits.
QUERIES = [
    ("دستبند چرم", {}),
    ("كيف چرمي", {}),
    ("دستدوز", {}),
    ("ترشی", {"sort": "price_asc"}),
    ("شال", {"district": 20}),
    ("گردنبند نقره", {}),
    ("رومیزی", {}),
    ("عروسک", {"fulfilment": "made_to_order"}),
    ("قارچ", {}),
    ("مربا", {"price_bucket": "0-200"}),
    ("کیف پول", {"sort": "newest"}),
    ("روسری", {"seller_kind": "group"}),
    ("سفال", {}),
    ("گلیم", {"sort": "price_desc"}),
    ("دستبنذ", {}),
    ("کیف دوشی مشکی", {}),
    ("لباس بچه", {}),
    ("جاکلیدی", {}),
    ("شمع", {}),
    ("چرم", {"district": 12, "price_bucket": "200-500"}),
]
PAGE_QUERY = "دستبند چرم"
# The servers the page is loaded on, all with the production settings (the
# anonymous page cache never keeps a page with a query string, so it plays no
# part): (key, label, environment over the bench's).
SERVERS = [
    # As in production: the card cache and the page's result cache on.
    ("elasticsearch", "Elasticsearch, caches on", {}),
    # Every request asks Elasticsearch: what a query no one asked lately costs.
    (
        "elasticsearch_uncached",
        "Elasticsearch, result cache off",
        {"SEARCH_CACHE_SECONDS": "0"},
    ),
    ("database", "database backend, caches on", {"ELASTICSEARCH_URL": ""}),
    # Nothing from the catalogue kept (the old bench's only figure).
    (
        "nocache",
        "Elasticsearch, no catalogue cache",
        {**NO_CACHE, "SEARCH_CACHE_SECONDS": "0"},
    ),
]

# wrk is one client: the per-client search rate (SEARCH_RATE_LIMITS) would
# answer it 429 after the first minute's worth, so the bench lifts it.
UNLIMITED = {"SEARCH_RATE_PAGE": "100000000", "SEARCH_RATE_SUGGEST": "100000000"}

LATENCY_SCRIPT = r"""
import json, statistics, sys, time
import django
django.setup()
from django.conf import settings
# Time the backends themselves: no 1 s timeout cutting a slow search short (the
# site would answer such a one from the database; "over_1s" counts them).
settings.SEARCH_TIMEOUT = 30.0
from catalog.search import service
from catalog.search.base import SearchQuery
queries, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
out = {}
for name, backend in (("elasticsearch", service.elasticsearch), ("database", service.database)):
    samples, totals = [], {}
    for text, filters in queries:  # warm-up pass
        backend.search(SearchQuery(text=text, **filters))
    for _ in range(repeat):
        for text, filters in queries:
            started = time.perf_counter()
            result = backend.search(SearchQuery(text=text, **filters))
            samples.append((time.perf_counter() - started) * 1000)
            totals[text + json.dumps(filters, ensure_ascii=False)] = result.total
    samples.sort()
    out[name] = {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 1),
        "max_ms": round(samples[-1], 1),
        "over_1s": sum(1 for ms in samples if ms > 1000),
        "samples": len(samples),
        "totals": totals,
    }
print("LATENCY_JSON " + json.dumps(out, ensure_ascii=False))
"""


def services(command: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DASTAVARD_SERVICES_VAR": str(SERVICES_VAR),
        "DASTAVARD_SERVICES": "elasticsearch",
    }
    out = subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / "services"), command],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = {}
    for line in out.splitlines():
        if line.startswith("export "):
            key, _, value = line.removeprefix("export ").partition("=")
            found[key] = value
    return found


def warm(server: Gunicorn, paths: list[str], rounds: int = 3) -> None:
    """Let every worker serve each path before anything is timed. A worker's
    first request loads the URLconf and the apps (over 10 s on a loaded 2-core
    machine); the trivial view is timed first, so without this its few seconds
    could end before one request did (the old "no trivial figure" on the
    database server)."""
    for _ in range(rounds):
        for path in paths:
            threads = [
                threading.Thread(target=http_get, args=(server.port, path))
                for _ in range(4)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()


def hold(env: dict[str, str]) -> None:
    """bench/run.py's `hold` (var/bench/bench.env), plus what search adds to it
    in var/bench/search.env (source both)."""
    path = VAR / "search.env"
    path.write_text(
        "".join(f"export {k}={env[k]}\n" for k in ("ELASTICSEARCH_URL", "SEARCH_INDEX"))
    )
    try:
        bench_hold(env)
    finally:
        path.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--products", type=int)
    parser.add_argument("--duration", type=int)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument(
        "--hold",
        action="store_true",
        help="after the reindex, keep the services up for profiling by hand",
    )
    args = parser.parse_args()
    name = "quick" if args.quick else "full"
    mode = dict(MODES[name])
    if args.products is not None:
        mode["products"] = args.products
    if args.duration is not None:
        mode["duration"] = args.duration
    VAR.mkdir(parents=True, exist_ok=True)
    ensure_tools()
    pg, redis = Postgres(), Redis()
    servers: list[Gunicorn] = []
    results: dict = {"mode": name, "products": mode["products"]}
    try:
        pg.start()
        redis.start()
        log("starting Elasticsearch (scripts/services, state in var/bench/services)")
        es = services("start")
        pg.ensure_database(mode["db"])
        env = django_env(pg.url(mode["db"]), redis.url())
        env.update(
            ELASTICSEARCH_URL=es["ELASTICSEARCH_URL"],
            SEARCH_INDEX=f"bench-{name}-products",
        )
        manage(env, "migrate", "--noinput", "-v0")
        have = demo_product_count(env)
        if have != mode["products"]:
            log(
                f"{mode['db']} holds {have:,} demo products; seeding {mode['products']:,}"
            )
            manage(env, "seed_demo", "--products", str(mode["products"]), "-v1")
        pg.psql("VACUUM ANALYZE", db=mode["db"])

        started = time.monotonic()
        manage(env, "search_reindex")
        results["reindex_seconds"] = round(time.monotonic() - started, 1)
        pg.psql("VACUUM ANALYZE search_searchentry", db=mode["db"])
        log(f"search_reindex: {results['reindex_seconds']} s")
        if args.hold:
            hold(env)
            return

        out = subprocess.run(  # noqa: S603
            [
                PYTHON,
                "-c",
                LATENCY_SCRIPT,
                json.dumps(QUERIES, ensure_ascii=False),
                str(REPEAT),
            ],
            env={**env, "SEARCH_TIMEOUT": "1.0"},
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            log(f"latency run failed:\n{out.stderr[-3000:]}")
            raise SystemExit(1)
        out = out.stdout
        line = next(x for x in out.splitlines() if x.startswith("LATENCY_JSON "))
        results["latency"] = json.loads(line.removeprefix("LATENCY_JSON "))
        for backend, figures in results["latency"].items():
            log(
                f"{backend:<14} p50 {figures['p50_ms']:>6.1f} ms  p95 "
                f"{figures['p95_ms']:>6.1f} ms  max {figures['max_ms']:>6.1f} ms "
                f"({figures['samples']} searches)"
            )

        if not args.skip_http:
            manage(env, "collectstatic", "--noinput", "-v0")
            path = f"/search/?q={quote(PAGE_QUERY)}"
            app = "marketplace.wsgi:application"
            for key, label, extra in SERVERS:
                server = Gunicorn(f"search-{key}", app, {**env, **UNLIMITED, **extra})
                servers.append(server)
                server.start()
                warm(server, [SITE_TRIVIAL, path])
                try:
                    results[f"page_{key}"] = measure(
                        f"search page ({label})",
                        server.base + path,
                        mode,
                        trivial=server.base + SITE_TRIVIAL,
                    )
                except ZeroDivisionError:
                    # The trivial view served nothing: say so, never a ratio.
                    log(f"the trivial view answered no request ({label}); no ratio")
                else:
                    results[f"page_{key}"].pop("raw", None)
                    results[f"page_{key}"]["label"] = label
                server.stop()
    finally:
        for server in servers:
            server.stop()
        try:
            services("stop")
        except subprocess.CalledProcessError:
            log("warning: could not stop the benchmark's Elasticsearch")
        redis.stop()
        pg.stop()

    (VAR / f"search-{name}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2)
    )
    lat = results["latency"]
    print("\n| figure | Elasticsearch | database | bar |")  # noqa: T201
    print("|---|---|---|---|")  # noqa: T201
    for key, bar in (("p50_ms", "≤ 50 ms"), ("p95_ms", "≤ 150 ms")):
        print(  # noqa: T201
            f"| {key} over {mode['products']:,} products | "
            f"{lat['elasticsearch'][key]} | {lat['database'][key]} | {bar} |"
        )
    for key, label, _ in SERVERS:
        page = results.get(f"page_{key}")
        if page:
            print(  # noqa: T201
                f"| search page req/s ({label}) | {page['rps']} "
                f"({page.get('ratio', 0) * 100:.0f} % of the trivial view's "
                f"{page.get('trivial_rps')}) | | ≥ 25 % |"
            )
    print(f"| search_reindex | {results['reindex_seconds']} s | | < 180 s |")  # noqa: T201


if __name__ == "__main__":
    main()
