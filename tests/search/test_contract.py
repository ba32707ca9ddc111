"""One contract, two backends: the same queries over the fixture catalogue
(conftest.build_catalogue) give the same top results on Elasticsearch and on the
database (PostgreSQL in CI). Every test runs once per backend."""

from decimal import Decimal

import pytest

from catalog.search.base import REGIONS, SearchQuery
from orders.parts import delivery_choices

from .conftest import FARS, STAFF_WORDS, TEHRAN, needs_postgres

ZWNJ = "\u200c"


def ids(backend, text="", **filters):
    result = backend.search(SearchQuery(text=text, **filters))
    assert result.backend == backend.name  # no silent fallback
    return result.ids


@pytest.mark.parametrize(
    "typed",
    [
        "دستبند چرم",
        "دستبند چرم",
        "دستبند چرم",  # Arabic ي/ك typed below
        "دستبند  چرم ",
        f"دستبند{ZWNJ}چرم",
        "دستبندچرم",
        "دست دوز",
        "دستدوز",
        f"دست{ZWNJ}دوز",
        "دستبند چرم دستدوز",
    ],
)
def test_the_leather_bracelet_is_found_in_every_spelling(backend, catalogue, typed):
    assert ids(backend, typed)[0] == catalogue.id("bracelet")


@pytest.mark.parametrize("typed", ["كيف دوشي", "کیف دوشی", "كيف دوشی", "کیف‌دوشی"])
def test_arabic_yeh_and_kaf_match_persian_ones(backend, catalogue, typed):
    assert ids(backend, typed) == [catalogue.id("bag")]


@pytest.mark.parametrize("typed", ["ترشی ۷ ماهه", "ترشی 7 ماهه", "ترشی ٧ ماهه"])
def test_persian_arabic_and_latin_digits_are_alike(backend, catalogue, typed):
    assert ids(backend, typed) == [catalogue.id("pickle")]


def test_title_outranks_category_outranks_booth_outranks_description(
    backend, catalogue
):
    found = ids(backend, "چرم")
    # title (+ category + booth) · category + booth · booth only · description only
    assert found[0] == catalogue.id("bracelet")
    assert set(found[1:4]) == set(catalogue.ids("wallet", "belt", "bag"))
    assert found[4] == catalogue.id("keyring")
    assert found[5] == catalogue.id("silver")
    assert len(found) == 6


def test_materials_are_searched(backend, catalogue):
    assert ids(backend, "بادمجان") == [catalogue.id("pickle")]


@pytest.mark.parametrize(
    ("typo", "key"),
    [
        ("دستبنذ نقره", "silver"),  # a replaced letter
        ("دسبتند نقره", "silver"),  # two letters swapped
        ("گردنبد", "necklace"),  # a letter missing
        ("جاکلییدی", "keyring"),  # a letter too many
    ],
)
def test_one_typo_in_a_word_of_four_letters_or_more(backend, catalogue, typo, key):
    assert ids(backend, typo)[0] == catalogue.id(key)


def test_no_typo_allowed_in_words_under_four_letters(backend, catalogue):
    assert ids(backend, "شام") == []  # شال (shawl) is one letter away


def test_two_typos_find_nothing_but_did_you_mean_does(backend, catalogue):
    needs_postgres(backend)
    # Two edits from گردنبند (not a plural: «گردنبندها» is stemmed and found).
    query = SearchQuery(text="گردنبندتا")
    assert backend.search(query).total == 0
    assert backend.did_you_mean(query) == "گردنبند"


@pytest.mark.parametrize("key", ["hidden:suspended", "hidden:paused", "hidden:pending"])
def test_only_live_products_of_approved_booths(backend, catalogue, key):
    assert catalogue.id(key) not in ids(backend, "دستبند چرم")
    assert catalogue.id(key) not in ids(backend)


@pytest.mark.parametrize("field", sorted(STAFF_WORDS))
def test_staff_only_words_find_nothing(backend, catalogue, field):
    assert ids(backend, STAFF_WORDS[field]) == []


def test_filters(backend, catalogue):
    leather = catalogue.categories["leather"].path
    assert set(ids(backend, "", category_path=leather)) == set(
        catalogue.ids("bracelet", "wallet", "belt", "bag")
    )
    assert set(ids(backend, "دستبند", district=7)) == {catalogue.id("silver")}
    assert set(ids(backend, "دستبند", fulfilment="made_to_order")) == {
        catalogue.id("silver")
    }
    assert set(ids(backend, "", seller_kind="group")) == set(
        catalogue.ids("silver", "necklace", "bag", "shawl")
    )
    assert set(ids(backend, "", price_bucket="0-200")) == set(
        catalogue.ids("bracelet", "keyring", "pickle")
    )
    assert set(ids(backend, "", min_price=3_500_000, max_price=4_000_000)) == set(
        catalogue.ids("wallet", "belt")
    )


