"""Readiness: can this app server take traffic? (`/readyz`, issue 26.)

Each dependency that is configured is checked at once, in its own thread, with
its own timeout (`READY_TIMEOUT_SECONDS`): the answer comes within that time
even when a server hangs instead of refusing. What is not configured (no
`ELASTICSEARCH_URL`, no replica, media on the local disk) is not checked.

| check | when | fails on |
|---|---|---|
| `database` | always | `SELECT 1` on a new connection to the primary |
| `replica` | `DATABASE_REPLICA_URL` | the replica unreachable, or replaying more than `READY_REPLICA_MAX_LAG_SECONDS` behind |
| `redis` | `REDIS_URL` | `PING` |
| `broker` | a Redis `CELERY_BROKER_URL` | `PING` (the broker may be another Redis than the cache) |
| `elasticsearch` | `ELASTICSEARCH_URL` | the cluster unreachable or red |
| `object_storage` | `MEDIA_STORAGE=s3` | `HeadBucket` of the public and the private bucket |

Why not django-health-check: its database check writes a row (a table and a
migration of its own), its storage check writes and deletes a file on every
probe, it has no replica-lag or Elasticsearch check, and each check has no
timeout of its own; these few functions are all /readyz needs.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import dj_database_url
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend

Check = Callable[[float], None]


class NotReady(Exception):
    """A dependency answered, but not as it should."""


def _timeout() -> float:
    return float(getattr(settings, "READY_TIMEOUT_SECONDS", 2.0))


def database_settings(alias: str) -> dict:
    """The settings of a database connection as the app uses them (under tests,
    the test database's); the replica's from `DATABASE_REPLICA_URL`."""
    if alias in connections.settings:
        return {**connections[alias].settings_dict}
    return dj_database_url.parse(settings.DATABASE_REPLICA_URL)


def _connect(alias: str, timeout: float):
    """A connection of its own (not the request's, which may predate an outage),
    to be closed by the caller."""
    # Django's defaults (TIME_ZONE, CONN_MAX_AGE…) for a dict from a URL.
    db = connections.configure_settings({alias: database_settings(alias)})[alias]
    if db["ENGINE"].endswith("postgresql"):
        db["OPTIONS"] = {
            **db.get("OPTIONS", {}),
            "connect_timeout": max(1, round(timeout)),
        }
    return load_backend(db["ENGINE"]).DatabaseWrapper(db, alias)


def check_database(timeout: float) -> None:
    connection = _connect("default", timeout)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()


REPLICA_LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


def check_replica(timeout: float) -> None:
    connection = _connect("replica", timeout)
    try:
        with connection.cursor() as cursor:
            cursor.execute(REPLICA_LAG_SQL)
            (lag,) = cursor.fetchone()
    finally:
        connection.close()
    limit = float(getattr(settings, "READY_REPLICA_MAX_LAG_SECONDS", 30))
    if float(lag) > limit:
        raise NotReady(f"replica {float(lag):.0f} s behind (limit {limit:.0f} s)")


def _redis_ping(url: str, timeout: float) -> None:
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=timeout, socket_timeout=timeout
    )
    try:
        client.ping()
    finally:
        client.close()


def check_redis(timeout: float) -> None:
    _redis_ping(settings.REDIS_URL, timeout)


def check_broker(timeout: float) -> None:
    _redis_ping(settings.CELERY_BROKER_URL, timeout)


def check_elasticsearch(timeout: float) -> None:
    from elasticsearch import Elasticsearch

    client = Elasticsearch(
        settings.ELASTICSEARCH_URL, request_timeout=timeout, max_retries=0
    )
    try:
        status = client.cluster.health(timeout=f"{max(1, round(timeout))}s")["status"]
    finally:
        client.close()
    if status == "red":
        raise NotReady("cluster status red")


def check_object_storage(timeout: float) -> None:
    from marketplace.object_storage import buckets_head

    buckets_head(timeout=timeout)


def configured_checks() -> dict[str, Check]:
    checks: dict[str, Check] = {"database": check_database}
    if getattr(settings, "DATABASE_REPLICA_URL", ""):
        checks["replica"] = check_replica
    if getattr(settings, "REDIS_URL", ""):
        checks["redis"] = check_redis
    if str(getattr(settings, "CELERY_BROKER_URL", "")).startswith(
        ("redis://", "rediss://")
    ):
        checks["broker"] = check_broker
    if getattr(settings, "ELASTICSEARCH_URL", ""):
        checks["elasticsearch"] = check_elasticsearch
    if getattr(settings, "MEDIA_STORAGE", "local") == "s3":
        checks["object_storage"] = check_object_storage
    return checks


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}"[:200]


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready, {check: "ok" or what failed}), within the timeout."""
    timeout = _timeout()
    checks = configured_checks()
    results: dict[str, str] = {}
    # Threads, not the request's thread: a hung server costs the timeout, not a
    # worker; a check still running is abandoned (its socket has a timeout too).
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    try:
        futures = {name: pool.submit(check, timeout) for name, check in checks.items()}
        for name, future in futures.items():
            try:
                future.result(timeout=timeout + 0.5)
            except FutureTimeout:
                results[name] = f"timeout after {timeout:g} s"
            except Exception as error:
                results[name] = _describe(error)
            else:
                results[name] = "ok"
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return all(value == "ok" for value in results.values()), results
