"""Page weight: bytes a first visit transfers, against a budget.

    .venv/bin/python bench/weight.py                 # own server (step of `make bench`)
    .venv/bin/python bench/weight.py --url http://127.0.0.1:8000   # a running site
                                                     # (`make run`: demo data)

Headless Chromium (Playwright, Debian's /usr/bin/chromium) opens each page in a
new browser context (empty cache: a first visit) as a cheap phone on mobile data
(360 x 780 CSS px at 2x, 3G emulated: 1.6 Mbit/s down, 150 ms), waits until the
network is idle, and adds up what went over the wire for every request
(Chrome's `encodedDataLength`: headers plus the body as sent, compressed when
it was). Pictures below the first screen that the browser holds back
(`loading="lazy"`) are not counted, as for a visitor who does not scroll.

Pages: the home page, a category (the header menu's first), a product (that
category's first card), and the seller panel's home and product list (signed in
as the demo seller owner, whose mobile number `seed_demo` prints). Budgets:
storefront pages 150 KB, panel pages 120 KB (1 KB = 1,000 bytes here). Writes
docs/PAGE_WEIGHT.md (with --url: var/bench/page-weight.md, unless --write-doc);
exits 1 when a page is over its budget or could not be measured.

Without --url it serves the site itself as production would (production
settings, DEBUG off, `collectstatic` with WhiteNoise's compressed files, two
gunicorn workers) over its own SQLite database in var/bench/weight/ (migrated and
seeded with the default demo data once; re-runs reuse it), then stops it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench" / "weight"
DOC = ROOT / "docs" / "PAGE_WEIGHT.md"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {
    "viewport": {"width": 360, "height": 780},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "fa-IR",
    "timezone_id": "Asia/Tehran",
}
# Chrome DevTools' "Fast 3G" preset.
THREE_G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
    "connectionType": "cellular3g",
}
STOREFRONT_BUDGET = 150_000
PANEL_BUDGET = 120_000
DEMO_PASSWORD = "dastavard-demo"  # noqa: S105  (seed_demo's published demo password)
HREF = re.compile(r'href="([^"]+)"')
KINDS = ("document", "stylesheet", "font", "image", "script", "other")


@dataclass
class Weight:
    name: str
    path: str
    budget: int
    bytes_by_kind: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    statuses: list[int] = field(default_factory=list)
    error: str = ""

    @property
    def total(self) -> int:
        return sum(self.bytes_by_kind.values())

    @property
    def ok(self) -> bool:
        return not self.error and self.total <= self.budget


# --- finding the pages ---------------------------------------------------------------


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
        return response.read().decode("utf-8", "replace")


def first_link(html: str, pattern: str) -> str | None:
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        if re.search(pattern, unquote(href)):
            return href
    return None


def storefront_pages(base: str) -> list[tuple[str, str | None, int]]:
    home = fetch(base + "/")
    category = first_link(home, r"^/catalogue/category/[^?#]+/$")
    product = None
    if category:
        product = first_link(
            fetch(urljoin(base, category)), r"^/catalogue/(?!category/)[^/?#]+_\d+/$"
        )
    return [
        ("home", "/", STOREFRONT_BUDGET),
        ("category", category, STOREFRONT_BUDGET),
        ("product", product, STOREFRONT_BUDGET),
    ]


def demo_seller_phone() -> str:
    """The mobile number `seed_demo` prints for the first approved individual owner."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from marketplace.demo.seeding.plans import DEFAULT_SELLERS, plan_sellers
    from sellers.models import Seller

    for plan in plan_sellers(DEFAULT_SELLERS):
        if (
            plan.kind == Seller.Kind.INDIVIDUAL
            and plan.status == Seller.Status.APPROVED
        ):
            return plan.owner.mobile
    raise SystemExit("weight: the demo data has no approved individual seller")


# --- measuring -----------------------------------------------------------------------


def _kind(resource_type: str) -> str:
    resource_type = resource_type.lower()
    return resource_type if resource_type in KINDS else "other"


def measure(browser, base: str, weight: Weight, storage_state=None) -> Weight:
    context = browser.new_context(**PHONE, storage_state=storage_state)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", THREE_G)
        types: dict[str, str] = {}
        sizes: dict[str, int] = {}
        statuses: list[int] = []

        def on_response(event):
            types[event["requestId"]] = event.get("type", "Other")
            if event.get("type") == "Document":
                statuses.append(event["response"]["status"])

        def on_finished(event):
            sizes[event["requestId"]] = int(event.get("encodedDataLength", 0))

        cdp.on("Network.responseReceived", on_response)
        cdp.on("Network.loadingFinished", on_finished)
        page.goto(urljoin(base, weight.path), wait_until="load", timeout=120_000)
        page.wait_for_load_state("networkidle", timeout=120_000)
        page.wait_for_timeout(500)
        for request_id, size in sizes.items():
            kind = _kind(types.get(request_id, "Other"))
            weight.bytes_by_kind[kind] = weight.bytes_by_kind.get(kind, 0) + size
        weight.requests = len(sizes)
        weight.statuses = statuses
        if not statuses or statuses[-1] != 200:
            weight.error = f"the page answered {statuses or 'nothing'}"
    finally:
        context.close()
    return weight


