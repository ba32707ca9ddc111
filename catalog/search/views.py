"""The search page and the header's suggestions (JSON). Thin: the query comes
from `forms.SearchForm`, the answer from `service`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from catalog.cache_version import SEARCH, catalog_cached
from catalog.models import Product
from catalog.selectors import category_menu
from marketplace.accounts.ip import client_ip, client_key
from marketplace.persian import to_persian_digits
from sellers.models import Seller

from . import service
from .base import (
    PRICE_BUCKETS,
    SearchQuery,
    facet_level_paths,
    province_names,
    region_of,
)
from .documents import PATH_STEP, category_infos
from .forms import PAGE_SIZE, SORT_CHOICES, SearchForm
from .normalize import MAX_QUERY_CHARS, normalize

FILTER_PARAMS = (
    "category",
    "district",
    "province",
    "ships_to",
    "city",
    "price",
    "min_price",
    "max_price",
    "fulfilment",
    "kind",
)
# Where the "ships to my city" group goes in the cached facets panel.
SHIPS_SLOT = "<!--ships-to-my-city-->"
PRICE_LABELS = {
    "0-200": "تا ۲۰۰ هزار تومان",
    "200-500": "۲۰۰ تا ۵۰۰ هزار تومان",
    "500-1000": "۵۰۰ هزار تا ۱ میلیون تومان",
    "1000-": "بیش از ۱ میلیون تومان",
}
assert set(PRICE_LABELS) == {key for key, _, _ in PRICE_BUCKETS}  # noqa: S101
TOO_MANY = "جست‌وجوهای شما در این چند لحظه زیاد بود. لطفاً یک دقیقه صبر کنید و دوباره امتحان کنید."


def _rate_allowed(request, kind: str) -> bool:
    return service.search_rate_allow(client=client_key(client_ip(request)), kind=kind)


def _too_many(response):
    response["Retry-After"] = str(settings.SEARCH_RATE_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class ResultWindow(Sequence):
    """What Django's Paginator pages: `total` long, and the one page the backend
    returned at `offset`."""

    def __init__(self, total: int, offset: int, ids: list[int]) -> None:
        self.total, self.offset, self.ids = total, offset, ids

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if isinstance(index, slice):
            start = (index.start or 0) - self.offset
            stop = (index.stop if index.stop is not None else self.total) - self.offset
            return self.ids[max(start, 0) : max(stop, 0)]
        return self.ids[index - self.offset]


def _categories() -> dict:
    return catalog_cached("search:categories:v1", category_infos, 3600) or {}


def _link(params: dict, **changes) -> str:
    merged = {k: v for k, v in params.items() if k != "page"}
    for key, value in changes.items():
        if value in (None, ""):
            merged.pop(key, None)
        else:
            merged[key] = value
    return "?" + urlencode(merged)


def _facet_groups(query: SearchQuery, result, params: dict) -> list[dict]:
    categories = _categories()
    groups = []

    def group(title, key, items):
        if items:
            groups.append({"title": title, "key": key, "items": items})

    level = facet_level_paths(query.category_path, result.facets.categories)
    group(
        "دسته",
        "category",
        [
            {
                "label": categories[path].name,
                "count": n,
                "url": _link(params, category=path),
                "active": False,
            }
            for path, n in sorted(level.items(), key=lambda item: -item[1])
            if path in categories
        ],
    )
    provinces = province_names()
    group(
        "استان غرفه",
        "province",
        [
            {
                "label": name,
                "count": result.facets.provinces[code],
                "url": _link(params, province=None if query.province else code),
                "active": query.province == code,
            }
            for code, name in provinces.items()
            if result.facets.provinces.get(code)
        ],
    )
    group(
        "منطقهٔ تهران",
        "district",
        [
            {
                "label": f"منطقه {to_persian_digits(number)}",
                "count": n,
                "url": _link(
                    params, district=None if query.district == number else number
                ),
                "active": query.district == number,
            }
            for number, n in sorted(result.facets.districts.items())
        ],
    )
    group(
        "قیمت",
        "price",
        [
            {
                "label": PRICE_LABELS[key],
                "count": result.facets.prices[key],
                "url": _link(params, price=None if query.price_bucket == key else key),
                "active": query.price_bucket == key,
            }
            for key, _, _ in PRICE_BUCKETS
            if result.facets.prices.get(key)
        ],
    )
    group(
        "آماده یا سفارشی",
        "fulfilment",
        [
            {
                "label": label,
                "count": result.facets.fulfilment[value],
                "url": _link(
                    params, fulfilment=None if query.fulfilment == value else value
                ),
                "active": query.fulfilment == value,
            }
            for value, label in Product.Fulfilment.choices
            if result.facets.fulfilment.get(value)
        ],
    )
    group(
        "غرفه",
        "kind",
        [
            {
                "label": "گروهی" if value == Seller.Kind.GROUP else "فردی",
                "count": result.facets.seller_kinds[value],
                "url": _link(
                    params, kind=None if query.seller_kind == value else value
                ),
                "active": query.seller_kind == value,
            }
            for value, _ in Seller.Kind.choices
            if result.facets.seller_kinds.get(value)
        ],
    )
    return groups


@cache
def _province_options(selected: str) -> SafeString:
    """The province picker's <option>s, `selected` chosen (32 variants a process)."""
    return format_html(
        '<option value="">انتخاب استان</option>{}',
        format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (code, mark_safe(" selected") if code == selected else "", name)  # noqa: S308
                for code, name in province_names().items()
            ),
        ),
    )


