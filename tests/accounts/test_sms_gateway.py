"""The HTTP SMS gateway backend, against a real HTTP server on loopback."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from marketplace.accounts.sms import HttpGatewaySmsBackend, SmsError, SmsMessage


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        _Gateway.received.append(
            (self.headers["Authorization"], json.loads(self.rfile.read(length)))
        )
        self.send_response(_Gateway.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    _Gateway.received = []
    _Gateway.status = 200
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()


def message():
    return SmsMessage(phone="+989121234567", text="کد ورود: ۱۲۳۴۵۶", sent_at=None)


def test_gateway_receives_json_with_bearer_token(gateway):
    HttpGatewaySmsBackend(url=gateway, token="t0k3n").send(message())
    auth, body = _Gateway.received[0]
    assert auth == "Bearer t0k3n"
    assert body == {"to": "+989121234567", "text": "کد ورود: ۱۲۳۴۵۶"}


def test_gateway_error_status_raises_sms_error(gateway):
    _Gateway.status = 503
    with pytest.raises(SmsError):
        HttpGatewaySmsBackend(url=gateway, token="x").send(message())


def test_unreachable_gateway_raises_sms_error():
    backend = HttpGatewaySmsBackend(url="http://127.0.0.1:9/send", token="x", timeout=1)
    with pytest.raises(SmsError):
        backend.send(message())


def test_missing_gateway_url_is_refused():
    with pytest.raises(SmsError):
        HttpGatewaySmsBackend(url="", token="x")
