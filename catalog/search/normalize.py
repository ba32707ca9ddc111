"""Persian text normalisation for search: one function at indexing and at query time.

`normalize` folds the spellings Persian writers treat as the same word into one:

- Arabic ي ى ك → Persian ی ک; ة → ه; أ إ ٱ → ا; ؤ → و; ئ → ی (hamza seats are
  typed either way); the hamza-above mark and the Arabic ه forms fold too;
- diacritics (اعراب: fatha, kasra, damma, tanwin, shadda, sukun, superscript
  alef) and tatweel (ـ) are removed;
- Persian ۰-۹ and Arabic-Indic ٠-٩ digits become Latin 0-9;
- ZWNJ (نیم‌فاصله), the other zero-width joiners and every run of spaces or
  punctuation become one space; letters are lower-cased (Latin brand names).

"ZWNJ, a space and nothing are alike" needs one more step than a character map:
دست‌دوز and دست دوز normalise to the same «دست دوز», and `joined` («دستدوز»)
is how both meet «دستدوز» typed without a break. Documents store every pair of
adjacent words joined as well (`expand`), and queries try each adjacent pair
joined (`query_variants`), so all three spellings find each other in both
backends.

Inflections are stripped by `tokens` (documents and queries alike): a plural,
ezafe, adjective, comparative or superlative suffix written after a ZWNJ or a
space (`SUFFIXES`), and a plural written without a break (`stem`), so «کیف‌های»
and «دستبندهای» find «کیف» and «دستبند». No Persian NLP library is used: hazm pulls in NLTK and a tagger for
what is a character table here, and none of the light ones fold ZWNJ the way
search needs.
"""

from __future__ import annotations

import re
import unicodedata

_CHAR_MAP = {
    # Arabic letters → the Persian ones people type on a Persian keyboard.
    "\u064a": "ی",  # ي ARABIC YEH
    "\u0649": "ی",  # ى ALEF MAKSURA
    "\u06cc": "ی",  # ی (already Persian)
    "\u0626": "ی",  # ئ YEH WITH HAMZA ABOVE
    "\u0643": "ک",  # ك ARABIC KAF
    "\u06a9": "ک",
    "\u0629": "ه",  # ة TEH MARBUTA
    "\u06c0": "ه",  # ۀ HEH WITH YEH ABOVE
    "\u06d5": "ه",  # ە AE
    "\u0623": "ا",  # أ ALEF WITH HAMZA ABOVE
    "\u0625": "ا",  # إ ALEF WITH HAMZA BELOW
    "\u0671": "ا",  # ٱ ALEF WASLA
    "\u0672": "ا",
    "\u0673": "ا",
    "\u0624": "و",  # ؤ WAW WITH HAMZA ABOVE
    # Digits.
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic
    # Joiners and invisible marks: a word break, like a space.
    "\u200c": " ",  # ZWNJ
    "\u200d": " ",  # ZWJ
    "\u200b": " ",  # zero-width space
    "\u00a0": " ",
    "\u202f": " ",
    "\ufeff": " ",
    # Removed outright.
    "\u0640": None,  # ـ TATWEEL
    "\u200e": None,  # LRM
    "\u200f": None,  # RLM
}
# Harakat and Quranic marks: fathatan … sukun, superscript alef, hamza marks.
_CHAR_MAP.update({chr(c): None for c in range(0x064B, 0x0660)})
_CHAR_MAP.update({chr(c): None for c in range(0x0610, 0x061B)})
_CHAR_MAP["\u0670"] = None  # superscript alef
_CHAR_MAP["\u0654"] = None  # hamza above (combining)
_CHAR_MAP["\u0655"] = None
_TABLE = str.maketrans(_CHAR_MAP)

# Anything that is not a letter or a digit separates words.
_NON_WORD = re.compile(r"[^\w]+|_+")

# What one query may ask, the same on both backends and in the suggestions: a
# whole product title fits (demo titles are up to 9 words, ~50 characters), a
# pasted paragraph does not make a query of hundreds of terms.
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 8