def _saved_place(user) -> dict | None:
    """A signed-in buyer's latest saved address (province code and city), the
    place "ships to my city" offers her first; one query, none for a guest."""
    if not user.is_authenticated:
        return None
    from orders.models import BuyerAddress

    return (
        BuyerAddress.objects.filter(user=user).values("province__code", "city").first()
    )


def _ships_to(request, form, result, params: dict) -> dict:
    """The "ships to my city" facet: the place chosen (or her saved address),
    how many of the results deliver there, and the picker's fields."""
    data = getattr(form, "cleaned_data", {})
    code, city = data.get("ships_to") or "", data.get("city") or ""
    provinces = province_names()
    chosen = bool(code)
    if not chosen:
        saved = _saved_place(request.user)
        if saved and saved["province__code"] in provinces:
            code, city = saved["province__code"], saved["city"]
    item = None
    if code:
        place = city or provinces[code]
        item = {
            "label": f"ارسال به {place}",
            "count": (
                result.total
                if chosen
                else result.facets.ships_to.get(region_of(code), 0)
            ),
            "url": (
                _link(params, ships_to=None, city=None)
                if chosen
                else _link(params, ships_to=code, city=city)
            ),
            "active": chosen,
        }
    return {
        "item": item,
        "options": _province_options(code),
        "code": code,
        "city": city,
        "hidden": {
            k: v for k, v in params.items() if k not in {"ships_to", "city", "page"}
        },
    }


def _breadcrumb(query: SearchQuery, params: dict) -> list[dict]:
    """The chosen category and its ancestors, each a link up."""
    categories = _categories()
    trail = [{"label": "همه دسته‌ها", "url": _link(params, category=None)}]
    path = query.category_path
    for end in range(PATH_STEP, len(path) + 1, PATH_STEP):
        info = categories.get(path[:end])
        if info:
            trail.append({"label": info.name, "url": _link(params, category=info.path)})
    return trail if len(trail) > 1 else []


