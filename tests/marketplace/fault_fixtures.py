"""Fault injection against the real services (issue 25, "Fault injection"),
registered once for the whole suite as a pytest plugin (`pytest_plugins` in
tests/conftest.py).

A `FaultProxy` is a small TCP proxy in front of a real Redis or Elasticsearch
(started by `scripts/services`): the code under test talks to the proxy, and the
test stops the service mid-flow with `cut()` (its port then refuses connections
and every open connection is dropped, as when the service stops) and brings it
back with `restore()`. The service itself keeps running for the other tests.

The fixtures ask for `redis_url` / `elasticsearch_url` (tests/conftest.py), so
without the services they skip on a laptop and fail under `CI=true`.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

#: The Redis database the fault tests use (the others use /0), flushed before
#: and after each of them.
FAULT_REDIS_DB = 7


class FaultProxy:
    """A TCP proxy to `target` ("host", port) on a local port of its own."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self._lock = threading.Lock()
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._listener: socket.socket | None = None
        self.port = 0
        self._listen()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def is_up(self) -> bool:
        return self._listener is not None

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # closed by cut() or close()
                return
            if self._listener is not listener:  # cut meanwhile
                client.close()
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            pair = (client, upstream)
            with self._lock:
                self._pairs.add(pair)
            for src, dst in (pair, pair[::-1]):
                threading.Thread(
                    target=self._pump, args=(src, dst, pair), daemon=True
                ).start()

    def _pump(self, src: socket.socket, dst: socket.socket, pair) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            self._drop(pair)

    def _drop(self, pair) -> None:
        with self._lock:
            self._pairs.discard(pair)
        for sock in pair:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def cut(self) -> None:
        """The service stops: new connections are refused, open ones dropped."""
        listener, self._listener = self._listener, None
        if listener is not None:
            # shutdown wakes the thread blocked in accept(); close alone does not
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            pairs = list(self._pairs)
        for pair in pairs:
            self._drop(pair)

    def restore(self) -> None:
        """The service is back, on the same address."""
        if self._listener is None:
            self._listen()

    def close(self) -> None:
        self.cut()


@contextlib.contextmanager
def _proxy(url: str) -> Iterator[FaultProxy]:
    parts = urlsplit(url)
    proxy = FaultProxy((parts.hostname or "127.0.0.1", parts.port or 0))
    try:
        yield proxy
    finally:
        proxy.close()


def _through(url: str, proxy: FaultProxy, *, path: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = proxy.address
    if parts.username or parts.password:
        netloc = f"{parts.username or ''}:{parts.password or ''}@{netloc}"
    return urlunsplit(
        (parts.scheme, netloc, parts.path if path is None else path, parts.query, "")
    )


def wait_until(check: Callable[[], object], *, seconds: float = 20.0) -> object:
    """Poll `check` until it returns something true (then return it), or fail
    after `seconds`: work done by a worker thread or a service coming back."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"still not done after {seconds} s: {check}", pytrace=False)
        time.sleep(0.05)


def fault_redis(redis_url: str):
    """A client straight to the fault tests' Redis database (/7), past the proxy."""
    import redis

    parts = urlsplit(redis_url)
    direct = redis.Redis.from_url(
        urlunsplit((parts.scheme, parts.netloc, f"/{FAULT_REDIS_DB}", "", ""))
    )
    assert direct.connection_pool.connection_kwargs["db"] == FAULT_REDIS_DB
    return direct


@pytest.fixture
def redis_fault_proxy(redis_url: str) -> Iterator[tuple[FaultProxy, str]]:
    """(the proxy, a Redis URL through it to database /7), that database
    flushed before and after the test."""
    direct = fault_redis(redis_url)
    direct.flushdb()
    with _proxy(redis_url) as proxy:
        yield proxy, _through(redis_url, proxy, path=f"/{FAULT_REDIS_DB}")
    direct.flushdb()
    direct.close()


@pytest.fixture
def redis_cache_through_proxy(settings, redis_fault_proxy):
    """Django's cache as production configures it (django-redis, connection
    errors ignored: `REDIS_CACHE_OPTIONS`) on the Redis behind the proxy."""
    from django.core.cache import cache

    from marketplace.settings import base

    proxy, url = redis_fault_proxy
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "faults",
            "OPTIONS": base.REDIS_CACHE_OPTIONS,
        }
    }
    cache.clear()
    yield proxy
    proxy.restore()
    cache.clear()