def normalize(text: str | None) -> str:
    """The searchable form of `text`: folded letters, Latin digits, no marks, and
    words separated by single spaces (ZWNJ and punctuation included)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).translate(_TABLE).lower()
    # NFKC turns Arabic presentation forms into letters; translate again for the
    # ones it produced (e.g. a presentation-form ي becomes ي).
    text = text.translate(_TABLE)
    return " ".join(_NON_WORD.sub(" ", text).split())


# Inflections Persian writes after a ZWNJ (کیف‌های، مهره‌ای، بزرگ‌تر) or a
# space: the plural ها/های/هایی, the ezafe ی and adjective ای, the comparative
# تر and superlative ترین. After `normalize` turned the ZWNJ into a space they
# stand as words of their own; each belongs to the word before it and is
# dropped, so «کیف‌های» searches for «کیف» (and finds «کیف پول»).
SUFFIXES = frozenset({"ها", "های", "هایی", "ای", "ی", "تر", "ترین"})
# The plural written without a break (دستبندهای) is stripped too, when a stem of
# MIN_STEM letters or more is left (تنها, بها stay whole). Joined ای/ی/تر/ترین
# are not: too many words end so (چرمی, انگشتر, دفتر, ماهی).
PLURALS = ("هایی", "های", "ها")  # the longest first
MIN_STEM = 3


def stem(word: str) -> str:
    """`word` without a plural suffix written without a break."""
    for suffix in PLURALS:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def tokens(text: str | None) -> list[str]:
    """The words of `text`, normalised, inflections stripped (`SUFFIXES`,
    `stem`): what documents hold and queries look for, on both backends."""
    words: list[str] = []
    for word in normalize(text).split():
        if words and word in SUFFIXES:
            continue
        words.append(stem(word))
    return words


def query_words(text: str | None) -> list[str]:
    """The words a query searches for: its first MAX_QUERY_CHARS characters (a
    word cut there is dropped, unless it is the only one), normalised, and of
    those the first MAX_QUERY_WORDS. The one cap of both backends, the search
    page and `/search/suggest/`."""
    text = str(text or "")
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        if text[MAX_QUERY_CHARS].isalnum() and cut.rstrip() == cut:
            head, _, _ = cut.rpartition(" ")
            cut = head or cut
        text = cut
    return tokens(text)[:MAX_QUERY_WORDS]


def joined(text: str | None) -> str:
    """`text` with no word breaks at all: how «دست‌دوز», «دست دوز» and
    «دستدوز» compare equal."""
    return normalize(text).replace(" ", "")


def expand(words: list[str]) -> list[str]:
    """The words and each adjacent pair joined: what a document field holds, so
    that a query typed without the break finds text written with it."""
    return words + [a + b for a, b in zip(words, words[1:], strict=False)]


def query_variants(words: list[str]) -> list[list[str]]:
    """The word lists a query stands for: as typed, and with each adjacent pair
    joined (so «دست دوز» also looks for «دستدوز»). At most MAX_QUERY_WORDS words."""
    words = words[:MAX_QUERY_WORDS]
    variants = [words]
    for i in range(len(words) - 1):
        variants.append(words[:i] + [words[i] + words[i + 1]] + words[i + 2 :])
    return variants


def prefixes(words: list[str], *, longest: int = 20) -> list[str]:
    """Edge n-grams (every prefix) of `words`, for autocomplete: computed here
    because the search server has no edge n-gram filter (no analysis-common)."""
    found: dict[str, None] = {}
    for word in words:
        for end in range(1, min(len(word), longest) + 1):
            found[word[:end]] = None
    return list(found)


def edits1(word: str, alphabet: str) -> set[str]:
    """Every string one edit from `word` (delete, swap of neighbours, replace,
    insert): the typo rule's candidates, looked up in the vocabulary."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in alphabet}
    inserts = {a + c + b for a, b in splits for c in alphabet}
    return (deletes | swaps | replaces | inserts) - {word}


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein with swaps of neighbours),
    the measure Elasticsearch's fuzziness uses."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def typo_allowance(word: str) -> int:
    """One typo in words of 4 letters or more, none in shorter ones."""
    return 1 if len(word) >= 4 else 0


PERSIAN_ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی" + "ء"
