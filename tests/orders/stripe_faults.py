"""Stripe failing, for the fault-injection tests (a pytest plugin, registered in
`tests/conftest.py`): two tiny local servers to point the SDK at, one that
accepts connections and never answers (a network timeout) and one that answers
every request with Stripe's error shape and a 500, and `stripe_outage`, which
points the card settings at one of them (parametrise it indirectly with
"hang" or "500") and back at stripe-mock with `.restore()`."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


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


class StripeOutage:
    """Switches the card settings between a broken Stripe (`down()`) and
    stripe-mock (`up()`)."""

    def __init__(self, settings, broken_url: str, good_url: str, kind: str):
        self.settings = settings
        self.url = broken_url
        self.good_url = good_url
        self.kind = kind

    def down(self) -> None:
        self.settings.STRIPE_TIMEOUT_SECONDS = 0.5
        self.settings.STRIPE_MAX_NETWORK_RETRIES = 0
        self.settings.STRIPE_API_BASE = self.url

    def up(self) -> None:
        self.settings.STRIPE_API_BASE = self.good_url


@pytest.fixture
def stripe_outage(request, settings, stripe_mock):
    """Card payment switched on against stripe-mock, and a broken Stripe to
    switch to with `.down()` ("hang": never answers, the SDK gives up after
    0.5 s; "500": answers 500) and back with `.up()`. Parametrise it
    indirectly; the default is "500"."""
    kind = getattr(request, "param", "500")
    server = hanging_server if kind == "hang" else error_server
    with server() as url:
        outage = StripeOutage(settings, url, stripe_mock, kind)
        yield outage
        outage.up()
