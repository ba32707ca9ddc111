"""The index stays true: after-commit indexing, rollbacks, suspended booths,
reconcile, and `search_reindex` with searches running during it."""

import threading

import pytest
from django.core.management import call_command
from django.db import transaction

from catalog import services
from catalog.models import Product
from catalog.search import elastic, indexing, service
from catalog.search.base import SearchQuery
from catalog.search.models import SearchEntry
from sellers.models import Province, Seller
from tests.factories import SellerFactory, make_product

from .conftest import build_catalogue, index_everything


def es_ids(text=""):
    result = service.elasticsearch.search(SearchQuery(text=text))
    return set(result.ids)


def db_ids(text=""):
    return set(service.database.search(SearchQuery(text=text)).ids)


@pytest.mark.django_db(transaction=True)
def test_a_new_product_is_indexed_when_its_transaction_commits(search_es):
    seller = SellerFactory()
    with transaction.atomic():
        product = make_product(seller=seller, title="رومیزی سوزن‌دوزی")
        # Not before the commit: the task is queued on commit.
        assert not SearchEntry.objects.filter(pk=product.pk).exists()
    assert es_ids("رومیزی") == {product.pk}
    assert db_ids("رومیزی") == {product.pk}


@pytest.mark.django_db(transaction=True)
def test_a_save_that_rolls_back_leaves_no_document(search_es):
    seller = SellerFactory()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        make_product(seller=seller, title="سفره قلمکار برگشتی")
        raise Boom
    elastic.refresh()
    assert es_ids("قلمکار") == set()
    assert db_ids("قلمکار") == set()
    assert not SearchEntry.objects.exists()
    assert elastic.fingerprints() == {}


@pytest.mark.django_db(transaction=True)
def test_stock_and_booth_changes_are_indexed(search_es):
    seller = SellerFactory(brand_name="چرم نیلوفر")
    product = make_product(seller=seller, title="کیف چرم")
    record = product.stockrecords.get()
    record.price = 7_000_000
    record.save()
    assert service.elasticsearch.search(SearchQuery(price_bucket="500-1000")).ids == [
        product.pk
    ]

    # A suspended booth's products leave the index (both stores).
    seller.status = Seller.Status.SUSPENDED
    seller.save()
    assert es_ids("کیف") == set() and db_ids("کیف") == set()
    seller.status = Seller.Status.APPROVED
    seller.brand_name = "دوخت مهتاب"
    seller.save()
    assert es_ids("مهتاب") == {product.pk}


@pytest.mark.django_db(transaction=True)
def test_pause_and_delete_through_the_services_update_the_index(search_es):
    from tests.factories import SellerMemberFactory

    member = SellerMemberFactory()
    product = make_product(seller=member.seller, title="عروسک نمدی")
    assert es_ids("عروسک") == {product.pk}
    services.product_pause(product=product, actor=member.user)
    assert es_ids("عروسک") == set() and db_ids("عروسک") == set()
    services.product_unpause(product=product, actor=member.user)
    assert es_ids("عروسک") == {product.pk}
    services.product_delete(product=product, actor=member.user)
    assert es_ids("عروسک") == set() and db_ids("عروسک") == set()


@pytest.mark.django_db(transaction=True)
def test_an_indexing_failure_never_fails_the_save(settings, search_es, caplog):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    product = make_product(title="جاجیم")  # commits; indexing fails quietly
    assert "search indexing" in caplog.text
    # The database copy was written first, so the fallback finds it.
    assert db_ids("جاجیم") == {product.pk}


def test_reconcile_repairs_missing_stale_and_extra(search_es, catalogue):
    index_everything(catalogue)
    bracelet, wallet, pickle = catalogue.ids("bracelet", "wallet", "pickle")
    # Drift: one document missing, one stale, one extra (a paused product).
    elastic.documents_delete([bracelet], refresh=True)
    SearchEntry.objects.filter(pk=bracelet).delete()
    Product.objects.filter(pk=wallet).update(title="کیف پول زنانه")
    Product.objects.filter(pk=pickle).update(is_paused=True)

    drift = indexing.reconcile()

    for store in ("database", "elasticsearch"):
        assert drift[store].missing == [bracelet]
        assert drift[store].stale == [wallet]
        assert drift[store].extra == [pickle]
    assert es_ids("زنانه") == db_ids("زنانه") == {wallet}
    assert pickle not in es_ids() and pickle not in db_ids()
    assert bracelet in es_ids("دستبند")
    again = indexing.reconcile()
    assert not again["database"] and not again["elasticsearch"]


