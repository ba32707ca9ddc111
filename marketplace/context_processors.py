from django.utils.functional import SimpleLazyObject
from oscar.core.loading import get_class

from catalog.selectors import category_menu


def storefront(request):
    """What the header needs on every page: the category menu (cached, no query)."""
    return {"category_menu": category_menu}


def search_form(request):
    """Oscar's site-wide search form, built only by a template that reads it (its
    search results page). Oscar's own context processor builds it for every page
    (a tenth of our empty layout's cost), and our header has its own field."""
    form_class = get_class("search.forms", "SearchForm")
    return {"search_form": SimpleLazyObject(lambda: form_class(request.GET))}
