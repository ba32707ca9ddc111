"""The in-process half of `make bench`: choose the pages, make the cookies, count queries.

Run by bench/run.py with the production settings and the benchmark database and
cache in the environment. It

- chooses the pages to load (a big top-level category, a deep page of it, a
  product, the booth with the most products, ...), deterministically;
- fills a basket with 3 lines from 3 booths by posting to `basket:add`, and logs
  the booth's owner in, so wrk can send those cookies;
- requests every page once to warm it, then once more inside
  `CaptureQueriesContext` to count its SQL queries;
- with `--profile KEY`, instead runs pyinstrument over `--requests` requests of
  one page and writes the profile to var/bench/.

It prints nothing but its JSON (to --out).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.production")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench.pages import PAGES, Subjects  # noqa: E402

HOST = "127.0.0.1"


def client(**cookies: str) -> Client:
    c = Client(HTTP_HOST=HOST)
    for name, value in cookies.items():
        c.cookies[name] = value
    return c


def cookie_header(c: Client, *names: str) -> str:
    return "; ".join(f"{n}={c.cookies[n].value}" for n in names if n in c.cookies)


def choose_pages() -> dict:
    """The page rows (bench/pages.py) with their paths and cookies chosen."""
    subjects = Subjects(client=client, cookie_header=cookie_header)
    pages = [page.build(subjects) for page in PAGES]
    return {
        "pages": pages,
        "public_products": subjects.public_products,
        "basket_products": subjects.basket[1],
        "seller_cookie": subjects.seller_cookie,
    }


def cookies_of(header: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in header.split("; ") if part)


NO_CACHE = {
    "CARD_CACHE_SECONDS": 0,
    "LISTING_CACHE_SECONDS": 0,
}
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _page_text(response) -> str:
    return _CSRF_VALUE.sub(r"\1…\2", response.content.decode())


def count_queries(page: dict) -> None:
    c = client(**cookies_of(page["cookie"]))
    with override_settings(**NO_CACHE):
        c.get(page["path"])
        with CaptureQueriesContext(connection) as queries:
            uncached = c.get(page["path"])
    page["queries_nocache"] = len(queries)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        c.get(page["path"])  # cold: menu, open booths, listing count all missing
    page["queries_cold"] = len(queries)
    for _ in range(2):  # warm the caches (menu, open booths, thumbnails, templates)
        c.get(page["path"])
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = c.get(page["path"])
    page["inprocess_ms"] = round((time.perf_counter() - started) * 1000, 1)
    page["status"] = response.status_code
    page["bytes"] = len(response.content)
    page["queries"] = len(queries)
    page["sql"] = [q["sql"][:300] for q in queries.captured_queries]
    # The catalogue caches must not change what the page says.
    page["same_with_caches"] = _page_text(response) == _page_text(uncached)


CACHE_TEST_SECONDS = 30


def queries_of(c: Client, path: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = c.get(path)
    return len(queries), response


def mark_cached_pages(pages: list[dict]) -> None:
    """With the page cache on: does it serve this page (a hit runs no query)?"""
    with override_settings(PAGE_CACHE_SECONDS=CACHE_TEST_SECONDS):
        cache.clear()
        for page in pages:
            if page.get("missing") or page["cookie"]:
                page["cached"] = False
                continue
            c = client()
            c.get(page["path"])
            hit_queries, response = queries_of(c, page["path"])
            page["cached"] = hit_queries == 0 and response.status_code == 200
            page["cached_queries"] = hit_queries


def check_page_cache(pages: list[dict], seller_cookie: str, basket: str) -> list[dict]:
    """The page cache never shows one visitor's page to another, and a cached
    page's add-to-basket form works (its CSRF token is the visitor's own)."""
    checks = []

    def check(name: str, ok: bool) -> None:
        checks.append({"check": name, "ok": bool(ok)})

    product = next(p for p in pages if p["key"] == "product")
    path = product["path"]
    product_id = int(path.rstrip("/").rsplit("_", 1)[1])
    logout = 'action="/account/logout/"'
    with override_settings(PAGE_CACHE_SECONDS=CACHE_TEST_SECONDS):
        cache.clear()
        first = client().get(path)
        visitor = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
        hit_queries, hit = queries_of(visitor, path)
        check("an anonymous visitor's second view is a cache hit", hit_queries == 0)
        check(
            "the hit has the same length as the page",
            len(hit.content) == len(first.content),
        )
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', hit.content)
        check("the hit carries a CSRF token", token is not None)
        check("the hit sets the CSRF cookie", "csrftoken" in hit.cookies)
        for header in ("X-Frame-Options", "Content-Language", "X-Content-Type-Options"):
            check(f"the hit has {header}", hit.get(header) == first.get(header))
        check("the hit varies on Cookie", "Cookie" in hit.get("Vary", ""))
        if token:
            posted = visitor.post(
                f"/basket/add/{product_id}/",
                {"quantity": 1, "csrfmiddlewaretoken": token.group(1).decode()},
            )
            check(
                "adding to the basket from a cached page works",
                posted.status_code == 302,
            )
            check(
                "that visitor, now with a basket, is not served from the cache",
                queries_of(visitor, path)[0] > 0,
            )
        if seller_cookie:
            member = client(**cookies_of(seller_cookie))
            mq, mine = queries_of(member, path)
            check("a logged-in visitor is not served from the cache", mq > 0)
            check(
                "a logged-in visitor sees her own header",
                logout in mine.content.decode(),
            )
        shopper = client(**cookies_of(basket))
        sq, page = queries_of(shopper, path)
        check("a visitor with a basket is not served from the cache", sq > 0)
        check(
            "a visitor with a basket sees her basket count",
            'data-testid="basket-count">۳<' in page.content.decode(),
        )
        again = client().get(path).content.decode()
        check("anonymous visitors never get a logged-in header", logout not in again)
        cache.clear()
    return checks


def profile(pages: list[dict], key: str, requests: int, out_dir: Path) -> dict:
    from pyinstrument import Profiler

    page = next(p for p in pages if p["key"] == key)
    c = client(**cookies_of(page["cookie"]))
    for _ in range(3):
        c.get(page["path"])
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    profiler.start()
    for _ in range(requests):
        c.get(page["path"])
    profiler.stop()
    elapsed = time.perf_counter() - started
    out_dir.mkdir(parents=True, exist_ok=True)
    text = out_dir / f"profile-{key}.txt"
    text.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    profiler.last_session.save(out_dir / f"profile-{key}.pyisession")
    (out_dir / f"profile-{key}.html").write_text(profiler.output_html())
    return {
        "page": key,
        "path": page["path"],
        "requests": requests,
        "ms_per_request": round(elapsed * 1000 / requests, 2),
        "profile": str(text),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--profile", help="page key to profile with pyinstrument")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    result = choose_pages()
    if args.profile:
        keys = [p["key"] for p in result["pages"] if not p.get("missing")]
        chosen = keys if args.profile == "all" else args.profile.split(",")
        result["profiles"] = [
            profile(result["pages"], key, args.requests, Path(args.out).parent)
            for key in chosen
        ]
    else:
        for page in result["pages"]:
            if not page.get("missing"):
                count_queries(page)
        mark_cached_pages(result["pages"])
        basket = next(p for p in result["pages"] if p["key"] == "basket")["cookie"]
        result["page_cache_checks"] = check_page_cache(
            result["pages"], result["seller_cookie"], basket
        )
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