@pytest.fixture
def celery_broker_through_proxy(redis_fault_proxy) -> Iterator[FaultProxy]:
    """Celery as in production: tasks are sent to the Redis behind the proxy
    (not run eagerly). Yields the proxy."""
    from marketplace.celery import app

    proxy, url = redis_fault_proxy
    keys = ("broker_url", "task_always_eager", "broker_connection_timeout")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_url=url, task_always_eager=False, broker_connection_timeout=1
    )
    _pools_forget(app)
    yield proxy
    proxy.restore()
    app.conf.update(saved)
    _pools_forget(app)


def _pools_forget(app) -> None:
    """The app's connection and producer pools are made for one broker URL:
    drop them, so the next task is sent to the URL configured now (kombu keeps
    one pool per URL, and each test's proxy has its own port)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_worker_through_proxy(celery_broker_through_proxy, monkeypatch):
    """A Celery worker in a thread of this process, taking tasks from the Redis
    behind the proxy; it reconnects by itself after `cut()` / `restore()`.
    Yields the proxy. Its tasks must not need the test's database rows (the
    test's transaction is not committed): sending SMS does not."""
    from celery.contrib.testing.worker import start_worker
    from celery.fixups.django import DjangoWorkerFixup

    # Celery's Django fix-up closes the database connections of the thread that
    # starts a worker (and around each task; the solo pool even closes their
    # file descriptors): here that is the test's own connection, inside its
    # transaction.
    monkeypatch.setattr(DjangoWorkerFixup, "_close_database", lambda self: None)
    monkeypatch.setattr(
        DjangoWorkerFixup, "on_worker_process_init", lambda self, **kwargs: None
    )

    from marketplace.celery import app

    proxy = celery_broker_through_proxy
    with start_worker(
        app, perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"
    ):
        yield proxy
        proxy.restore()  # let the worker shut down cleanly


@pytest.fixture
def elasticsearch_fault_proxy(settings, search_es, elasticsearch_url):
    """Search on the test Elasticsearch (`search_es`) through a proxy the test
    can cut: yields the proxy."""
    from catalog.search import service

    with _proxy(elasticsearch_url) as proxy:
        settings.ELASTICSEARCH_URL = _through(elasticsearch_url, proxy)
        service.breaker.reset()
        yield proxy
        proxy.restore()
        service.breaker.reset()


class FailingSmsGateway:
    """An SMS backend (`settings.SMS_BACKEND`) whose provider is down while
    `FailingSmsGateway.down` is set: `send` raises `SmsError`, as the HTTP
    gateway does. Up, it records like `RecordingSmsBackend`."""

    down = threading.Event()
    failures = 0

    def send(self, message) -> None:
        from marketplace.accounts import sms

        if FailingSmsGateway.down.is_set():
            FailingSmsGateway.failures += 1
            raise sms.SmsError("SMS gateway unreachable: connection refused")
        sms.outbox.append(message)


@pytest.fixture
def sms_gateway_down(settings) -> Iterator[type[FailingSmsGateway]]:
    """The SMS provider raises until the test calls `.down.clear()`."""
    settings.SMS_BACKEND = f"{__name__}.FailingSmsGateway"
    FailingSmsGateway.failures = 0
    FailingSmsGateway.down.set()
    yield FailingSmsGateway
    FailingSmsGateway.down.clear()
