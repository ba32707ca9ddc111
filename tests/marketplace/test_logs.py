"""Issue 26: JSON logs with a request id, and no personal data in them."""

import io
import json
import logging

import pytest
import structlog

from marketplace.logs import EMAIL_MASK, MASK, PHONE_MASK, json_formatter, mask_text


@pytest.fixture
def captured_logs():
    """Every log record at INFO and above, rendered as production renders it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter(json=True))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line]


@pytest.mark.parametrize(
    "phone",
    [
        "09123456789",
        "0912 345 6789",
        "0912-345-6789",
        "+989123456789",
        "+98 912 345 6789",
        "989123456789",
        "۰۹۱۲۳۴۵۶۷۸۹",
        "۰۹۱۲ ۳۴۵ ۶۷۸۹",
        "٠٩١٢٣٤٥٦٧٨٩",
        "021-8888 7777",
    ],
)
def test_phone_numbers_are_masked_in_any_digit_system(phone):
    masked = mask_text(f"SMS to {phone} failed")
    assert masked == f"SMS to {PHONE_MASK} failed"


def test_emails_are_masked_and_short_numbers_kept():
    assert mask_text("mail maryam.a+x@example.co.ir now") == f"mail {EMAIL_MASK} now"
    # An order number, a count, a date, and a phone code already masked by
    # `mask_phone` stay readable.
    for text in ("order 100023", "3 parts", "2026-12-07", "+98912***4567"):
        assert mask_text(text) == text


def test_stdlib_and_structlog_lines_are_json_with_fields_masked(captured_logs):
    structlog.contextvars.bind_contextvars(request_id="abc12345")
    try:
        logging.getLogger("orders.test").warning(
            "buyer %s wrote to %s", "۰۹۱۲ ۳۴۵ ۶۷۸۹", "maryam@example.com"
        )
        structlog.get_logger("orders.test").info(
            "address saved", address="خیابان فتحی شقاقی، پلاک ۱۲", seller=7
        )
    finally:
        structlog.contextvars.clear_contextvars()
    first, second = lines(captured_logs)
    assert first["event"] == f"buyer {PHONE_MASK} wrote to {EMAIL_MASK}"
    assert first["request_id"] == "abc12345"
    assert first["level"] == "warning"
    assert second["address"] == MASK
    assert second["seller"] == 7
    assert "فتحی" not in captured_logs.getvalue()


@pytest.mark.django_db
def test_each_request_has_an_id_from_nginx_or_a_new_one(client, captured_logs):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="f00dfeed" * 4)
    assert response["X-Request-ID"] == "f00dfeed" * 4
    # A header a client could abuse (too long, other characters) is replaced.
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{evil}')
    generated = response["X-Request-ID"]
    assert len(generated) == 32 and generated != 'x"\n{evil}'
    requests = [line for line in lines(captured_logs) if line["event"] == "request"]
    assert [line["request_id"] for line in requests] == ["f00dfeed" * 4, generated]
    assert requests[0]["route"] == "healthz"
    assert requests[0]["status"] == 200


def test_celery_tasks_carry_the_request_id():
    """The id bound for the request travels in the task's message headers and
    is bound again in the worker (marketplace.celery)."""
    from types import SimpleNamespace

    from marketplace.celery import (
        REQUEST_ID_HEADER,
        request_id_bind,
        request_id_publish,
        request_id_unbind,
    )

    headers: dict = {}
    structlog.contextvars.bind_contextvars(request_id="req-00001")
    try:
        request_id_publish(headers=headers)
    finally:
        structlog.contextvars.clear_contextvars()
    assert headers == {REQUEST_ID_HEADER: "req-00001"}
    task = SimpleNamespace(
        name="catalog.tasks.photo_process",
        request=SimpleNamespace(is_eager=False, **headers),
    )
    request_id_bind(task=task)
    assert structlog.contextvars.get_contextvars() == {
        "request_id": "req-00001",
        "task": "catalog.tasks.photo_process",
    }
    request_id_unbind(task=task)
    assert structlog.contextvars.get_contextvars() == {}
