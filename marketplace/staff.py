"""The base of every staff back-office page (seller review, mentoring, case
files, product moderation): web layer, shared by the staff pages of every app.

Anonymous visitors are sent to log in; a logged-in user without the page's
permission gets 403. Staff pages hold personal data, so their responses are
never cached anywhere and never indexed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.cache import patch_cache_control
from django.views import View


def no_store(response):
    """Mark a staff response: never cached (browser or proxy), never indexed."""
    patch_cache_control(
        response, no_store=True, no_cache=True, must_revalidate=True, private=True
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class StaffPage(View):
    """Login, then `permission_check(user)` (each page names its own), else 403."""

    permission_check: Callable[[Any], bool]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not self.permission_check(request.user):
            raise PermissionDenied
        return no_store(super().dispatch(request, *args, **kwargs))
