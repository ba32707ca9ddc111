"""The search interface both backends implement, and the shapes it speaks in."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from typing import Protocol

from sellers.models import Province
from sellers.provinces import province_rows

from .normalize import PERSIAN_ALPHABET, normalize, query_words

SORTS = ("relevance", "newest", "price_asc", "price_desc")

# Price facet buckets, in rials (shown in toman): (key, from, to), `to` exclusive.
PRICE_BUCKETS = (
    ("0-200", None, 2_000_000),
    ("200-500", 2_000_000, 5_000_000),
    ("500-1000", 5_000_000, 10_000_000),
    ("1000-", 10_000_000, None),
)
PRICE_BUCKET_KEYS = {key: (low, high) for key, low, high in PRICE_BUCKETS}

AUTOCOMPLETE_SIZE = 8

# Where a booth delivers, as the delivery rule sees an address
# (`orders.parts.delivery_choices(address_in_tehran=…)`): {region: in Tehran?}.
# A document lists the regions its booth delivers to; "ships to my city" asks
# for the buyer's region.
REGIONS = {"tehran": True, "beyond": False}


@cache
def province_names() -> dict[str, str]:
    """{ISO 3166-2:IR code: name} of Iran's provinces, by name (the fixture the
    provinces table is loaded from: no query)."""

    def alphabetical(row: dict) -> list[int]:
        return [PERSIAN_ALPHABET.find(c) for c in normalize(row["name"])]

    rows = sorted(province_rows(), key=alphabetical)
    return {row["code"]: row["name"] for row in rows}


def region_of(province_code: str) -> str:
    """The region of an address in this province (its ISO 3166-2:IR code)."""
    return "tehran" if Province(code=province_code).is_tehran else "beyond"


@dataclass(frozen=True)
class SearchQuery:
    """What a buyer asked for. `text` as typed; prices in rials."""

    text: str = ""
    category_path: str = ""
    district: int | None = None
    province: str = ""  # the booth's province (ISO 3166-2:IR code)
    ships_to: str = ""  # a region of REGIONS: the booth delivers there
    price_bucket: str = ""
    min_price: int | None = None
    max_price: int | None = None
    fulfilment: str = ""
    seller_kind: str = ""
    sort: str = ""
    offset: int = 0
    limit: int = 24

    @property
    def words(self) -> list[str]:
        """The words searched for (`normalize.query_words`: capped)."""
        return query_words(self.text)

    @property
    def normalized(self) -> str:
        return " ".join(self.words)

    @property
    def effective_sort(self) -> str:
        """Relevance when there are words to rank by, else newest first."""
        if self.sort in SORTS and not (self.sort == "relevance" and not self.words):
            return self.sort
        return "relevance" if self.words else "newest"

    @property
    def price_range(self) -> tuple[int | None, int | None]:
        """(from, to-exclusive) in rials, from the bucket and the typed bounds."""
        low, high = PRICE_BUCKET_KEYS.get(self.price_bucket, (None, None))
        if self.min_price is not None:
            low = max(low or 0, self.min_price)
        if self.max_price is not None:
            top = self.max_price + 1
            high = top if high is None else min(high, top)
        return low, high

    def with_text(self, text: str) -> SearchQuery:
        return replace(self, text=text, offset=0)


@dataclass
class Facets:
    """Counts per value, over the matching products (filters applied)."""

    categories: dict[str, int] = field(default_factory=dict)  # path → count
    districts: dict[int, int] = field(default_factory=dict)
    provinces: dict[str, int] = field(default_factory=dict)  # code → count
    ships_to: dict[str, int] = field(default_factory=dict)  # region → count
    prices: dict[str, int] = field(default_factory=dict)  # bucket key → count
    fulfilment: dict[str, int] = field(default_factory=dict)
    seller_kinds: dict[str, int] = field(default_factory=dict)


@dataclass
class SearchResult:
    ids: list[int]
    total: int
    facets: Facets
    backend: str
    suggestion: str = ""  # "did you mean", when nothing was found


@dataclass
class Suggestion:
    title: str
    url: str


class SearchBackend(Protocol):
    name: str

    def search(self, query: SearchQuery, *, facets: bool = True) -> SearchResult: ...

    def autocomplete(self, text: str) -> list[Suggestion]: ...

    def did_you_mean(self, query: SearchQuery) -> str: ...


def facet_level_paths(category_path: str, paths: dict[str, int]) -> dict[str, int]:
    """The category facet shows one level: the children of the chosen category
    (or the top level), with their counts."""
    depth = len(category_path) + 4
    return {
        p: n
        for p, n in paths.items()
        if len(p) == depth and p.startswith(category_path)
    }
