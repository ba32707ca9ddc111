from catalog.selectors import category_menu


def storefront(request):
    """What the header needs on every page: the category menu (cached, no query)."""
    return {"category_menu": category_menu}
