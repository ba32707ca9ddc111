"""The database backend: PostgreSQL full-text search with trigram "did you mean",
or, on SQLite (`make run`), word matching over the same normalised columns.

Both read `SearchEntry`, the database's copy of the search documents, and apply
the same rules as the Elasticsearch backend: every word must match in one of its
spellings (`normalize.query_variants`), a word of 4+ letters may carry one typo
(its corrections are looked up in `SearchWord`: every string one edit away, as
Elasticsearch's fuzziness does), and the title weighs most, then the category,
the booth name, the description and materials (PostgreSQL's A/B/C/D weights;
the same 10:4:2:1 on SQLite).
"""

from __future__ import annotations

import re
import string

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from .base import (
    AUTOCOMPLETE_SIZE,
    PRICE_BUCKETS,
    REGIONS,
    Facets,
    SearchQuery,
    SearchResult,
    Suggestion,
)
from .documents import PATH_STEP
from .models import SearchEntry, SearchWord
from .normalize import (
    PERSIAN_ALPHABET,
    edit_distance,
    edits1,
    query_variants,
    query_words,
    typo_allowance,
)

ALPHABET = PERSIAN_ALPHABET + string.ascii_lowercase + string.digits
# A word's typo corrections looked up in the vocabulary, at most (the closest in
# alphabetical order): each one is another term in the query, and a long title
# typed whole must not grow the SQL without bound.
MAX_CORRECTIONS = 6
_LEXEME = re.compile(r"^\w+$")
WEIGHTS = {"title_words": 10, "category_words": 4, "booth_words": 2, "body_words": 1}
CATEGORY_LEVELS = 3  # category_l1..l3 columns


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def vector_expression():
    """The weighted tsvector of a row (title A, category B, booth C, body D)."""
    return (
        SearchVector("title_words", config="simple", weight="A")
        + SearchVector("category_words", config="simple", weight="B")
        + SearchVector("booth_words", config="simple", weight="C")
        + SearchVector("body_words", config="simple", weight="D")
    )


def corrections(words: list[str]) -> dict[str, list[str]]:
    """{word: indexed words one edit away} for the words allowed a typo."""
    wanted: dict[str, set[str]] = {
        w: edits1(w, ALPHABET) for w in set(words) if typo_allowance(w)
    }
    candidates = set().union(*wanted.values()) if wanted else set()
    if not candidates:
        return {}
    known = set(
        SearchWord.objects.filter(word__in=candidates).values_list("word", flat=True)
    )
    return {w: sorted(c & known)[:MAX_CORRECTIONS] for w, c in wanted.items()}


def _alternatives(word: str, fixes: dict[str, list[str]]) -> list[str]:
    return [word, *fixes.get(word, [])]


def _quote(lexeme: str, suffix: str = "") -> str:
    if not _LEXEME.match(lexeme):  # normalised words are \w+ only; be sure
        lexeme = re.sub(r"\W", "", lexeme)
    return f"'{lexeme}'{suffix}"


def tsquery(words: list[str], fixes: dict[str, list[str]]) -> str:
    """`(a & (b | b')) | (ab & …)`: every word, in one of its spellings."""
    variants = []
    for variant in query_variants(words):
        parts = []
        for word in variant:
            alts = [_quote(a) for a in _alternatives(word, fixes)]
            parts.append(alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")")
        variants.append("(" + " & ".join(parts) + ")")
    return " | ".join(variants)


def _padded(*columns: str) -> RawSQL:
    """`' ' || a || ' ' || b || ' '` over this table's columns, as raw SQL: a
    long query compares it hundreds of times, and Django's `Concat` recompiled
    per comparison made a long title cost most of a second to compile alone."""
    joined = " || ' ' || ".join(f"search_searchentry.{c}" for c in columns)
    return RawSQL(f"(' ' || {joined} || ' ')", [], output_field=TextField())  # noqa: S611


def _portable_match(words: list[str], fixes: dict[str, list[str]]) -> Q:
    """SQLite: the same rule over space-padded columns."""
    any_variant = Q(pk__in=[])
    for variant in query_variants(words):
        every_word = Q()
        for word in variant:
            one_of = Q(pk__in=[])
            for alt in _alternatives(word, fixes):
                one_of |= Q(all_padded__contains=f" {alt} ")
            every_word &= one_of
        any_variant |= every_word
    return any_variant


