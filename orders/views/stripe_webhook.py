"""Stripe's webhook (`/stripe/webhook/`): verify, apply once, answer.

400 for a payload not signed with our secret; 200 once the event is applied, was
applied before, or is of a type we ignore; 500 if applying it failed (nothing
was kept, so Stripe's retry applies it). Only database work happens here: a
late payment's refund is a pending row of the outbox (`orders.refunds`).
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..card import EventNotReady, stripe_event_handle
from ..stripe_gateway import CardPaymentError, WebhookSignatureInvalid, event_verify

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe cannot send our CSRF token; the signature is the check
@require_POST
def stripe_webhook_view(request: HttpRequest) -> HttpResponse:
    try:
        event = event_verify(request.body, request.headers.get("Stripe-Signature", ""))
    except WebhookSignatureInvalid as error:
        logger.warning("stripe webhook refused: %s", error)
        return JsonResponse({"error": "invalid signature"}, status=400)
    try:
        outcome = stripe_event_handle(event)
    except (CardPaymentError, EventNotReady):
        # A refund Stripe could not make now, or an order whose intent is not
        # recorded yet: nothing was kept, and Stripe retries the event.
        logger.warning("stripe event %s not applied; Stripe will retry", event.id)
        return JsonResponse({"error": "try again"}, status=503)
    return JsonResponse({"received": True, "outcome": outcome})
