"""Issue 26: Prometheus metrics at /metrics, for the internal network or a
bearer token only; our own counters move when their events happen."""

import datetime as dt
import time

import pytest
from prometheus_client import REGISTRY

from marketplace import metrics

pytestmark = pytest.mark.django_db


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_from_the_internal_network(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8", "10.0.0.0/8"]
    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    body = response.content.decode()
    assert "django_http_requests_total_by_method_total" in body
    assert "dastavard_orders_placed_total" in body


def test_metrics_refused_from_outside_without_the_token(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    wrong = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer nope"
    )
    assert wrong.status_code == 404
    right = client.get(
        "/metrics",
        REMOTE_ADDR="203.0.113.9",
        HTTP_AUTHORIZATION="Bearer s3cret-token",
    )
    assert right.status_code == 200


def test_behind_the_proxy_the_client_address_counts(client, settings):
    """Through nginx every request comes from 127.0.0.1: the client it names
    is what is checked (a visitor from outside is refused)."""
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.METRICS_TOKEN = ""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    outside = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="8.8.8.8")
    assert outside.status_code == 404


def test_otp_throttles_and_sms_outcomes_are_counted(monkeypatch):
    from marketplace.accounts import tasks
    from marketplace.accounts.services import OtpRateLimited, OtpVerifyBlocked

    before = sample("dastavard_otp_throttled_total", kind="request")
    OtpRateLimited(retry_after=dt.timedelta(minutes=1))
    assert sample("dastavard_otp_throttled_total", kind="request") == before + 1
    before = sample("dastavard_otp_throttled_total", kind="verify")
    OtpVerifyBlocked()
    assert sample("dastavard_otp_throttled_total", kind="verify") == before + 1

    sent = sample("dastavard_sms_total", outcome="sent")
    tasks.sms_send_task("+989121234567", "کد شما")
    assert sample("dastavard_sms_total", outcome="sent") == sent + 1

    def gateway_down(**kwargs):
        raise ConnectionError("gateway down")

    monkeypatch.setattr(tasks, "send_sms", gateway_down)
    failed = sample("dastavard_sms_total", outcome="failed")
    tasks.sms_send_task("+989121234567", "کد شما")
    assert sample("dastavard_sms_total", outcome="failed") == failed + 1


def test_search_fallbacks_are_counted(settings, monkeypatch):
    from catalog.search import service

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    service.breaker.reset()

    def broken(backend):
        if backend is service.elasticsearch:
            raise ConnectionError("es down")
        return "from the database"

    before = sample("dastavard_search_fallbacks_total", reason="error")
    assert service._call("search", broken) == "from the database"
    assert sample("dastavard_search_fallbacks_total", reason="error") == before + 1
    service.breaker.reset()


def test_webhook_lag_is_observed():
    count = sample("dastavard_stripe_webhook_lag_seconds_count")
    bucket = sample("dastavard_stripe_webhook_lag_seconds_bucket", le="60.0")
    metrics.webhook_lag_observe(time.time() - 42)
    assert sample("dastavard_stripe_webhook_lag_seconds_count") == count + 1
    assert (
        sample("dastavard_stripe_webhook_lag_seconds_bucket", le="60.0") == bucket + 1
    )


@pytest.mark.services
def test_celery_queue_depth_is_read_at_scrape(settings, redis_url):
    import redis

    settings.CELERY_BROKER_URL = redis_url
    client = redis.Redis.from_url(redis_url)
    client.delete("sms")
    client.rpush("sms", "a", "b", "c")
    try:
        families = list(metrics.QueueDepthCollector().collect())
    finally:
        client.delete("sms")
    depths = {s.labels["queue"]: s.value for s in families[0].samples}
    assert depths["sms"] == 3
