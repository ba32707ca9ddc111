"""The Persian normalisation table: one function at indexing and at query time."""

import pytest

from catalog.search.normalize import (
    edit_distance,
    expand,
    joined,
    normalize,
    prefixes,
    query_variants,
    tokens,
)

ZWNJ = "\u200c"

# (as typed, normalised)
TABLE = [
    # Arabic ي ى ك → Persian ی ک
    ("كيف", "کیف"),
    ("چرمي", "چرمی"),
    ("مصطفى", "مصطفی"),
    ("كوچك", "کوچک"),
    ("دستبند چرم مشكي", "دستبند چرم مشکی"),
    ("شيك", "شیک"),
    # ة, أ/إ/ٱ, ؤ, ئ folded
    ("قهوة", "قهوه"),
    ("أنار", "انار"),
    ("إسفند", "اسفند"),
    ("ٱسم", "اسم"),
    ("مؤمن", "مومن"),
    ("آئینه", "آیینه"),
    ("خانهٔ", "خانه"),
    ("خانۀ", "خانه"),
    # diacritics (اعراب) and tatweel removed
    ("مُحَمَّد", "محمد"),
    ("کِیف", "کیف"),
    ("دستبندً", "دستبند"),
    ("کـــیف", "کیف"),
    ("چـرم", "چرم"),
    ("مهربانْ", "مهربان"),
    # ZWNJ and other joiners become a word break, like a space
    (f"دست{ZWNJ}دوز", "دست دوز"),
    (f"می{ZWNJ}خواهم", "می خواهم"),
    ("دست دوز", "دست دوز"),
    ("دست\u200dدوز", "دست دوز"),
    ("دست\u00a0دوز", "دست دوز"),
    ("  دستبند    چرم  ", "دستبند چرم"),
    # Persian and Arabic-Indic digits → Latin
    ("۷", "7"),
    ("٧", "7"),
    ("ترشی ۷ ماهه", "ترشی 7 ماهه"),
    ("۱۴۰۳", "1403"),
    ("٣٤٥", "345"),
    ("سایز ۳۸", "سایز 38"),
    # punctuation separates words; Latin is lower-cased
    ("دستبند،چرم", "دستبند چرم"),
    ("«دستبند»", "دستبند"),
    ("کیف-چرم!", "کیف چرم"),
    ("LED", "led"),
    # presentation forms (NFKC)
    ("ﻛﻴﻒ", "کیف"),
    ("", ""),
]


@pytest.mark.parametrize(("typed", "expected"), TABLE)
def test_normalize_table(typed, expected):
    assert normalize(typed) == expected


def test_the_table_has_at_least_thirty_pairs():
    assert len(TABLE) >= 30


# ZWNJ, a space and nothing are alike: the joined forms are equal.
@pytest.mark.parametrize(
    "spellings",
    [
        (f"دست{ZWNJ}دوز", "دستدوز", "دست دوز"),
        (f"می{ZWNJ}خواهم", "میخواهم", "می خواهم"),
        (f"كيف دوشي{ZWNJ}چرمي", "کیف دوشیچرمی", "کیف دوشی چرمی"),
    ],
)
def test_zwnj_space_and_nothing_are_alike(spellings):
    assert len({joined(s) for s in spellings}) == 1


def test_documents_hold_joined_pairs_and_queries_try_them():
    assert expand(tokens(f"دست{ZWNJ}دوز چرم")) == [
        "دست",
        "دوز",
        "چرم",
        "دستدوز",
        "دوزچرم",
    ]
    assert query_variants(["دست", "دوز"]) == [["دست", "دوز"], ["دستدوز"]]
    assert len(query_variants(["a"] * 20)[0]) == 8  # bounded


def test_prefixes_are_edge_ngrams():
    assert prefixes(["چرم"]) == ["چ", "چر", "چرم"]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("دستبند", "دستبند", 0),
        ("دستبند", "دستبنذ", 1),
        ("دستبند", "دسبتند", 1),
        ("چرم", "کیف", 3),
    ],
)
def test_edit_distance_counts_swaps_as_one(a, b, distance):
    assert edit_distance(a, b) == distance
