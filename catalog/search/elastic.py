"""The Elasticsearch backend, through the DSL in the official client
(`elasticsearch.dsl`).

The test and production servers may lack the analysis-common module (the
`integ-test-zip` distribution has none), so nothing here needs it: documents
arrive normalised and with their joined word pairs and edge n-grams computed by
`catalog.search.normalize`, and every text field uses the core `whitespace`
analyzer. The index is reached through an alias (`SEARCH_INDEX`) so that
`search_reindex` can build a new index and swap it in atomically.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable

from django.conf import settings
from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Long,
    Q,
    Search,
    Text,
)

from .base import (
    AUTOCOMPLETE_SIZE,
    PRICE_BUCKETS,
    Facets,
    SearchQuery,
    SearchResult,
    Suggestion,
)
from .normalize import query_variants, query_words

logger = logging.getLogger(__name__)

# Title above category above booth name above description and materials, in the
# same proportions as PostgreSQL's default ts_rank weights (A 1.0, B 0.4, C 0.2,
# D 0.1) so both backends rank alike.
FIELD_WEIGHTS = {
    "title_words": 10,
    "category_words": 4,
    "booth_words": 2,
    "body_words": 1,
}
# One edit for words of 4 letters or more, none below (normalize.typo_allowance).
FUZZINESS = "AUTO:4,100"


def _words(**kwargs) -> Text:
    return Text(analyzer="whitespace", copy_to="all_words", **kwargs)


class ProductDocument(Document):
    """The mapping; the documents themselves come from `documents.product_document`."""

    id = Integer()
    title = Keyword(index=False)
    url = Keyword(index=False)
    title_words = _words()
    category_words = _words()
    booth_words = _words()
    body_words = _words()
    all_words = Text(analyzer="whitespace")  # "did you mean" reads this one
    title_prefixes = Keyword()
    category_paths = Keyword()
    district = Integer()
    province = Keyword()
    ships_to = Keyword()
    price = Long()
    fulfilment = Keyword()
    seller_kind = Keyword()
    partner_id = Integer()
    date_created = Date()
    fingerprint = Keyword(index=False)


_clients: dict[tuple[str, float], Elasticsearch] = {}


def client() -> Elasticsearch:
    """One client per process and URL. No retries and a short timeout: a search
    that fails falls back to the database (`service`) instead of waiting."""
    key = (settings.ELASTICSEARCH_URL, settings.SEARCH_TIMEOUT)
    if key not in _clients:
        _clients[key] = Elasticsearch(
            key[0],
            request_timeout=settings.SEARCH_TIMEOUT,
            max_retries=0,
            retry_on_timeout=False,
        )
    return _clients[key]


def alias() -> str:
    return settings.SEARCH_INDEX


# --- index management ---------------------------------------------------------------


def index_create(name: str, *, refresh_interval: str = "1s") -> None:
    index = Index(name)
    index.settings(
        number_of_shards=1,
        number_of_replicas=0,
        refresh_interval=refresh_interval,
        max_result_window=200_000,
    )
    index.document(ProductDocument)
    index.create(using=client().options(request_timeout=60))


def new_index_name() -> str:
    return f"{alias()}-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}"


def alias_targets() -> list[str]:
    try:
        return sorted(client().indices.get_alias(name=alias()))
    except NotFoundError:
        return []


def alias_ensure() -> None:
    """Create an index behind the alias if there is none (a fresh server)."""
    if not alias_targets():
        name = new_index_name()
        index_create(name)
        alias_swap(name)


def alias_swap(name: str) -> None:
    """Point the alias at `name` in one atomic step, then drop the old indexes."""
    old = alias_targets()
    actions = [{"remove": {"index": i, "alias": alias()}} for i in old]
    actions.append({"add": {"index": name, "alias": alias()}})
    client().options(request_timeout=60).indices.update_aliases(actions=actions)
    for index in old:
        if index != name:
            client().indices.delete(index=index, ignore_unavailable=True)


def _building_alias() -> str:
    return f"{alias()}.building"


def building_mark(name: str) -> None:
    """Mark `name` as the index `search_reindex` is filling: changes indexed
    meanwhile are written to it as well, so the swap loses none."""
    client().indices.put_alias(index=name, name=_building_alias())


def building_index() -> str | None:
    try:
        found = client().indices.get_alias(name=_building_alias())
    except NotFoundError:
        return None
    return next(iter(found), None)


def building_clear() -> None:
    try:
        client().indices.delete_alias(index="*", name=_building_alias())
    except NotFoundError:
        pass


def index_finish(name: str) -> None:
    """A filled index made searchable: refreshing again every second, refreshed now."""
    client().indices.put_settings(
        index=name, settings={"index": {"refresh_interval": "1s"}}
    )
    client().options(request_timeout=120).indices.refresh(index=name)


def index_abandon(name: str) -> None:
    client().indices.delete(index=name, ignore_unavailable=True)


def index_drop_all() -> None:
    """Delete the alias's indexes and any half-built ones (tests, resets)."""
    client().indices.delete(
        index=f"{alias()}-*", ignore_unavailable=True, allow_no_indices=True
    )