def test_facet_counts(backend, catalogue):
    result = backend.search(SearchQuery(text="دستبند"))
    c = catalogue.categories
    assert result.total == 2
    assert result.facets.categories == {c["leather"].path: 1, c["jewellery"].path: 1}
    assert result.facets.districts == {20: 1, 7: 1}
    assert result.facets.prices == {"0-200": 1, "500-1000": 1}
    assert result.facets.fulfilment == {"ready": 1, "made_to_order": 1}
    assert result.facets.seller_kinds == {"individual": 1, "group": 1}
    # Inside a category, the facet lists its children.
    inside = backend.search(
        SearchQuery(text="دستبند", category_path=c["jewellery"].path)
    )
    assert inside.facets.categories == {c["jewel_bracelets"].path: 1}


def test_the_booths_province_is_a_facet_and_a_filter(backend, catalogue):
    result = backend.search(SearchQuery())
    assert result.facets.provinces == {TEHRAN: 8, FARS: 1}
    assert ids(backend, "", province=FARS) == [catalogue.id("pickle")]
    assert catalogue.id("pickle") not in ids(backend, "", province=TEHRAN)
    # District within Tehran: Grandma's booth in Shiraz has none.
    assert backend.search(SearchQuery()).facets.districts == {20: 4, 7: 4}


def test_ships_to_my_city_by_the_delivery_rule(backend, catalogue):
    niloofar = catalogue.ids("bracelet", "wallet", "belt", "keyring")
    nastaran = catalogue.ids("silver", "necklace", "bag", "shawl")
    # In Tehran: her courier and Nastaran's post; Grandma's courier does not
    # leave Shiraz for anyone (the rule offers a courier only from Tehran).
    assert set(ids(backend, "", ships_to="tehran")) == set(niloofar + nastaran)
    # Anywhere else: post only.
    assert set(ids(backend, "", ships_to="beyond")) == set(nastaran)
    assert ids(backend, "دستبند", ships_to="beyond") == [catalogue.id("silver")]
    assert backend.search(SearchQuery()).facets.ships_to == {"tehran": 8, "beyond": 4}
    facets = backend.search(SearchQuery(text="دستبند")).facets
    assert facets.ships_to == {"tehran": 2, "beyond": 1}


def test_ships_to_agrees_with_checkout_for_every_booth(backend, catalogue):
    """The filter finds a booth's products exactly where checkout would offer
    her a delivery option (orders.parts.delivery_choices)."""
    for region, in_tehran in REGIONS.items():
        found = set(ids(backend, "", ships_to=region))
        for seller in catalogue.sellers.values():
            offered = bool(
                delivery_choices(
                    seller,
                    list(seller.delivery_options.all()),
                    Decimal(0),
                    address_in_tehran=in_tehran,
                )
            )
            products = {
                p.pk
                for key, p in catalogue.products.items()
                if not key.startswith("hidden:")
                and p.stockrecords.get().partner_id == seller.partner_id
            }
            assert products, seller
            assert (products <= found) == offered, (region, seller)
            assert not (products & found) or offered


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["shawl", "bag", "pickle", "necklace", "silver"]),
        ("price_asc", ["keyring", "pickle", "bracelet", "shawl", "wallet"]),
        ("price_desc", ["necklace", "bag", "silver", "belt", "wallet"]),
    ],
)
def test_sorts(backend, catalogue, sort, expected):
    assert ids(backend, "", sort=sort)[:5] == catalogue.ids(*expected)


def test_paging(backend, catalogue):
    first = backend.search(SearchQuery(sort="newest", limit=4))
    second = backend.search(SearchQuery(sort="newest", limit=4, offset=4))
    assert first.total == second.total == 9
    assert len(first.ids) == len(second.ids) == 4
    assert not set(first.ids) & set(second.ids)


@pytest.mark.parametrize(
    ("typed", "first_title"),
    [
        ("دستب", "شال دستباف"),  # newest first among equals (دستباف, دستبند)
        ("كيف د", "كيف دوشي چرمي"),
        ("گردن", "گردنبند مهره‌ای"),
        ("دستبند چ", "دستبند چرم دست‌دوز"),
    ],
)
def test_autocomplete_by_prefix(backend, catalogue, typed, first_title):
    titles = [s.title for s in backend.autocomplete(typed)]
    assert titles[0] == first_title


def test_autocomplete_never_suggests_a_hidden_product(backend, catalogue):
    titles = {s.title for s in backend.autocomplete("دستبند چ")}
    assert titles == {"دستبند چرم دست‌دوز"}


@pytest.mark.parametrize(
    ("typed", "first", "others"),
    [
        # دستبندها → دستبند; چرمی is one typo from چرم (the silver bracelet's
        # description has it).
        ("دستبندهای چرمی", "bracelet", {"silver"}),
        (f"کیف{ZWNJ}های", "bag", {"wallet"}),  # a tie: the newer first
        ("کیف های", "bag", {"wallet"}),
        ("کیفها", "bag", {"wallet"}),
        (f"کیف{ZWNJ}های چرمی", "bag", {"wallet"}),  # چرم: the wallet's category
        (f"گردنبند مهره{ZWNJ}ای", "necklace", set()),
        ("گردنبند مهره", "necklace", set()),
    ],
)
def test_plural_and_zwnj_suffixes_find_titles_without_them(
    backend, catalogue, typed, first, others
):
    found = ids(backend, typed)
    assert found[0] == catalogue.id(first)
    assert set(found[1:]) == set(catalogue.ids(*others))
