"""Prometheus metrics of our own (issue 26), beside django-prometheus's request,
response and exception metrics.

| metric | counted where |
|---|---|
| `dastavard_orders_placed_total` | every new `Order` row (`orders_placed_count`, a `post_save` receiver wired in `marketplace.apps`) |
| `dastavard_orders_refused_total{reason}` | checkout's place step: `review_changed` (prices or stock moved under her), `placement` (a line can no longer be bought) |
| `dastavard_sms_total{outcome}` | `marketplace.accounts.tasks.sms_send_task`: `sent`, `retried` (the gateway failed, tried again later), `failed` (given up) |
| `dastavard_search_fallbacks_total{reason}` | `catalog.search.service`: Elasticsearch `error` (or timeout), or `circuit_open` |
| `dastavard_otp_throttled_total{kind}` | a one-time code refused by a throttle: `request`, `verify` |
| `dastavard_stripe_webhook_lag_seconds` | from Stripe's `created` to our webhook receiving the event |
| `dastavard_celery_queue_depth{queue}` | read from the broker when Prometheus scrapes (`QueueDepthCollector`) |

Under gunicorn each worker is a process: with `PROMETHEUS_MULTIPROC_DIR` set
(deploy/), prometheus_client keeps the counters in files there and `/metrics`
adds every worker's up (`metrics_registry`).
"""

from __future__ import annotations

import os
import time

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

ORDERS_PLACED = Counter("dastavard_orders_placed", "Orders placed (new Order rows).")
ORDERS_REFUSED = Counter(
    "dastavard_orders_refused",
    "Place attempts that placed nothing, by reason.",
    ["reason"],
)
SMS = Counter("dastavard_sms", "SMS handed to the gateway, by outcome.", ["outcome"])
SEARCH_FALLBACKS = Counter(
    "dastavard_search_fallbacks",
    "Searches answered by the database instead of Elasticsearch, by reason.",
    ["reason"],
)
OTP_THROTTLED = Counter(
    "dastavard_otp_throttled",
    "One-time code requests or checks refused by a throttle.",
    ["kind"],
)
WEBHOOK_LAG = Histogram(
    "dastavard_stripe_webhook_lag_seconds",
    "Seconds from Stripe creating an event to our webhook receiving it.",
    buckets=(1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 24 * 3600),
)

#: The Celery queues of deploy/celery (`CELERY_TASK_QUEUES` names the same).
CELERY_QUEUES = ("default", "sms", "media", "search")


def webhook_lag_observe(created: int | float | None) -> None:
    """`created`: the event's Unix time, as Stripe sends it."""
    if created:
        WEBHOOK_LAG.observe(max(0.0, time.time() - float(created)))


def orders_placed_count(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        ORDERS_PLACED.inc()


class QueueDepthCollector:
    """The length of each Celery queue on a Redis broker, read at scrape time
    (a gauge no process has to keep up to date). A broker that does not answer
    within half a second gives no sample, and the scrape still succeeds."""

    def collect(self):
        from django.conf import settings

        url = getattr(settings, "CELERY_BROKER_URL", "") or ""
        if not url.startswith(("redis://", "rediss://")):
            return
        import redis

        gauge = GaugeMetricFamily(
            "dastavard_celery_queue_depth",
            "Tasks waiting in each Celery queue.",
            labels=["queue"],
        )
        try:
            client = redis.Redis.from_url(
                url, socket_connect_timeout=0.5, socket_timeout=0.5
            )
            with client.pipeline(transaction=False) as pipe:
                for queue in CELERY_QUEUES:
                    pipe.llen(queue)
                depths = pipe.execute()
        except redis.RedisError:
            return
        for queue, depth in zip(CELERY_QUEUES, depths, strict=True):
            gauge.add_metric([queue], depth)
        yield gauge


_queue_depth = QueueDepthCollector()
REGISTRY.register(_queue_depth)


def metrics_registry() -> CollectorRegistry:
    """What `/metrics` shows: every gunicorn worker's counters when
    `PROMETHEUS_MULTIPROC_DIR` is set, else this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_queue_depth)
        return registry
    return REGISTRY
