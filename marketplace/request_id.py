"""The request id: one id for everything a request caused, in every log line.

nginx sets `X-Request-ID` (`$request_id`, deploy/nginx.conf) and writes it in
its access log; the app takes it (or makes one when nothing in front set a
usable one), binds it for the request's log lines, sends it back in the
response's `X-Request-ID`, and hands it to every Celery task the request queues
(`marketplace.celery`), whose log lines carry it too.

One line a request is logged at INFO on `marketplace.requests`: method, the
URL *pattern* (never the path: a guest's signed order link is a credential),
status and duration.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

import structlog

HEADER = "HTTP_X_REQUEST_ID"
RESPONSE_HEADER = "X-Request-ID"
#: What an id from the proxy may look like (nginx's is 32 hex digits); anything
#: else is replaced, so a client cannot write into the logs through it.
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

requests_logger = logging.getLogger("marketplace.requests")


def request_id_from(meta: dict) -> str:
    value = meta.get(HEADER, "")
    return value if _VALID.match(value) else uuid.uuid4().hex


def current_request_id() -> str | None:
    return structlog.contextvars.get_contextvars().get("request_id")


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    return getattr(match, "route", None) or "(unresolved)"


class RequestIdMiddleware:
    """First in MIDDLEWARE: every later middleware's log lines carry the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.META)
        request.request_id = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[RESPONSE_HEADER] = request_id
        requests_logger.info(
            "request",
            extra={
                "method": request.method,
                "route": _route(request),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        # The id stays bound until `request_finished` (request_id_unbind):
        # Django logs a 4xx/5xx after the middleware has returned.
        return response


def request_id_unbind(sender=None, **kwargs) -> None:
    """`request_finished` receiver (wired in marketplace.apps)."""
    structlog.contextvars.clear_contextvars()