def test_search_reindex_swaps_a_new_index_in(search_es, catalogue):
    index_everything(catalogue)
    before = elastic.alias_targets()
    call_command("search_reindex", "--no-progress")
    after = elastic.alias_targets()
    assert len(after) == 1 and after != before
    assert es_ids("دستبند چرم") >= {catalogue.id("bracelet")}
    assert len(es_ids()) == 9


def test_a_reindex_that_fails_midway_leaves_the_old_index_serving(
    search_es, catalogue, monkeypatch
):
    """The batches go to Elasticsearch from a second thread: a bulk write that
    fails there stops the run, the half-built index is dropped and the alias
    still points at the old one."""
    index_everything(catalogue)
    before = elastic.alias_targets()
    write = elastic.documents_write
    calls = []

    def fail_on_the_second_batch(docs, **kwargs):
        calls.append(len(docs))
        if len(calls) == 2:
            raise ConnectionError("bulk write lost")
        return write(docs, **kwargs)

    monkeypatch.setattr(elastic, "documents_write", fail_on_the_second_batch)
    with pytest.raises(ConnectionError):
        indexing.reindex(batch=2)
    assert elastic.alias_targets() == before
    assert elastic.building_index() is None
    indices = elastic.client().indices.get(index=f"{elastic.alias()}-*")
    assert sorted(indices) == sorted(before)
    assert len(es_ids()) == 9


@pytest.mark.django_db(transaction=True)
def test_searches_during_reindex_never_fail_nor_come_back_empty(search_es):
    catalogue = build_catalogue()
    index_everything(catalogue)
    errors, results = [], []
    done = threading.Event()

    def search_until_done():
        from django.db import connection

        try:
            while not done.is_set():
                try:
                    result = service.search(SearchQuery(text="دستبند"))
                    results.append((result.backend, len(result.ids)))
                except Exception as exc:  # any failure is what this test is about
                    errors.append(exc)
        finally:
            connection.close()

    searchers = [threading.Thread(target=search_until_done) for _ in range(2)]
    for thread in searchers:
        thread.start()
    try:
        for _ in range(3):  # three swaps, each with searches before, during, after
            indexing.reindex(batch=2)
    finally:
        done.set()
        for thread in searchers:
            thread.join()
    assert not errors
    assert len(results) > 10
    assert all(count == 2 for _, count in results), set(results)
    assert {backend for backend, _ in results} == {"elasticsearch"}


@pytest.mark.django_db(transaction=True)
def test_a_booths_place_and_delivery_options_are_reindexed(search_es):
    """ "Ships to my city" and the province facet follow the booth: a delivery
    option switched on, or a move to another province, reaches both stores."""
    catalogue = build_catalogue()
    index_everything(catalogue)
    pickle = catalogue.id("pickle")

    def shipping(region):
        query = SearchQuery(ships_to=region)
        found_es = set(service.elasticsearch.search(query).ids)
        assert found_es == set(service.database.search(query).ids)
        return found_es

    assert pickle not in shipping("beyond") | shipping("tehran")
    # Grandma switches her post on (the panel saves each option).
    post = catalogue.sellers["grandma"].delivery_options.get(kind="post")
    post.is_active = True
    post.save()
    assert pickle in shipping("beyond") and pickle in shipping("tehran")
    post.delete()
    assert pickle not in shipping("beyond")

    # Niloofar moves to Karaj (Alborz): her courier no longer counts anywhere.
    niloofar = catalogue.sellers["niloofar"]
    niloofar.province = Province.objects.get(code="IR-30")
    niloofar.city, niloofar.district = "کرج", None
    niloofar.save()
    bracelet = catalogue.id("bracelet")
    assert bracelet not in shipping("tehran")
    query = SearchQuery(province="IR-30")
    assert bracelet in service.elasticsearch.search(query).ids
    assert bracelet in service.database.search(query).ids
