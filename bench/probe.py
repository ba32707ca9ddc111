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
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.production")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402
from oscar.apps.partner.models import StockRecord  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from catalog.models import Category  # noqa: E402
from catalog.selectors import product_list_filtered, product_list_public  # noqa: E402
from sellers.models import Seller, SellerMember  # noqa: E402
from sellers.selectors import open_partner_ids  # noqa: E402

Basket = get_model("basket", "Basket")

HOST = "127.0.0.1"
PER_PAGE = 24
DEEP_PAGE = 200
#: DESIGN.md §6: product, category and booth pages serve at >= 40 % of the
#: trivial view's req/s uncached. The other pages have only the query bar.
RATIO_BAR = 0.40
QUERY_BAR = 12


def client(**cookies: str) -> Client:
    c = Client(HTTP_HOST=HOST)
    for name, value in cookies.items():
        c.cookies[name] = value
    return c


def cookie_header(c: Client, *names: str) -> str:
    return "; ".join(f"{n}={c.cookies[n].value}" for n in names if n in c.cookies)


def biggest_top_category() -> tuple[Category, int]:
    counts = [
        (product_list_filtered(category=category).count(), category)
        for category in Category.objects.browsable().filter(depth=1).order_by("path")
    ]
    count, category = max(counts, key=lambda pair: pair[0])
    return category, count


def busiest_booth() -> Seller:
    row = (
        StockRecord.objects.filter(
            partner_id__in=open_partner_ids(), product__in=product_list_public()
        )
        .values("partner_id")
        .annotate(n=Count("id"))
        .order_by("-n", "partner_id")
        .first()
    )
    return Seller.objects.get(partner_id=row["partner_id"])


def basket_cookie() -> tuple[str, list[int]]:
    """Post three products of three booths to `basket:add`; return the cookie."""
    products, partners = [], set()
    candidates = (
        product_list_public()
        .filter(stockrecords__num_in_stock__gte=5)
        .order_by("id")
        .values_list("id", "stockrecords__partner_id")[:500]
    )
    for product_id, partner_id in candidates:
        if partner_id not in partners:
            partners.add(partner_id)
            products.append(product_id)
        if len(products) == 3:
            break
    if len(products) < 3:
        raise SystemExit("probe: fewer than 3 booths with products in stock")
    c = client()
    for product_id in products:
        response = c.post(f"/basket/add/{product_id}/", {"quantity": 1})
        if response.status_code != 302:
            raise SystemExit(
                f"probe: basket:add for product {product_id} answered "
                f"{response.status_code}"
            )
    header = cookie_header(c, "oscar_open_basket")
    basket_id = c.cookies["oscar_open_basket"].value.split(":")[0]
    lines = Basket.objects.get(pk=basket_id).num_lines
    if lines != 3:
        raise SystemExit(f"probe: the benchmark basket has {lines} lines, not 3")
    return header, products


def panel_products_path(seller: Seller) -> str | None:
    """The seller panel's product list, if it is built yet (not Wagtail's catch-all)."""
    path = f"/panel/{seller.pk}/products/"
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return path if match.namespace == "panel" else None


def seller_session_cookie(seller: Seller) -> str:
    member = (
        SellerMember.objects.filter(seller=seller, role=SellerMember.Role.OWNER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    c = client()
    c.force_login(member.user)
    return cookie_header(c, "sessionid")


def choose_pages() -> dict:
    category, in_category = biggest_top_category()
    pages_in_category = max(1, -(-in_category // PER_PAGE))
    deep = min(DEEP_PAGE, pages_in_category)
    public = product_list_public().order_by("id")
    total_public = public.count()
    product = public[total_public // 2]
    booth = busiest_booth()
    basket, basket_products = basket_cookie()
    pages = [
        {"key": "home", "label": "home page", "path": "/"},
        {
            "key": "category",
            "label": f"category page 1 ({category.name}, {in_category} products)",
            "path": category.get_absolute_url(),
            "bar": RATIO_BAR,
        },
        {
            "key": "category_deep",
            "label": f"category page {deep} of {pages_in_category}",
            "path": f"{category.get_absolute_url()}?page={deep}",
            "bar": RATIO_BAR,
        },
        {
            "key": "product",
            "label": "product page",
            "path": product.get_absolute_url(),
            "bar": RATIO_BAR,
        },
        {
            "key": "booth",
            "label": "booth page (the booth with the most products)",
            "path": booth.get_absolute_url(),
            "bar": RATIO_BAR,
        },
        {
            "key": "basket",
            "label": "basket, 3 lines from 3 booths",
            "path": "/basket/",
            "cookie": basket,
        },
    ]
    panel_path = panel_products_path(booth)
    if panel_path:
        pages.append(
            {
                "key": "panel_products",
                "label": "seller panel: product list",
                "path": panel_path,
                "cookie": seller_session_cookie(booth),
            }
        )
    else:
        pages.append(
            {
                "key": "panel_products",
                "label": "seller panel: product list",
                "path": f"/panel/{booth.pk}/products/",
                "missing": "not built yet: the URL does not resolve to the panel",
            }
        )
    for page in pages:
        page.setdefault("bar", None)
        page.setdefault("cookie", "")
    return {
        "pages": pages,
        "public_products": total_public,
        "basket_products": basket_products,
    }


def cookies_of(header: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in header.split("; ") if part)


def count_queries(page: dict) -> None:
    c = client(**cookies_of(page["cookie"]))
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
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
