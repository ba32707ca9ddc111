"""The site's URLs plus views that fail on purpose, for tests/marketplace/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from marketplace.urls import urlpatterns as site_urlpatterns


def fail_with_400(request):
    raise SuspiciousOperation("a request no one should send")


def fail_with_403(request):
    raise PermissionDenied


def fail_with_500(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("__fail__/400/", fail_with_400),
    path("__fail__/403/", fail_with_403),
    path("__fail__/500/", fail_with_500),
    *site_urlpatterns,
]
