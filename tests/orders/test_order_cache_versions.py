"""Orders must not empty the catalogue caches: placing an order, and every
change to a part after, makes stale only the sold products' stock versions
(their own pages), never the global version, a listing or a product's card."""

from __future__ import annotations

import pytest

from catalog import cache_version
from orders.services import seller_order_transition
from tests.factories import make_product

from .conftest import basket_with, place


@pytest.fixture
def bumped(monkeypatch):
    keys: list[str] = []
    original = cache_version.versions_bump

    def spy(batch):
        batch = list(batch)
        keys.extend(batch)
        original(batch)

    monkeypatch.setattr(cache_version, "versions_bump", spy)
    return keys


def test_placing_and_working_an_order_bumps_only_stock_versions(
    order_booth, booth2, product, bumped, django_capture_on_commit_callbacks
):
    other = make_product(seller=booth2[0], title="شال", num_in_stock=4)
    bumped.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = place(basket_with([(product, 1), (other, 2)]))
        first, second = order.seller_orders.order_by("number")
        for action in ("accept", "ship", "deliver"):
            seller_order_transition(seller_order=first, action=action, party="seller")
        seller_order_transition(seller_order=second, action="cancel", party="buyer")
    expected = {cache_version.stock_version(p.pk) for p in (product, other)}
    assert bumped, "a sale must make its product's page stale"
    assert set(bumped) == expected
    assert cache_version.GLOBAL not in bumped
    assert not [k for k in bumped if k.startswith(cache_version._PREFIX + "listing")]


def test_a_sale_does_not_reindex_its_products_but_a_new_price_does(
    order_booth, product, monkeypatch, django_capture_on_commit_callbacks
):
    """A search document holds no stock level: an order (three stock saves in a
    3-booth basket) must not queue reindexing; a repriced stock record must."""
    from catalog.search import receivers

    queued: list[int] = []
    monkeypatch.setattr(
        receivers, "index_after_commit", lambda ids: queued.extend(list(ids))
    )
    with django_capture_on_commit_callbacks(execute=True):
        order = place(basket_with([(product, 1)]))
        part = order.seller_orders.get()
        for action in ("accept", "ship", "deliver"):
            seller_order_transition(seller_order=part, action=action, party="seller")
    assert queued == []
    record = product.stockrecords.get()
    record.price = record.price + 10
    record.save()
    assert queued == [product.pk]
