"""Issue 26: /healthz is liveness with no dependency; /readyz checks each
configured dependency with a timeout and answers 503 naming what failed."""

import socket
import time

import dj_database_url
import pytest

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nothing_configured(settings):
    """The database only (what `make run` has)."""
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = "memory://"
    settings.ELASTICSEARCH_URL = ""
    settings.MEDIA_STORAGE = "local"
    settings.DATABASE_REPLICA_URL = ""
    settings.READY_TIMEOUT_SECONDS = 1.0


def test_healthz_touches_no_dependency(client, django_assert_num_queries, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_the_database_answers(client, nothing_configured):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_fails_when_the_database_is_down(
    client, nothing_configured, monkeypatch
):
    down = dj_database_url.parse(f"postgres://u:p@127.0.0.1:{closed_port()}/x")
    monkeypatch.setattr("marketplace.health.database_settings", lambda alias: down)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] != "ok"
    assert "OperationalError" in body["checks"]["database"]


def test_readyz_fails_when_the_replica_is_down(client, nothing_configured, settings):
    settings.DATABASE_REPLICA_URL = f"postgres://u:p@127.0.0.1:{closed_port()}/x"
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["replica"] != "ok"


def test_readyz_fails_when_the_replica_lags(
    client, nothing_configured, settings, monkeypatch
):
    settings.DATABASE_REPLICA_URL = f"postgres://u:p@127.0.0.1:{closed_port()}/x"
    settings.READY_REPLICA_MAX_LAG_SECONDS = 30

    class Lagging:
        def cursor(self):
            return self

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            assert "pg_last_xact_replay_timestamp" in sql

        def fetchone(self):
            return (95.0,)

        def close(self):
            pass

    real_connect = __import__("marketplace.health", fromlist=["_connect"])._connect
    monkeypatch.setattr(
        "marketplace.health._connect",
        lambda alias, timeout: (
            Lagging() if alias == "replica" else real_connect(alias, timeout)
        ),
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "95 s behind" in response.json()["checks"]["replica"]


@pytest.mark.parametrize(
    ("setting", "url", "check"),
    [
        ("REDIS_URL", "redis://127.0.0.1:{port}/0", "redis"),
        ("CELERY_BROKER_URL", "redis://127.0.0.1:{port}/0", "broker"),
        ("ELASTICSEARCH_URL", "http://127.0.0.1:{port}", "elasticsearch"),
    ],
)
def test_readyz_fails_when_a_service_is_down(
    client, nothing_configured, settings, setting, url, check
):
    setattr(settings, setting, url.format(port=closed_port()))
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks[check] != "ok"


def test_readyz_fails_when_object_storage_is_down(client, nothing_configured, settings):
    settings.MEDIA_STORAGE = "s3"
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{closed_port()}"
    settings.AWS_ACCESS_KEY_ID = "test"
    settings.AWS_SECRET_ACCESS_KEY = "test"  # noqa: S105
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["object_storage"] != "ok"


def test_readyz_answers_in_time_when_a_server_hangs(
    client, nothing_configured, settings
):
    """A server that accepts the connection and never answers costs the
    timeout, not a hung worker."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        settings.READY_TIMEOUT_SECONDS = 0.5
        settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] != "ok"
    assert elapsed < 3


@pytest.mark.services
def test_readyz_is_ok_with_the_running_redis(
    client, nothing_configured, settings, redis_url
):
    settings.REDIS_URL = redis_url
    settings.CELERY_BROKER_URL = redis_url
    response = client.get("/readyz")
    assert response.json()["checks"] == {
        "database": "ok",
        "redis": "ok",
        "broker": "ok",
    }
    assert response.status_code == 200
