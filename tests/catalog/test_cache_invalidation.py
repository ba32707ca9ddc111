"""Cache invalidation that does not depend on memory (docs/ARCHITECTURE.md,
"Nothing cached from the catalogue outlives a change").

- Every table a cached page reads belongs to a model that `catalog.receivers`
  (or `cms.receivers`) watches: found by rendering the pages and reading their SQL,
  not from a list someone has to keep.
- Every bulk write to a watched model goes through a manager that signals it,
  or there is none in the code.
- The receivers do not depend on the order of the apps.
- Seeding on an existing database shows its products at once.
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import catalog.cache_version as cache_version
import catalog.receivers as catalog_receivers
import cms.receivers as cms_receivers
from catalog.models import Product, ProductImage
from marketplace.bulk_writes import SignallingQuerySet
from sellers import receivers as sellers_receivers
from sellers.models import Seller
from sellers.partner.models import StockRecord

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("catalog", "sellers", "orders", "marketplace", "cms")

#: Tables cached pages may read that hold nothing a page shows from the
#: catalogue, each with the reason.
NOT_SHOWN = {
    "django_content_type": "Wagtail resolves a page's specific class; fixed at migrate",
    "wagtailcore_locale": "one locale, fixed at migrate",
}

_TABLE = re.compile(r'(?:FROM|JOIN)\s+"([a-z0-9_]+)"', re.IGNORECASE)


def _watched_models() -> set:
    return set(catalog_receivers.WATCHED) | set(cms_receivers.WATCHED)


def _watched_tables() -> dict[str, type]:
    return {model._meta.db_table: model for model in _watched_models()}


@pytest.fixture
def pictured_bracelets(seller, bracelets, make_products):
    products = make_products(3)
    for product in products:
        ProductImage.objects.create(product=product, original="x.jpg", display_order=0)
    return products


def test_every_table_a_cached_page_reads_is_watched(
    client, settings, pictured_bracelets, seller
):
    """Walk what the cached pages actually read, with every cache off so each
    piece runs its queries: a new model on a page fails here until its writes
    invalidate (catalog.receivers.watch)."""
    settings.CARD_CACHE_SECONDS = settings.LISTING_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    product = pictured_bracelets[0]
    category = product.categories.first()
    pages = [
        "/",
        reverse("catalogue:index"),
        category.get_absolute_url(),
        product.get_absolute_url(),
        reverse("sellers:booth", kwargs={"slug": seller.slug}),
    ]
    watched = _watched_tables()
    read: dict[str, set[str]] = {}
    for path in pages:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        for query in captured.captured_queries:
            for table in _TABLE.findall(query["sql"]):
                read.setdefault(table, set()).add(path)
    # The walk saw the catalogue: products, stock, photos, booths, categories.
    assert {"catalogue_product", "partner_stockrecord", "sellers_seller"} <= set(read)
    unwatched = {
        table: sorted(paths)
        for table, paths in read.items()
        if table not in watched and table not in NOT_SHOWN
    }
    assert not unwatched, (
        "cached pages read tables whose writes invalidate nothing; watch their "
        f"models in catalog.receivers: {unwatched}"
    )


def _bulk_writes(model_name: str) -> list[str]:
    """`<Model>.objects….update/bulk_create/bulk_update(...)` calls in the code,
    and raw SQL that writes the model's table."""
    found = []
    for app in SOURCES:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"update", "bulk_create", "bulk_update"}
                ):
                    continue
                base = node.func.value
                while isinstance(base, ast.Call | ast.Attribute):
                    base = base.func if isinstance(base, ast.Call) else base.value
                if isinstance(base, ast.Name) and base.id == model_name:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _raw_writes(table: str) -> list[str]:
    pattern = re.compile(
        rf'(UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+"?{table}\b', re.IGNORECASE
    )
    return [
        str(path.relative_to(ROOT))
        for app in SOURCES
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text())
    ]


@pytest.mark.parametrize(
    "model", sorted(_watched_models(), key=lambda m: m._meta.label), ids=str
)
def test_no_write_to_a_watched_model_bypasses_its_signals(model):
    """A bulk write sends no post_save: it is allowed only through a manager that
    sends `rows_written` (marketplace.bulk_writes), and raw SQL never."""
    assert not _raw_writes(model._meta.db_table)
    if issubclass(model._default_manager._queryset_class, SignallingQuerySet):
        return
    assert not _bulk_writes(model.__name__), (
        f"bulk writes to {model._meta.label} send no signal: give it a "
        "SignallingQuerySet manager, or write with save()"
    )