def _results_parts(form: SearchForm, query: SearchQuery, params: dict) -> dict:
    """Everything the page shows that depends on its query string alone: the
    result, and the summary, facets panel and pagination rendered (the "ships to
    my city" group, which may name her saved address, goes in `SHIPS_SLOT`)."""
    result = service.search(query)
    if not result.ids and result.total and query.offset:
        # A page past the end: show the last one.
        last = (result.total - 1) // PAGE_SIZE
        query = replace(query, offset=last * PAGE_SIZE)
        result = service.search(query)
    paginator = Paginator(
        ResultWindow(result.total, query.offset, result.ids), PAGE_SIZE
    )
    page = paginator.page(query.offset // PAGE_SIZE + 1) if result.total else None
    filtering = any(params.get(key) for key in FILTER_PARAMS)
    context = {
        "form": form,
        "result": result,
        "page_obj": page,
        "facet_groups": _facet_groups(query, result, params),
        "breadcrumb": _breadcrumb(query, params),
        "query_without_page": urlencode(params),
        "sort_links": [
            {
                "value": value,
                "label": label,
                "url": _link(params, sort=value),
                "active": query.effective_sort == value,
            }
            for value, label in SORT_CHOICES
            if value != "relevance" or query.words
        ],
        "suggestion_url": (
            _link(params, q=result.suggestion) if result.suggestion else ""
        ),
        "filtering": filtering,
        "clear_url": _link(params, **dict.fromkeys(FILTER_PARAMS)),
        "price_hidden": {
            k: v
            for k, v in params.items()
            if k not in {"min_price", "max_price", "page", "price"}
        },
        "ships_slot": SHIPS_SLOT,
    }
    paginated = bool(page and paginator.num_pages > 1)
    return {
        "result": result,
        "head": render_to_string("search/_results_head.html", context),
        "foot": (
            render_to_string("partials/pagination.html", context) if paginated else ""
        ),
    }


def _cached_results_parts(form: SearchForm, query: SearchQuery, params: dict) -> dict:
    """`_results_parts` through the catalogue cache for SEARCH_CACHE_SECONDS,
    tagged with the `search` version (bumped by every write to the search
    documents) and the global one (categories, booths): a popular query costs
    the search backend and the facets' rendering once, and any change to what
    it showed is seen at once."""
    seconds = settings.SEARCH_CACHE_SECONDS
    if not seconds:
        return _results_parts(form, query, params)
    asked = urlencode(sorted(params.items())) + f"&offset={query.offset}"
    key = "search:page:v1:" + hashlib.sha1(asked.encode()).hexdigest()  # noqa: S324
    return catalog_cached(
        key, lambda: _results_parts(form, query, params), seconds, versions=[SEARCH]
    )


@require_GET
def search_page(request):
    form = SearchForm(request.GET)
    query = form.query()
    params = {
        key: value
        for key, value in request.GET.items()
        if key in {"q", "sort", *FILTER_PARAMS} and value
    }
    context = {"form": form, "query": query, "text": query.text}
    if not query.words and not any(params.get(key) for key in FILTER_PARAMS):
        # Nothing asked yet: the categories to start from.
        context["categories"] = category_menu()
        return render(request, "search/results.html", context)

    if not _rate_allowed(request, "page"):
        context["too_many"] = TOO_MANY
        return _too_many(render(request, "search/results.html", context, status=429))

    parts = _cached_results_parts(form, query, params)
    result = parts["result"]
    ships = render_to_string(
        "search/_ships.html",
        {"ships": _ships_to(request, form, result, params)},
    )
    context.update(
        result=result,
        ids=result.ids,
        results_head=mark_safe(parts["head"].replace(SHIPS_SLOT, ships)),  # noqa: S308
        results_foot=mark_safe(parts["foot"]),  # noqa: S308
    )
    return render(request, "search/results.html", context)


@require_GET
def autocomplete(request):
    """Suggestions for the header's search box: matching categories, then
    product titles (prefix of the last word), as JSON; 429 with a Persian
    `error` when this client asks too often."""
    text = request.GET.get("q") or ""
    words = SearchQuery(text=text).words  # capped: normalize.query_words
    if words and not _rate_allowed(request, "suggest"):
        return _too_many(
            JsonResponse(
                {
                    "query": text[:MAX_QUERY_CHARS],
                    "error": TOO_MANY,
                    "categories": [],
                    "products": [],
                },
                status=429,
            )
        )
    categories = []
    if words:
        needle = " ".join(words)
        base = reverse("search:search")
        categories = [
            {"title": info.name, "url": f"{base}?{urlencode({'category': info.path})}"}
            for info in _categories().values()
            if normalize(info.name).startswith(needle)
        ][:3]
    products = [{"title": s.title, "url": s.url} for s in service.autocomplete(text)]
    response = JsonResponse(
        {
            "query": text[:MAX_QUERY_CHARS],
            "categories": categories,
            "products": products,
        }
    )
    response["Cache-Control"] = "public, max-age=60"
    return response