def signed_in_state(browser, base: str, phone: str, password: str):
    """Cookies of the demo seller, signed in through the login form."""
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(urljoin(base, "/account/login/?next=/panel/"))
        page.fill('input[name="phone"]', phone)
        page.fill('input[name="password"]', password)
        page.click('form[action="/account/login/"] button[type="submit"]')
        page.wait_for_load_state("load")
        match = re.search(r"/panel/(\d+)/", page.url)
        if not match:
            raise SystemExit(f"weight: signing in as {phone} led to {page.url}")
        return context.storage_state(), int(match.group(1))
    finally:
        context.close()


def measure_all(base: str, phone: str | None, password: str) -> list[Weight]:
    from playwright.sync_api import sync_playwright

    weights = [
        Weight(name, path or "", budget)
        for name, path, budget in storefront_pages(base)
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for weight in weights:
                if not weight.path:
                    weight.error = "no link to it was found"
                    continue
                measure(browser, base, weight)
            state, seller_id = signed_in_state(
                browser, base, phone or demo_seller_phone(), password
            )
            for name, path in (
                ("panel home", f"/panel/{seller_id}/"),
                ("panel products", f"/panel/{seller_id}/products/"),
            ):
                weights.append(
                    measure(browser, base, Weight(name, path, PANEL_BUDGET), state)
                )
        finally:
            browser.close()
    return weights


# --- the report --------------------------------------------------------------------


def kb(n: int) -> str:
    return f"{n / 1000:,.1f}"


def report(weights: list[Weight], where: str) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Page weight",
        "",
        f"Written by `bench/weight.py` ({where}) on {now}. A first visit (empty",
        "cache) by a cheap phone on mobile data: Chromium at 360 x 780 CSS px, 2x,",
        "Fast 3G emulated; bytes as transferred (headers + compressed bodies), until",
        "the network is idle, without scrolling (pictures the browser holds back",
        'with `loading="lazy"` are not counted). 1 KB = 1,000 bytes.',
        "",
        "| page | requests | HTML | CSS | fonts | images | JS | other | total KB | budget KB | |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for w in weights:
        by = w.bytes_by_kind
        verdict = (
            "ok"
            if w.ok
            else ("**not measured**: " + w.error if w.error else "**over budget**")
        )
        lines.append(
            f"| {w.name} (`{unquote(w.path) or '-'}`) | {w.requests} | "
            + " | ".join(kb(by.get(kind, 0)) for kind in KINDS)
            + f" | **{kb(w.total)}** | {kb(w.budget)} | {verdict} |"
        )
    lines += [
        "",
        "Budgets: home, category and product pages at most 150 KB, the seller",
        "panel at most 120 KB (issue 10). `make bench` fails when a page is over.",
        "",
    ]
    return "\n".join(lines)


# --- serving the site ourselves -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{VAR / 'db.sqlite3'}",
        MEDIA_ROOT=str(VAR / "media"),
        PRODUCT_PHOTO_PRIVATE_ROOT=str(VAR / "private-uploads"),
        SERVE_MEDIA="1",
    )
    return env


@contextlib.contextmanager
def own_server():
    VAR.mkdir(parents=True, exist_ok=True)
    env = site_env()
    manage = [sys.executable, "manage.py"]
    for step in (
        ["migrate", "--noinput"],
        ["seed_demo"],
        ["collectstatic", "--noinput"],
    ):
        print("weight:", " ".join(step), flush=True)  # noqa: T201
        subprocess.run(  # noqa: S603
            manage + step, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "marketplace.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("weight: the site did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="measure this running site instead of our own")
    parser.add_argument(
        "--seller-phone", help="panel login (default: the demo seller's)"
    )
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument(
        "--write-doc",
        action="store_true",
        help="with --url, write docs/PAGE_WEIGHT.md too (default: var/bench/page-weight.md)",
    )
    args = parser.parse_args()

    if args.url:
        weights = measure_all(args.url.rstrip("/"), args.seller_phone, args.password)
        where = f"against {args.url}"
        target = DOC if args.write_doc else ROOT / "var" / "bench" / "page-weight.md"
    else:
        with own_server() as base:
            weights = measure_all(base, args.seller_phone, args.password)
        where = "`make bench`: production settings, gunicorn, seed_demo data"
        target = DOC
    text = report(weights, where)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    print(text)  # noqa: T201
    print(f"written to {target.relative_to(ROOT)}")  # noqa: T201
    over = [w.name for w in weights if not w.ok]
    if over:
        print(f"bench/weight.py: FAILED: {', '.join(over)}", file=sys.stderr)  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