def documents_write(
    docs: Iterable[dict], *, index: str | None = None, refresh: bool | str = False
) -> int:
    """Index `docs` (to the alias unless `index` names a concrete one)."""
    target = index or alias()
    actions = ({"_index": target, "_id": doc["id"], "_source": doc} for doc in docs)
    count, _ = helpers.bulk(
        client().options(request_timeout=60),
        actions,
        chunk_size=1000,
        refresh=refresh,
        # Writing to an alias that does not exist must fail, not create an index
        # with a guessed mapping.
        require_alias=index is None,
    )
    return count


def documents_delete(
    ids: Iterable[int], *, index: str | None = None, refresh: bool | str = False
) -> None:
    actions = (
        {"_op_type": "delete", "_index": index or alias(), "_id": pk} for pk in ids
    )
    helpers.bulk(
        client().options(request_timeout=60),
        actions,
        refresh=refresh,
        raise_on_error=False,  # deleting what is not there is fine
    )


def fingerprints() -> dict[int, str]:
    """{product id: fingerprint} of every document behind the alias."""
    hits = helpers.scan(
        client().options(request_timeout=60),
        index=alias(),
        query={"query": {"match_all": {}}, "_source": ["fingerprint"]},
        size=5000,
    )
    return {int(hit["_id"]): hit["_source"].get("fingerprint", "") for hit in hits}


def documents_clear() -> None:
    """Delete every document behind the alias (tests; this distribution has no
    delete-by-query, which lives in the reindex module)."""
    documents_delete(list(fingerprints()), refresh=True)


def refresh() -> None:
    client().indices.refresh(index=alias())


def healthy() -> bool:
    """The cluster answers (this distribution answers 405 to GET /, so no ping)."""
    try:
        client().cluster.health()
    except Exception:
        return False
    return True


# --- queries ------------------------------------------------------------------------------


def word_query(word: str, *, fuzzy: bool) -> Q:
    """One word, scored by the best field it is found in (plus a share of the
    others): a fixed weight a field, as the database backend ranks, rather than
    BM25's statistics, so that a title match always beats a category match."""
    return Q(
        "dis_max",
        tie_breaker=0.3,
        queries=[
            Q(
                "constant_score",
                boost=weight,
                filter=Q(
                    "match",
                    **{
                        field: {
                            "query": word,
                            "fuzziness": FUZZINESS if fuzzy else 0,
                            "max_expansions": 20,
                        }
                    },
                ),
            )
            for field, weight in FIELD_WEIGHTS.items()
        ],
    )


def text_query(words: list[str]) -> Q:
    """All words must match (one typo allowed in words of 4+ letters), in any of
    the query's spellings (adjacent words joined or not; a joined pair must match
    exactly, as in the database backend)."""
    typed = set(words)
    variants = [
        Q("bool", must=[word_query(w, fuzzy=w in typed) for w in variant])
        for variant in query_variants(words)
    ]
    return variants[0] if len(variants) == 1 else Q("dis_max", queries=variants)


SORT_FIELDS = {
    "relevance": ["_score", {"date_created": "desc"}, {"id": "desc"}],
    "newest": [{"date_created": "desc"}, {"id": "desc"}],
    "price_asc": [{"price": "asc"}, {"id": "asc"}],
    "price_desc": [{"price": "desc"}, {"id": "desc"}],
}


def _filters(query: SearchQuery) -> list[Q]:
    found = []
    if query.category_path:
        found.append(Q("term", category_paths=query.category_path))
    if query.district:
        found.append(Q("term", district=query.district))
    if query.province:
        found.append(Q("term", province=query.province))
    if query.ships_to:
        found.append(Q("term", ships_to=query.ships_to))
    low, high = query.price_range
    if low is not None or high is not None:
        bounds = {}
        if low is not None:
            bounds["gte"] = low
        if high is not None:
            bounds["lt"] = high
        found.append(Q("range", price=bounds))
    if query.fulfilment:
        found.append(Q("term", fulfilment=query.fulfilment))
    if query.seller_kind:
        found.append(Q("term", seller_kind=query.seller_kind))
    return found


