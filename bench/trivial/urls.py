from django.shortcuts import render
from django.urls import path

ITEMS = [f"دست‌سازهٔ شمارهٔ {n}" for n in range(1, 11)]


def trivial(request):
    """A small templated page: a title, a ten-item loop, a few variables."""
    return render(request, "trivial.html", {"title": "دستاورد", "items": ITEMS})


urlpatterns = [path("", trivial)]
