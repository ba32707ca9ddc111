from django.shortcuts import render
from django.urls import path

from marketplace.urls import urlpatterns as site_urlpatterns

ITEMS = [f"دست‌سازهٔ شمارهٔ {n}" for n in range(1, 11)]


def trivial(request):
    """A small templated page: a title, a ten-item loop, a few variables."""
    return render(request, "bench/trivial.html", {"title": "دستاورد", "items": ITEMS})


# Before the site's own patterns: Wagtail's catch-all is last there.
urlpatterns = [path("__bench__/trivial/", trivial, name="bench-trivial")]
urlpatterns += site_urlpatterns


def empty_storefront(request):
    """The storefront's layout with nothing in it (header, menu, footer): the floor
    under every page of the site, reported beside the trivial view."""
    return render(request, "base.html", {})


urlpatterns.insert(0, path("__bench__/layout/", empty_storefront, name="bench-layout"))
