"""Personal pages are never stored by a browser's disk cache or a shared proxy.

A buyer's orders (`/orders/…`, the guest link `/orders/t/…` included), her
account, basket and checkout, and the seller panel (inbox, part, slip, payout,
ledger…) show names, addresses, phone numbers and bank details. Every response
under PERSONAL_PATH_PREFIXES gets `Cache-Control: private, no-store` here, in
one place, whatever the view (ours or Oscar's) and whatever its status
(redirects and errors included). Public pages are untouched, so the anonymous
page cache (`marketplace.page_cache`) keeps working for them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

PERSONAL_PATH_PREFIXES = (
    "/orders/",
    "/panel/",
    "/account/",
    "/basket/",
    "/checkout/",
)


def is_personal_path(path: str) -> bool:
    return path.startswith(PERSONAL_PATH_PREFIXES)


class PersonalPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_personal_path(request.path):
            patch_cache_control(response, private=True, no_store=True)
        return response
