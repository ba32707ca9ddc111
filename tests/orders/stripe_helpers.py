"""Card payment tests: signed webhook events (stripe-mock keeps no state, so the
tests build the event sequences themselves and sign them through the SDK with
the test secret), a card order, and two misbehaving local servers (one that
never answers, one that answers 500) to point the SDK at."""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import stripe
from django.urls import reverse
from django.utils import timezone

from orders.card import card_payment_start, exchange_rate_set
from orders.models import CardPayment
from tests.conftest import STRIPE_TEST_WEBHOOK_SECRET

_ids = itertools.count(1)
RATE_RIALS = Decimal(1_000_000)  # 100,000 toman per euro


def set_rate(rials=RATE_RIALS, day=None, actor=None):
    """The rate in force, set (by default) today."""
    return exchange_rate_set(
        rials_per_unit=Decimal(rials),
        effective_on=day or timezone.localdate(),
        actor=actor,
    )


def intent_object(payment: CardPayment, *, status="succeeded", charge=None, error=""):
    obj = {
        "id": payment.payment_intent_id,
        "object": "payment_intent",
        "amount": payment.amount_minor,
        "currency": payment.currency,
        "status": status,
        "transfer_group": payment.order.number,
        "metadata": {"order": payment.order.number},
        "latest_charge": charge
        if charge is not None
        else (f"ch_test_{payment.pk}" if status == "succeeded" else None),
        "last_payment_error": {"message": error, "code": "card_declined"}
        if error
        else None,
    }
    return obj


def signed(event_type: str, obj: dict, *, event_id: str = "", secret: str = ""):
    """(payload, Stripe-Signature header) signed with the test webhook secret."""
    event = {
        "id": event_id or f"evt_test_{next(_ids)}_{int(time.time() * 1000)}",
        "object": "event",
        "type": event_type,
        "api_version": "2025-01-01",
        "created": int(time.time()),
        "data": {"object": obj},
    }
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(
        payload, secret or STRIPE_TEST_WEBHOOK_SECRET
    )
    return payload, header, event["id"]


def post_event(client, event_type: str, obj: dict, **kwargs):
    payload, header, event_id = signed(event_type, obj, **kwargs)
    response = client.post(
        reverse("stripe:webhook"),
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    response.event_id = event_id
    return response


def start(order) -> CardPayment:
    return card_payment_start(order=order).payment


@contextlib.contextmanager
def hanging_server():
    """A server that accepts connections and never answers (a network timeout)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        sock.close()


@contextlib.contextmanager
def error_server(status: int = 500):
    """A server that answers every request with Stripe's error shape and `status`."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            body = json.dumps(
                {"error": {"type": "api_error", "message": "Internal server error"}}
            ).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
