"""The Persian normalisation table: one function at indexing and at query time."""

import pytest

from catalog.search.normalize import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    edit_distance,
    expand,
    joined,
    normalize,
    prefixes,
    query_variants,
    query_words,
    stem,
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


def test_a_query_is_capped_in_words_and_characters():
    title = "پودر قارچ خشک‌شده در سایه، بستهٔ ۲۵۰ گرمی"  # the longest demo titles
    assert query_words(title) == tokens(title)[:MAX_QUERY_WORDS]
    assert MAX_QUERY_WORDS == 8
    assert query_words("دستبند " * 500) == ["دستبند"] * MAX_QUERY_WORDS
    # Characters first: one endless word is cut, and never reaches the backends whole.
    assert query_words("ب" * 10_000) == ["ب" * MAX_QUERY_CHARS]


def test_a_word_cut_by_the_character_cap_is_dropped():
    # Two words end exactly at the cap: both kept.
    first = "الف" * 16  # 48
    second = "ب" * (MAX_QUERY_CHARS - len(first) - 1)
    assert query_words(f"{first} {second} ج") == [first, second]
    # The cap falls inside the second word: it is dropped, not searched half.
    assert query_words(f"{first} {second}بببب") == [first]
    assert query_words(None) == []


# (as typed, the words searched for and indexed)
INFLECTED = [
    # Suffixes after a ZWNJ: dropped, the word before stays.
    (f"کیف{ZWNJ}های چرمی", ["کیف", "چرمی"]),
    (f"کیف{ZWNJ}ها", ["کیف"]),
    (f"کیف{ZWNJ}هایی", ["کیف"]),
    (f"گردنبند مهره{ZWNJ}ای", ["گردنبند", "مهره"]),
    (f"روسری سرمه{ZWNJ}ای", ["روسری", "سرمه"]),
    (f"کیف بزرگ{ZWNJ}تر", ["کیف", "بزرگ"]),
    (f"ارزان{ZWNJ}ترین شال", ["ارزان", "شال"]),
    (f"خانه{ZWNJ}ی من", ["خانه", "من"]),
    # … or after a space, alike.
    ("کیف های چرمی", ["کیف", "چرمی"]),
    ("کیف ها", ["کیف"]),
    # A suffix word with nothing before it is a word.
    ("ها", ["ها"]),
    # The plural written without a break: stemmed, when 3+ letters are left.
    ("دستبندهای چرمی", ["دستبند", "چرمی"]),
    ("دستبندها", ["دستبند"]),
    ("کیفهای", ["کیف"]),
    ("تنها", ["تنها"]),
    ("بها", ["بها"]),
    # Other joined endings are parts of words: kept.
    ("انگشتر دفتر ماهی چرمی", ["انگشتر", "دفتر", "ماهی", "چرمی"]),
    ("بزرگترین", ["بزرگترین"]),
]


@pytest.mark.parametrize(("typed", "words"), INFLECTED)
def test_inflections_are_stripped(typed, words):
    assert tokens(typed) == words
    assert query_words(typed) == words  # the query and the document alike


def test_stem_strips_only_a_plural_with_a_stem_left():
    assert stem("دستبندهایی") == "دستبند"
    assert stem("کالاها") == "کالا"
    assert stem("ماها") == "ماها"  # two letters would be left
    assert stem("چرمی") == "چرمی"


def test_zwnj_space_and_nothing_are_alike_with_a_plural():
    spellings = (f"کیف{ZWNJ}های", "کیف های", "کیفهای", "کیف")
    assert {tuple(tokens(s)) for s in spellings} == {("کیف",)}
