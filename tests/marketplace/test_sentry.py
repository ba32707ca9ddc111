"""Issue 26: what leaves for Sentry carries no personal data (the scrubber run
on every event before it is sent; the SDK itself sends no PII by default)."""

from marketplace.logs import EMAIL_MASK, MASK, PHONE_MASK
from marketplace.sentry import scrub_event


def test_the_scrubber_removes_personal_data():
    event = {
        "event_id": "1234567890123456789012345678abcd",
        "timestamp": "2026-12-07T23:10:00Z",
        "message": "Could not send an SMS to ۰۹۱۲ ۳۴۵ ۶۷۸۹",
        "exception": {
            "values": [
                {
                    "type": "ValidationError",
                    "value": "buyer maryam@example.com: +989123456789",
                    "stacktrace": {
                        "frames": [
                            {
                                "function": "order_place",
                                "lineno": 412,
                                "vars": {
                                    "address": "خیابان فتحی شقاقی، پلاک ۱۲",
                                    "phone": "+989123456789",
                                    "seller_id": "17",
                                },
                            }
                        ]
                    },
                }
            ]
        },
        "request": {
            "url": "https://dastavard.ir/checkout/place/",
            "method": "POST",
            "data": {"line1": "خیابان فتحی"},
            "cookies": {"sessionid": "abc"},
            "query_string": "phone=09123456789",
            "headers": {
                "Cookie": "sessionid=abc",
                "Authorization": "Bearer x",
                "X-Forwarded-For": "5.6.7.8",
                "User-Agent": "Mozilla/5.0",
                "X-Request-ID": "f00dfeed",
            },
        },
        "user": {"id": 42, "email": "maryam@example.com", "ip_address": "5.6.7.8"},
        "breadcrumbs": {
            "values": [{"category": "query", "data": {"params": ["09123456789"]}}]
        },
    }
    scrubbed = scrub_event(event, {})
    text = repr(scrubbed)
    for secret in (
        "۰۹۱۲ ۳۴۵ ۶۷۸۹",
        "+989123456789",
        "09123456789",
        "maryam@example.com",
        "فتحی",
        "5.6.7.8",
        "sessionid=abc",
        "Bearer x",
    ):
        assert secret not in text, secret
    assert scrubbed["message"] == f"Could not send an SMS to {PHONE_MASK}"
    value = scrubbed["exception"]["values"][0]["value"]
    assert value == f"buyer {EMAIL_MASK}: {PHONE_MASK}"
    frame_vars = scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]["vars"]
    assert frame_vars == {"address": MASK, "phone": MASK, "seller_id": "17"}
    assert scrubbed["user"] == {"id": 42}
    assert scrubbed["request"]["headers"] == {
        "User-Agent": "Mozilla/5.0",
        "X-Request-ID": "f00dfeed",
    }
    assert scrubbed["request"]["data"] == MASK
    # What Sentry needs to file the event is left as it was.
    assert scrubbed["event_id"] == event["event_id"]
    assert scrubbed["request"]["url"] == "https://dastavard.ir/checkout/place/"


def test_sentry_is_initialised_without_pii(monkeypatch):
    import sentry_sdk

    from marketplace.sentry import sentry_init

    seen = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **kwargs: seen.update(kwargs))
    sentry_init(
        dsn="https://key@sentry.example/1",
        environment="production",
        release="",
        traces_sample_rate=0.0,
    )
    assert seen["send_default_pii"] is False
    assert seen["before_send"] is scrub_event