class _Sum(Func):
    """`(a + b + c …)`: one flat sum. Chaining `+` nests a parenthesis per term,
    and SQLite's parser stack (about 100 deep) overflowed on a long title typed
    whole ("parser stack overflow", a 500 on `make run`)."""

    template = "(%(expressions)s)"
    arg_joiner = " + "
    output_field = FloatField()


def _portable_rank(words: list[str], fixes: dict[str, list[str]]):
    terms = [
        Case(
            When(
                Q(**{f"{field}_padded__contains": f" {alt} "}),
                then=Value(float(weight)),
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
        for word in dict.fromkeys(w for v in query_variants(words) for w in v)
        for alt in _alternatives(word, fixes)
        for field, weight in WEIGHTS.items()
    ]
    return _Sum(Value(0.0, output_field=FloatField()), *terms)


def _with_padding(qs: QuerySet) -> QuerySet:
    return qs.alias(
        all_padded=_padded(*WEIGHTS),
        **{f"{field}_padded": _padded(field) for field in WEIGHTS},
    )


def _filtered(query: SearchQuery, qs: QuerySet) -> QuerySet:
    if query.category_path:
        qs = qs.filter(category_paths__contains=f" {query.category_path} ")
    if query.district:
        qs = qs.filter(district=query.district)
    if query.province:
        qs = qs.filter(province=query.province)
    if query.ships_to:
        qs = qs.filter(ships_to__contains=f" {query.ships_to} ")
    low, high = query.price_range
    if low is not None:
        qs = qs.filter(price__gte=low)
    if high is not None:
        qs = qs.filter(price__lt=high)
    if query.fulfilment:
        qs = qs.filter(fulfilment=query.fulfilment)
    if query.seller_kind:
        qs = qs.filter(seller_kind=query.seller_kind)
    return qs


SORTS = {
    "relevance": ("-rank", "-date_created", "-product_id"),
    "newest": ("-date_created", "-product_id"),
    "price_asc": (F("price").asc(nulls_last=True), "product_id"),
    "price_desc": (F("price").desc(nulls_last=True), "-product_id"),
}


class DatabaseBackend:
    name = "database"

    def matching(self, query: SearchQuery) -> QuerySet:
        """The entries matching the words and filters, with `rank` when ranked."""
        qs = _filtered(query, SearchEntry.objects.all())
        words = query.words
        if not words:
            return qs.annotate(rank=Value(0.0, output_field=FloatField()))
        fixes = corrections(words)
        if is_postgres():
            tsq = tsquery(words, fixes)
            return qs.filter(
                RawSQL(
                    "search_searchentry.vector @@ %s::tsquery",
                    [tsq],
                    output_field=BooleanField(),
                )
            ).annotate(
                rank=RawSQL(
                    "ts_rank(search_searchentry.vector, %s::tsquery)",
                    [tsq],
                    output_field=FloatField(),
                )
            )
        qs = _with_padding(qs).filter(_portable_match(words, fixes))
        return qs.annotate(rank=_portable_rank(words, fixes))

    def search(self, query: SearchQuery, *, facets: bool = True) -> SearchResult:
        qs = self.matching(query)
        ordered = qs.order_by(*SORTS[query.effective_sort])
        ids = list(
            ordered.values_list("product_id", flat=True)[
                query.offset : query.offset + query.limit
            ]
        )
        if facets:
            total, result_facets = self._facets(query, qs)
        else:
            total, result_facets = qs.count(), Facets()
        return SearchResult(
            ids=ids, total=total, facets=result_facets, backend=self.name
        )

    def _facets(self, query: SearchQuery, qs: QuerySet) -> tuple[int, Facets]:
        plain = qs.order_by()
        counts = {
            "total": Count("pk"),
            **{
                f"price:{key}": Count(
                    "pk",
                    filter=Q(
                        **({"price__gte": low} if low else {}),
                        **({"price__lt": high} if high else {}),
                        price__isnull=False,
                    ),
                )
                for key, low, high in PRICE_BUCKETS
            },
        }
        for value in ("ready", "made_to_order"):
            counts[f"fulfilment:{value}"] = Count("pk", filter=Q(fulfilment=value))
        for value in ("individual", "group"):
            counts[f"kind:{value}"] = Count("pk", filter=Q(seller_kind=value))
        for region in REGIONS:
            counts[f"ships:{region}"] = Count(
                "pk", filter=Q(ships_to__contains=f" {region} ")
            )
        row = plain.aggregate(**counts)
        facets = Facets(
            prices={
                k: row[f"price:{k}"] for k, _, _ in PRICE_BUCKETS if row[f"price:{k}"]
            },
            fulfilment={
                v: row[f"fulfilment:{v}"]
                for v in ("ready", "made_to_order")
                if row[f"fulfilment:{v}"]
            },
            seller_kinds={
                v: row[f"kind:{v}"] for v in ("individual", "group") if row[f"kind:{v}"]
            },
            ships_to={r: row[f"ships:{r}"] for r in REGIONS if row[f"ships:{r}"]},
        )
        for district, province, n in plain.values_list("district", "province").annotate(
            n=Count("pk")
        ):
            if district is not None:
                facets.districts[district] = facets.districts.get(district, 0) + n
            if province:
                facets.provinces[province] = facets.provinces.get(province, 0) + n
        level = len(query.category_path) // PATH_STEP + 1
        if level <= CATEGORY_LEVELS:
            column = f"category_l{level}"
            for path, n in plain.values_list(column).annotate(n=Count("pk")):
                if path:
                    facets.categories[path] = n
        return row["total"], facets

    def autocomplete(self, text: str) -> list[Suggestion]:
        words = query_words(text)
        if not words:
            return []
        *rest, last = words
        fixes = corrections(rest)
        qs = SearchEntry.objects.all()
        if is_postgres():
            tsq = _quote(last, ":*A")
            if rest:
                tsq = f"({tsquery(rest, fixes)}) & {tsq}"
            # Ranked as Elasticsearch does: titles with the last word whole first.
            qs = qs.filter(
                RawSQL(
                    "search_searchentry.vector @@ %s::tsquery",
                    [tsq],
                    output_field=BooleanField(),
                )
            ).annotate(
                rank=RawSQL(
                    "(search_searchentry.vector @@ %s::tsquery)::int",
                    [_quote(last, ":A")],
                    output_field=IntegerField(),
                )
            )
        else:
            qs = _with_padding(qs).filter(title_prefixes__contains=f" {last} ")
            if rest:
                qs = qs.filter(_portable_match(rest, fixes))
            qs = qs.annotate(
                rank=Case(
                    When(title_words_padded__contains=f" {last} ", then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
        rows = qs.order_by("-rank", "-date_created", "-product_id").values_list(
            "title", "url"
        )[: AUTOCOMPLETE_SIZE * 4]
        found: dict[str, Suggestion] = {}
        for title, url in rows:
            found.setdefault(title, Suggestion(title, url))
            if len(found) == AUTOCOMPLETE_SIZE:
                break
        return list(found.values())

    def did_you_mean(self, query: SearchQuery) -> str:
        """Each word the index does not know, replaced by the closest indexed word
        (trigram similarity, then at most two edits); "" if nothing changes.
        PostgreSQL only (pg_trgm); the SQLite form has no suggestions."""
        words = query.words
        if not words or not is_postgres():
            return ""
        known = set(
            SearchWord.objects.filter(word__in=words).values_list("word", flat=True)
        )
        corrected, changed = [], False
        for word in words:
            if word in known or len(word) < 3:
                corrected.append(word)
                continue
            candidates = (
                SearchWord.objects.filter(
                    RawSQL(
                        "search_searchword.word %% %s",
                        [word],
                        output_field=BooleanField(),
                    )
                )
                .annotate(
                    similarity=RawSQL(
                        "similarity(word, %s)", [word], output_field=FloatField()
                    )
                )
                .order_by("-similarity", "word")
                .values_list("word", flat=True)[:20]
            )
            best = next((c for c in candidates if edit_distance(c, word) <= 2), None)
            if best:
                corrected.append(best)
                changed = True
            else:
                corrected.append(word)
        return " ".join(corrected) if changed else ""
