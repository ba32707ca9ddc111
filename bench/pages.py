"""The page rows of `make bench`: one line each in `PAGES`.

A row says which page to load, how to label it, which bar it has and whose
cookie wrk sends. bench/probe.py builds each row in-process (path, label,
cookie, query counts, the page-cache checks) and bench/run.py loads it with wrk
on the three servers and reports it (bench/report.py). To add a page, add one
line, for example:

    Page("checkout_address", "checkout: address", lambda s: "/checkout/shipping-address/",
         cookie="basket", view="checkout:shipping-address"),

`s` is the `Subjects` of the run: the pages, products, booth and cookies chosen
once, deterministically (add a `cached_property` there if a row needs something
new). With `view`, a path that does not resolve to that URL name is reported as
"not built yet" instead of failing the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count
from django.urls import Resolver404, resolve
from oscar.core.loading import get_model

from catalog.models import Category
from catalog.selectors import product_list_filtered, product_list_public
from sellers.models import Seller, SellerMember
from sellers.partner.models import StockRecord
from sellers.selectors import open_partner_ids

Basket = get_model("basket", "Basket")

PER_PAGE = 24
DEEP_PAGE = 200
#: DESIGN.md §6: product, category and booth pages serve at >= 40 % of the
#: trivial view's req/s uncached (>= 80 % cached). Other rows: the query bar only.
RATIO_BAR = 0.40
#: Issue 12: the basket and the seller inbox serve at >= 25 % of the trivial view.
ORDERS_BAR = 0.25
QUERY_BAR = 12
#: The busiest inbox holds at least this many parts (run.py seeds the orders).
INBOX_PARTS = 1_000
#: The buyer whose checkout the address, choices and review rows load.
CHECKOUT_BUYER = "+989370000000"


@dataclass(frozen=True)
class Page:
    key: str
    label: str | Callable[[Subjects], str]
    path: Callable[[Subjects], str]
    #: The ratio bar (DESIGN.md §6), or None for the query bar only.
    bar: float | None = None
    #: Whose cookie wrk sends: "" (an anonymous visitor), "basket" (a basket of
    #: 3 lines from 3 booths), "seller" (the busiest booth's owner, logged in),
    #: "buyer" (a signed-in buyer at her checkout's review, 3 booths) or "inbox"
    #: (the owner of the booth with the most orders, logged in).
    cookie: str = ""
    #: The URL name the path must resolve to; if it does not, "not built yet".
    view: str | None = None

    def build(self, s: Subjects) -> dict:
        path = self.path(s)
        row = {
            "key": self.key,
            "label": self.label(s) if callable(self.label) else self.label,
            "path": path,
            "bar": self.bar,
            "cookie": {
                "": "",
                "basket": "basket_cookie",
                "seller": "seller_cookie",
                "buyer": "checkout_cookie",
                "inbox": "inbox_cookie",
            }[self.cookie],
        }
        if self.view and _view_name(path) != self.view:
            row["missing"] = f"not built yet: {path} does not resolve to {self.view}"
        if row["cookie"]:
            row["cookie"] = getattr(s, row["cookie"])
        return row


def _view_name(path: str) -> str | None:
    try:
        return resolve(path.split("?")[0]).view_name
    except Resolver404:
        return None


# One line a row (run in this order).
# fmt: off
PAGES = [
    Page("home", "home page", lambda s: "/"),
    Page("category", lambda s: f"category page 1 ({s.category.name}, {s.in_category} products)", lambda s: s.category.get_absolute_url(), bar=RATIO_BAR),
    Page("category_deep", lambda s: f"category page {s.deep_page} of {s.category_pages}", lambda s: f"{s.category.get_absolute_url()}?page={s.deep_page}", bar=RATIO_BAR),
    Page("product", "product page", lambda s: s.product.get_absolute_url(), bar=RATIO_BAR),
    Page("booth", "booth page (the booth with the most products)", lambda s: s.booth.get_absolute_url(), bar=RATIO_BAR),
    Page("basket", "basket, 3 lines from 3 booths", lambda s: "/basket/", cookie="basket", bar=ORDERS_BAR),
    Page("checkout_who", "checkout: who (a guest, 3 booths)", lambda s: "/checkout/", cookie="basket", view="checkout:index"),
    Page("checkout_address", "checkout: address (signed in)", lambda s: "/checkout/address/", cookie="buyer", view="checkout:shipping-address"),
    Page("checkout_choices", "checkout: delivery and payment, 3 booths", lambda s: "/checkout/choices/", cookie="buyer", view="checkout:payment-method"),
    Page("checkout_review", "checkout: review, 3 booths", lambda s: "/checkout/review/", cookie="buyer", view="checkout:preview"),
    Page("inbox", lambda s: f"seller inbox ({s.inbox_parts:,} parts)", lambda s: f"/panel/{s.inbox_booth.pk}/orders/", cookie="inbox", bar=ORDERS_BAR, view="orders_panel:inbox"),
    # The floors under the two personal rows: our layout with nothing in it, for the same visitor.
    Page("floor_basket", "floor: the empty layout, for a guest holding that basket", lambda s: "/__bench__/layout/", cookie="basket"),
    Page("floor_signed_in", "floor: the empty layout, for the inbox's seller signed in", lambda s: "/__bench__/layout/", cookie="inbox"),
    Page("bazaar", lambda s: f"bazaar page (Wagtail; {s.bazaar_stalls} booths, {s.bazaar_photos} photos)", lambda s: s.bazaar_page.url, view="wagtail_serve"),
    Page("panel_products", "seller panel: product list", lambda s: f"/panel/{s.booth.pk}/products/", cookie="seller", view="catalog_panel:product_list"),
]
# fmt: on


class Subjects:
    """What the rows load, chosen once per run, deterministically."""

    def __init__(self, *, client: Callable, cookie_header: Callable) -> None:
        self.client, self.cookie_header = client, cookie_header

    @cached_property
    def public_products(self) -> int:
        return product_list_public().count()

    @cached_property
    def _biggest_category(self) -> tuple[Category, int]:
        counts = [
            (product_list_filtered(category=category).count(), category)
            for category in Category.objects.browsable()
            .filter(depth=1)
            .order_by("path")
        ]
        count, category = max(counts, key=lambda pair: pair[0])
        return category, count

    @property
    def category(self) -> Category:
        """The top-level category with the most live products."""
        return self._biggest_category[0]

    @property
    def in_category(self) -> int:
        return self._biggest_category[1]

    @property
    def category_pages(self) -> int:
        return max(1, -(-self.in_category // PER_PAGE))

    @property
    def deep_page(self) -> int:
        return min(DEEP_PAGE, self.category_pages)

    @cached_property
    def product(self):
        """The middle one by id of those a buyer can add to her basket (the page
        then has its add-to-basket form, with a CSRF token)."""
        buyable = (
            product_list_public()
            .order_by("id")
            .filter(stockrecords__num_in_stock__gte=5)
        )
        return buyable[buyable.count() // 2]

    @cached_property
    def booth(self) -> Seller:
        """The open booth with the most live products."""
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

    @cached_property
    def bazaar_page(self):
        """The live bazaar page whose bazaar has the most stalls."""
        from cms.models import BazaarPage

        pages = BazaarPage.objects.live().annotate(n=Count("bazaar__stalls"))
        page = pages.order_by("-n", "pk").first()
        if page is None:
            raise SystemExit("probe: no live bazaar page (seed_demo makes them)")
        return page

    @property
    def bazaar_stalls(self) -> int:
        return self.bazaar_page.bazaar.stalls.count()

    @property
    def bazaar_photos(self) -> int:
        return self.bazaar_page.gallery_images.count()

    @cached_property
    def basket(self) -> tuple[str, list[int]]:
        """Post three products of three booths to `basket:add`: the cookie, and
        the products."""
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
        c = self.client()
        for product_id in products:
            response = c.post(f"/basket/add/{product_id}/", {"quantity": 1})
            if response.status_code != 302:
                raise SystemExit(
                    f"probe: basket:add for product {product_id} answered "
                    f"{response.status_code}"
                )
        header = self.cookie_header(c, "oscar_open_basket")
        basket_id = c.cookies["oscar_open_basket"].value.split(":")[0]
        lines = Basket.objects.get(pk=basket_id).num_lines
        if lines != 3:
            raise SystemExit(f"probe: the benchmark basket has {lines} lines, not 3")
        return header, products

    @property
    def basket_cookie(self) -> str:
        return self.basket[0]

    @cached_property
    def seller_cookie(self) -> str:
        """The busiest booth's owner, logged in."""
        return self._owner_cookie(self.booth)

    def _owner_cookie(self, seller: Seller) -> str:
        member = (
            SellerMember.objects.filter(seller=seller, role=SellerMember.Role.OWNER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        c = self.client()
        c.force_login(member.user)
        return self.cookie_header(c, "sessionid")

    @cached_property
    def checkout_cookie(self) -> str:
        """A signed-in buyer who went through the checkout with the basket's 3
        products (3 booths), up to the review: address, then post and pay on
        delivery for every booth, through the real views."""
        import re

        from django.contrib.auth import get_user_model

        from sellers.models import Province

        user, _ = get_user_model().objects.get_or_create(
            username=CHECKOUT_BUYER, defaults={"first_name": "خریدار سنجش"}
        )
        Basket.objects.filter(owner=user, status=Basket.OPEN).delete()
        c = self.client()
        c.force_login(user)
        for product_id in self.basket[1]:
            c.post(f"/basket/add/{product_id}/", {"quantity": 1})
        tehran = Province.objects.get(code=Province.TEHRAN_CODE)
        address = c.post(
            "/checkout/address/", CHECKOUT_ADDRESS | {"province": tehran.pk}
        )
        choices = c.get("/checkout/choices/").content.decode()
        sellers = set(re.findall(r'name="part-(\d+)"', choices))
        posted = c.post(
            "/checkout/choices/", {f"part-{sid}": "post:cod" for sid in sellers}
        )
        review = c.get("/checkout/review/")
        if (address.status_code, posted.status_code, review.status_code) != (
            302,
            302,
            200,
        ) or len(sellers) != 3:
            raise SystemExit(
                "probe: the benchmark checkout did not reach the review "
                f"({address.status_code}, {posted.status_code}, {review.status_code}, "
                f"{len(sellers)} booths)"
            )
        return self.cookie_header(c, "sessionid")

    @cached_property
    def _busiest_inbox(self) -> tuple[Seller, int]:
        from orders.models import SellerOrder

        row = (
            SellerOrder.objects.values("seller_id")
            .annotate(n=Count("id"))
            .order_by("-n", "seller_id")
            .first()
        )
        if row is None or row["n"] < INBOX_PARTS:
            raise SystemExit(
                f"probe: no booth has {INBOX_PARTS:,} orders (bench/run.py seeds them)"
            )
        return Seller.objects.get(pk=row["seller_id"]), row["n"]

    @property
    def inbox_booth(self) -> Seller:
        """The booth with the most seller orders."""
        return self._busiest_inbox[0]

    @property
    def inbox_parts(self) -> int:
        return self._busiest_inbox[1]

    @cached_property
    def inbox_cookie(self) -> str:
        """The owner of the booth with the most orders, logged in."""
        return self._owner_cookie(self.inbox_booth)


CHECKOUT_ADDRESS = {
    "city": "تهران",
    "district": "6",
    "neighbourhood": "یوسف‌آباد",
    "street": "خیابان فتحی شقاقی، پلاک ۱۲",
    "postcode": "1431653111",
    "recipient_name": "خریدار سنجش",
    "recipient_phone": "09351112233",
}
