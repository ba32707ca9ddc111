"""Error tracking with Sentry, when `SENTRY_DSN` is set (issue 26).

`send_default_pii=False` keeps the SDK from attaching users, cookies, client
addresses and request bodies; `scrub_event` is the net under it, run on every
event before it leaves: it drops what could still name a person (the request's
cookies, body, query string and headers but a few, the user, breadcrumbs' data)
and masks phone numbers, e-mail addresses and personal fields in what remains
(`marketplace.logs.mask_value`: messages, exception values, local variables).
"""

from __future__ import annotations

from typing import Any

from .logs import MASK, mask_value

#: Request headers kept (the rest may carry cookies, tokens, addresses).
KEPT_HEADERS = frozenset({"host", "user-agent", "x-request-id", "content-type"})
_KEPT_KEYS = ("event_id", "timestamp", "start_timestamp", "release", "environment")


def scrub_event(event: dict[str, Any], hint: dict | None = None) -> dict[str, Any]:
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("cookies", "data", "query_string", "env"):
            if key in request:
                request[key] = MASK
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if name.lower() in KEPT_HEADERS
            }
    if "user" in event:
        user = event["user"] if isinstance(event["user"], dict) else {}
        event["user"] = {"id": user["id"]} if "id" in user else {}
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):
        for crumb in breadcrumbs.get("values", []):
            crumb.pop("data", None)
    # Identifiers Sentry needs as they are (hex and times may hold digit runs).
    kept = {key: event[key] for key in _KEPT_KEYS if key in event}
    return {**mask_value(event), **kept}


def sentry_init(
    *, dsn: str, environment: str, release: str, traces_sample_rate: float
) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=True,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        traces_sample_rate=traces_sample_rate,
    )
