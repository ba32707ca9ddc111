"""`manage.py seed_demo`: an idempotent Persian demo-data loader.

Rules:
- Deterministic. Every value comes from `random.Random` streams seeded with 1403
  and the record's own natural key (seller index, product number), so the same
  options always give the same data; seller N and product N do not depend on
  `--sellers` or `--products`, and `--picture-pool` only changes which picture a
  product shows.
- Idempotent and additive. Records are found by natural keys (district number,
  programme code, centre name per district, category name per parent, product
  class slug, username, seller slug, product upc «DV0000001»). What exists is left
  as it is, so staff edits survive a re-run; only what is missing is created. A
  larger `--products` after a smaller one adds only the missing products. Nothing
  is ever deleted.
- Dignity. Programme and case-file facts go only to `Seller.programme` and
  `CaseFile` (staff-only). Brand names, slugs, product titles, descriptions,
  stories and file names come from `marketplace.demo.data`, which holds none.
- Fast. Products, stock records, product categories and images are written with
  `bulk_create` in batches, one transaction per batch: no model `save()` and no
  per-row signal (Oscar's, Haystack's, ours) runs for them. The site's caches are
  dropped once at the end.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

from catalog.models import (
    Category,
    Product,
    ProductImage,
)
from catalog.selectors import category_menu_invalidate
from marketplace.demo import data
from marketplace.demo.orders import HISTORY_ORDERS, seed_order_history, seed_orders
from marketplace.demo.seeding.bazaars import seed_bazaars
from marketplace.demo.seeding.history import seed_bazaar_history
from marketplace.demo.seeding.pages import seed_pages
from marketplace.demo.seeding.plans import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_PICTURE_POOL,
    DEFAULT_PRODUCTS,
    DEFAULT_SELLERS,
    MAX_PRODUCTS,
    MAX_SELLERS,
)
from marketplace.demo.seeding.writer import DemoSeeder, Logins
from marketplace.site_url import (
    LOCAL_HOSTNAMES,
    site_local_address_set,
    site_root_url,
)
from sellers.models import (
    CaseFile,
    District,
    KowsarCentre,
    Seller,
    SellerMember,
)
from sellers.partner.models import StockRecord
from sellers.selectors import open_partner_ids_invalidate

# --- the command ------------------------------------------------------------------


DEFAULT_ORDERS = 16
QUIET_MESSAGES = {
    "SMS_BACKEND": "marketplace.accounts.sms.DiscardingSmsBackend",
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
}


def _site_address(value: str | None) -> tuple[str, int] | None:
    if not value:
        return None
    hostname, _, port = value.rpartition(":")
    if hostname not in LOCAL_HOSTNAMES or not port.isdigit():
        raise CommandError(
            "--site-address must be a local HOST:PORT, e.g. 127.0.0.1:8000."
        )
    return hostname, int(port)


def sms_note() -> str:
    """Where the SMS codes (sign-up, forgotten password, sign-in by code) of this
    installation go, for the summary."""
    backend = settings.SMS_BACKEND
    if backend.endswith("ConsoleSmsBackend"):
        return (
            "SMS codes (sign-up, forgotten password) are not sent: they are printed "
            "in the terminal that runs the server, between «----- SMS to +98… -----» "
            "lines."
        )
    return f"SMS codes go through {backend} (settings.SMS_BACKEND)."


class Command(BaseCommand):
    help = (
        "Load the Persian demo data set: districts, Kowsar centres, categories, "
        "sellers with their users, and products with pictures. Idempotent: a "
        "re-run creates only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sellers",
            type=int,
            default=DEFAULT_SELLERS,
            help=f"demo sellers (default {DEFAULT_SELLERS}, max {MAX_SELLERS})",
        )
        parser.add_argument(
            "--products",
            type=int,
            default=DEFAULT_PRODUCTS,
            help=f"demo products (default {DEFAULT_PRODUCTS}, max {MAX_PRODUCTS})",
        )
        parser.add_argument(
            "--picture-pool",
            type=int,
            default=DEFAULT_PICTURE_POOL,
            help=(
                "distinct product pictures to draw and share "
                f"(default {DEFAULT_PICTURE_POOL}, at least {len(data.TRADES)})"
            ),
        )
        parser.add_argument(
            "--orders",
            type=int,
            default=DEFAULT_ORDERS,
            help=f"demo orders in every state (default {DEFAULT_ORDERS}; marketplace/demo/orders.py)",
        )
        parser.add_argument(
            "--history-orders",
            type=int,
            default=HISTORY_ORDERS,
            help=(
                "orders spread over the last two years, with a past bazaar a "
                f"season, for the staff reports (default {HISTORY_ORDERS}; 0: none)"
            ),
        )
        parser.add_argument(
            "--site-address",
            metavar="HOST:PORT",
            help=(
                "where the development server will answer (make run: "
                "127.0.0.1:8000): the default Wagtail Site is pointed there if it "
                "is on a local address, so feeds, the sitemap and robots.txt name it"
            ),
        )
        parser.add_argument(
            "--verbose",
            action="store_true",
            help=(
                "print the details: progress bars, counts, and the SMS and e-mails "
                "the demo orders send (by default they are dropped and a short "
                "summary is printed)"
            ),
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"rows per bulk insert and transaction (default {DEFAULT_BATCH_SIZE})",
        )

    def handle(self, *args, **options):
        sellers, products = options["sellers"], options["products"]
        picture_pool, batch_size = options["picture_pool"], options["batch_size"]
        if not 1 <= sellers <= MAX_SELLERS:
            raise CommandError(f"--sellers must be between 1 and {MAX_SELLERS}.")
        if not 0 <= products <= MAX_PRODUCTS:
            raise CommandError(f"--products must be between 0 and {MAX_PRODUCTS}.")
        if picture_pool < len(data.TRADES):
            raise CommandError(f"--picture-pool must be at least {len(data.TRADES)}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be positive.")
        if options["orders"] < 0:
            raise CommandError("--orders must not be negative.")
        if options["history_orders"] < 0:
            raise CommandError("--history-orders must not be negative.")
        address = _site_address(options["site_address"])
        summary = options["verbosity"] > 0
        details = options["verbose"] or options["verbosity"] > 1
        started = time.monotonic()
        # The demo orders go through the real services, which text and e-mail
        # booths and buyers: hundreds of messages that would bury the logins and
        # the note on where sign-in codes appear. Dropped unless --verbose.
        with contextlib.ExitStack() as stack:
            if not details:
                stack.enter_context(override_settings(**QUIET_MESSAGES))
            bazaars, pages, logins, seeder = self._seed(options, details)
        if details:
            self._print_summary(seeder, time.monotonic() - started)
            self.stdout.write(
                "  bazaars: " + ", ".join(f"{k} {n}" for k, n in bazaars.items())
            )
            made = ", ".join(f"{kind} {n}" for kind, n in pages.items() if n)
            self.stdout.write(f"  pages created: {made or 'nothing, all present'}")
        elif summary:
            created = sum(seeder.created.values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data ready in {time.monotonic() - started:.1f} s "
                    f"({created} records created; --verbose for the details)."
                )
            )
        if address is not None:
            site_local_address_set(hostname=address[0], port=address[1])
            if summary:
                self.stdout.write(f"Site address (feeds, sitemap): {site_root_url()}/")
        if summary:
            self._print_logins(logins)

    def _seed(self, options, details: bool):
        sellers, products = options["sellers"], options["products"]
        picture_pool, batch_size = options["picture_pool"], options["batch_size"]
        seeder = DemoSeeder(
            sellers=sellers,
            products=products,
            picture_pool=picture_pool,
            batch_size=batch_size,
            # tqdm redraws with "\r"; give it the raw stream, not Django's wrapper.
            progress_stream=getattr(self.stderr, "_out", self.stderr),
            show_progress=details,
        )
        with transaction.atomic():
            seeder.seed_reference_data()
            logins = seeder.seed_people()
        seeder.seed_products()
        # Orders live in their own module: delivery options for every booth,
        # then orders in every state through the real services.
        seed_orders(
            options["orders"],
            buyer_username=logins.buyer.username,
            featured_owners=[
                plan.username
                for plan in (logins.individual_owner, logins.group_owner)
                if plan is not None
            ],
        )
        # Bazaars: one running, two coming, with stalls, set-aside stock and
        # stall sales through the real services (marketplace/demo/seeding/bazaars.py).
        bazaars = seed_bazaars(staff_username=logins.staff.username)
        # Two years behind the staff reports: orders over every booth, and a
        # past bazaar a season (marketplace/demo/seeding/history.py).
        if options["history_orders"]:
            seed_order_history(options["history_orders"])
            bazaars |= {f"past {key}": n for key, n in seed_bazaar_history().items()}
        # Wagtail pages: the home page's blocks, pages of words, stories (with
        # consent) and a page per bazaar (marketplace/demo/seeding/pages.py).
        pages = seed_pages()

        category_menu_invalidate()
        open_partner_ids_invalidate()
        return bazaars, pages, logins, seeder

    def _print_summary(self, seeder: DemoSeeder, elapsed: float) -> None:
        statuses = Counter(Seller.objects.values_list("status", flat=True))
        kinds = Counter(Seller.objects.values_list("kind", flat=True))
        by_status = ", ".join(f"{s} {n}" for s, n in sorted(statuses.items()))
        rows = (
            ("districts", District.objects.count()),
            ("Kowsar centres", KowsarCentre.objects.count()),
            ("categories", Category.objects.count()),
            (
                "sellers",
                f"{sum(statuses.values())} ({kinds[Seller.Kind.INDIVIDUAL]} individual,"
                f" {kinds[Seller.Kind.GROUP]} group; {by_status})",
            ),
            ("seller members", SellerMember.objects.count()),
            ("case files", CaseFile.objects.count()),
            ("users", get_user_model().objects.count()),
            ("products", Product.objects.count()),
            ("stock records", StockRecord.objects.count()),
            ("product images", ProductImage.objects.count()),
        )
        created = ", ".join(f"{k} {n}" for k, n in sorted(seeder.created.items()) if n)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f} s."))
        self.stdout.write(f"  created in this run: {created or 'nothing, all present'}")
        for name, value in rows:
            self.stdout.write(f"  {name}: {value}")

    def _print_logins(self, logins: Logins) -> None:
        self.stdout.write("")
        self.stdout.write(
            "Demo logins (/accounts/login/): sign in with the mobile number; "
            f"password for all: {data.DEMO_PASSWORD}"
        )
        self.stdout.write(
            f"  staff (superuser): {logins.staff.mobile}"
            " - dashboard /dashboard/, Wagtail admin /cms-admin/"
        )
        for label, plan in (
            ("individual seller owner", logins.individual_owner),
            ("group seller owner", logins.group_owner),
            ("buyer", logins.buyer),
        ):
            if plan is not None:
                self.stdout.write(f"  {label}: {plan.mobile}")
        self.stdout.write(sms_note())