def _buckets(aggs, name: str) -> dict:
    return {b["key"]: b["doc_count"] for b in aggs[name]["buckets"]}


class ElasticsearchBackend:
    name = "elasticsearch"

    def _search(self) -> Search:
        return Search(using=client(), index=alias())

    def search(self, query: SearchQuery, *, facets: bool = True) -> SearchResult:
        words = query.words
        s = self._search().source(False).extra(track_total_hits=True)
        main = text_query(words) if words else Q("match_all")
        s = s.query(Q("bool", must=[main], filter=_filters(query)))
        s = s.sort(*SORT_FIELDS[query.effective_sort])
        s = s[query.offset : query.offset + query.limit]
        if facets:
            level = re.escape(query.category_path) + ".{4}"
            s.aggs.bucket(
                "categories", "terms", field="category_paths", size=500, include=level
            )
            s.aggs.bucket("districts", "terms", field="district", size=30)
            s.aggs.bucket("provinces", "terms", field="province", size=40)
            s.aggs.bucket("ships_to", "terms", field="ships_to", size=5)
            s.aggs.bucket(
                "prices",
                "range",
                field="price",
                keyed=False,
                ranges=[
                    {
                        "key": key,
                        **({"from": low} if low else {}),
                        **({"to": high} if high else {}),
                    }
                    for key, low, high in PRICE_BUCKETS
                ],
            )
            s.aggs.bucket("fulfilment", "terms", field="fulfilment", size=5)
            s.aggs.bucket("seller_kinds", "terms", field="seller_kind", size=5)
        response = s.execute()
        result_facets = Facets()
        if facets:
            raw = response.aggregations.to_dict()
            result_facets = Facets(
                categories=_buckets(raw, "categories"),
                districts={int(k): n for k, n in _buckets(raw, "districts").items()},
                provinces={k: n for k, n in _buckets(raw, "provinces").items() if k},
                ships_to=_buckets(raw, "ships_to"),
                prices={
                    b["key"]: b["doc_count"]
                    for b in raw["prices"]["buckets"]
                    if b["doc_count"]
                },
                fulfilment=_buckets(raw, "fulfilment"),
                seller_kinds=_buckets(raw, "seller_kinds"),
            )
        return SearchResult(
            ids=[int(hit.meta.id) for hit in response],
            total=response.hits.total.value,
            facets=result_facets,
            backend=self.name,
        )

    def autocomplete(self, text: str) -> list[Suggestion]:
        words = query_words(text)
        if not words:
            return []
        *rest, last = words
        must = [text_query(rest)] if rest else []
        s = (
            self._search()
            .source(["title", "url"])
            .query(
                Q(
                    "bool",
                    must=must,
                    filter=[Q("term", title_prefixes=last)],
                    should=[Q("term", title_words=last)],
                )
            )
            .sort("_score", {"date_created": "desc"}, {"id": "desc"})
        )[: AUTOCOMPLETE_SIZE * 4]
        found: dict[str, Suggestion] = {}
        for hit in s.execute():
            found.setdefault(hit.title, Suggestion(hit.title, hit.url))
            if len(found) == AUTOCOMPLETE_SIZE:
                break
        return list(found.values())

    def did_you_mean(self, query: SearchQuery) -> str:
        """The query with each unknown word replaced by its closest indexed word
        (up to two edits), or "" if none is unknown or none has a match."""
        words = query.words
        if not words:
            return ""
        s = self._search().extra(size=0)
        for i, word in enumerate(words):
            s = s.suggest(
                f"w{i}",
                word,
                term={
                    "field": "all_words",
                    "suggest_mode": "missing",
                    "max_edits": 2,
                    "min_word_length": 3,
                    "prefix_length": 0,
                    "sort": "score",
                },
            )
        suggest = s.execute().suggest.to_dict()
        changed = False
        corrected = []
        for i, word in enumerate(words):
            options = suggest[f"w{i}"][0]["options"]
            if options:
                corrected.append(options[0]["text"])
                changed = True
            else:
                corrected.append(word)
        return " ".join(corrected) if changed else ""