def test_the_catalogue_models_signal_their_bulk_writes():
    """Oscar allocates stock with a queryset update; seeding bulk-creates."""
    for label in (
        "catalogue.Product",
        "catalogue.ProductImage",
        "catalogue.ProductCategory",
        "catalogue.Category",
        "partner.StockRecord",
    ):
        model = apps.get_model(label)
        assert model in catalog_receivers.WATCHED, label
        assert issubclass(model._default_manager._queryset_class, SignallingQuerySet)
        # Related managers (product.stockrecords, product.categories.add) too.
    product_manager = Product.stockrecords.rel.related_model._default_manager
    assert isinstance(product_manager.get_queryset(), SignallingQuerySet)
    through = Product.categories.through._default_manager
    assert isinstance(through.get_queryset(), SignallingQuerySet)


def test_a_queryset_update_of_stock_shows_on_the_product_page_at_once(
    client, pictured_bracelets
):
    """Oscar's allocation path: `StockRecord.objects.filter(pk=…).update(…)`."""
    product = pictured_bracelets[0]
    url = product.get_absolute_url()
    assert 'class="availability ok"' in client.get(url).content.decode()
    StockRecord.objects.filter(product=product).update(num_in_stock=0)
    assert 'class="availability no"' in client.get(url).content.decode()


def test_a_booth_change_drops_the_open_booths_before_bumping(
    client, pictured_bracelets, seller, monkeypatch, django_capture_on_commit_callbacks
):
    """Whatever the order of the apps (and even without sellers.receivers), the
    catalogue's own receiver drops the set of open booths before each bump, so a
    request that reads the new version never reads the old set."""
    calls = []
    real_drop = catalog_receivers.open_partner_ids_invalidate
    real_bump = cache_version.versions_bump

    def drop():
        calls.append("open booths dropped")
        real_drop()

    def bump(keys):
        calls.append("version bumped")
        real_bump(keys)

    monkeypatch.setattr(catalog_receivers, "open_partner_ids_invalidate", drop)
    monkeypatch.setattr(cache_version, "versions_bump", bump)
    # As if `catalog` came before `sellers` in INSTALLED_APPS, or sellers had no
    # receiver at all: only the catalogue's own receiver runs.
    for signal in (post_save, post_delete):
        assert signal.disconnect(sellers_receivers._seller_changed, sender=Seller)
    try:
        url = reverse("catalogue:index")
        assert pictured_bracelets[0].title in client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            seller.status = Seller.Status.SUSPENDED
            seller.save()
        assert calls == ["open booths dropped", "version bumped"] * 2
        assert pictured_bracelets[0].title not in client.get(url).content.decode()
    finally:
        post_save.connect(sellers_receivers._seller_changed, sender=Seller)
        post_delete.connect(sellers_receivers._seller_changed, sender=Seller)


def _seed(products: int) -> None:
    call_command(
        "seed_demo",
        products=products,
        sellers=8,
        picture_pool=8,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def test_seeding_more_products_into_a_live_database_shows_them_at_once(
    client, settings
):
    """seed_demo writes in bulk and calls nothing: its bulk writes invalidate."""
    _seed(30)
    paths = [reverse("catalogue:index"), "/"]
    before = {path: client.get(path).content.decode() for path in paths}  # warm
    _seed(60)
    cached = {path: _CSRF.sub("", client.get(path).content.decode()) for path in paths}
    settings.CARD_CACHE_SECONDS = settings.LISTING_CACHE_SECONDS = 0
    fresh = {path: _CSRF.sub("", client.get(path).content.decode()) for path in paths}
    assert cached == fresh
    assert _CSRF.sub("", before[paths[0]]) != fresh[paths[0]]  # the seed showed


def test_a_bulk_update_reports_the_rows_it_wrote(pictured_bracelets):
    """Even when the filter no longer matches them after the update, and when the
    caller locks the rows (the lock stays the caller's)."""
    from django.db import transaction

    from marketplace.bulk_writes import rows_written

    seen = []

    def receiver(sender, pks, fields, created, **kwargs):
        seen.append((sender, sorted(pks), fields, created))

    rows_written.connect(receiver, sender=Product)
    try:
        ids = sorted(p.pk for p in pictured_bracelets)
        Product.objects.filter(pk__in=ids, is_paused=False).update(is_paused=True)
        with transaction.atomic():
            Product.objects.select_for_update().filter(pk=ids[0]).update(
                is_paused=False
            )
    finally:
        rows_written.disconnect(receiver, sender=Product)
    assert seen == [
        (Product, ids, frozenset({"is_paused"}), False),
        (Product, ids[:1], frozenset({"is_paused"}), False),
    ]
