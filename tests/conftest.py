"""Project-wide test set-up: services, per-test isolation and the browser.

Services come from `scripts/services start` (through `make test`), which exports
DATABASE_URL (PostgreSQL) and REDIS_URL. Without them, on a laptop, the tests run
on SQLite and the tests that need Redis or Chromium are skipped. In CI (`CI=true`)
a missing service is a failure, never a skip.

App-specific fixtures belong in the per-app conftest files (tests/<app>/conftest.py);
fixtures that tests of several folders use are pytest plugins, registered once
below (`pytest_plugins`), never star-imported.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.accessibility import AuditedBrowser, AxeAudit

# Playwright's sync API runs an asyncio event loop in the main thread, and Django
# refuses ORM calls from a thread with a running loop unless told otherwise. Set
# before Django runs any query (that check reads the environment on each call).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = [
    "tests.accounts.sms_fixtures",
    "tests.catalog.panel_fixtures",
    "tests.marketplace.fault_fixtures",
    "tests.orders.order_fixtures",
    "tests.orders.stripe_faults",
    "tests.sellers.staff_fixtures",
]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The network is closed: keep Chromium from trying to reach it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "locale": "fa-IR",
    "timezone_id": "Asia/Tehran",
}
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def service_missing(reason: str) -> None:
    """Skip the test on a laptop; fail it in CI."""
    if in_ci():
        pytest.fail(
            f"{reason} (CI=true: a missing service is a failure)", pytrace=False
        )
    pytest.skip(reason)


@pytest.fixture
def postgres_required():
    """The test needs PostgreSQL (row locks, prepared statements): skipped on a
    laptop whose DATABASE_URL is SQLite, failed in CI."""
    from django.db import connection

    if connection.vendor != "postgresql":
        service_missing("this test needs PostgreSQL (DATABASE_URL)")


def _postgres_error(db: dict) -> str | None:
    import psycopg

    try:
        with psycopg.connect(
            dbname=db.get("NAME") or "postgres",
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            connect_timeout=3,
        ) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return str(exc).strip()
    return None


def _redis_error(url: str) -> str | None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        return str(exc).strip()
    finally:
        client.close()
    return None


def _elasticsearch_error(url: str) -> str | None:
    """None if the cluster answers its health API (this distribution answers
    405 to GET /, so the client's ping() cannot be used)."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(url, request_timeout=5, max_retries=0)
    try:
        client.cluster.health(wait_for_status="yellow", timeout="5s")
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".strip()
    finally:
        client.close()
    return None


def _stripe_mock_error(url: str) -> str | None:
    """None if stripe-mock answers (any HTTP status: it wants a key)."""
    import requests

    try:
        requests.get(f"{url}/v1/charges", timeout=3)
    except requests.RequestException as exc:
        return f"{type(exc).__name__}: {exc}".strip()
    return None


# --- the clock ----------------------------------------------------------------------

CLOCK_ENV = "DASTAVARD_CLOCK"
_RELATIVE = re.compile(r"^\+(\d+)d$")
_CLOCK_KEY = pytest.StashKey[object]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        default=os.environ.get(CLOCK_ENV, ""),
        help=(
            "run the tests with 'now' at this instant: ISO 8601 with its offset "
            "(2027-03-17T12:00:00+03:30) or days ahead of today (+365d); several, "
            "comma-separated, run each test once at each. The clock keeps ticking "
            f"from there. Default: ${CLOCK_ENV}, else the real clock."
        ),
    )


def parse_clock(spec: str) -> dt.datetime:
    """The instant `--clock` names: `+Nd` is N days after now, else an ISO 8601
    date-time that must carry its UTC offset (a naive one would depend on the
    machine's zone)."""
    relative = _RELATIVE.match(spec.strip())
    if relative:
        return dt.datetime.now(dt.UTC) + dt.timedelta(days=int(relative[1]))
    try:
        instant = dt.datetime.fromisoformat(spec.strip())
    except ValueError:
        raise pytest.UsageError(
            f"--clock {spec!r}: expected +<days>d or an ISO 8601 date-time"
        ) from None
    if instant.tzinfo is None:
        raise pytest.UsageError(
            f"--clock {spec!r}: give the UTC offset, e.g. 2027-03-17T12:00:00+03:30"
        )
    return instant


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """`--clock`: the whole session runs with the clock moved by time-machine,
    ticking. The set-up (test database, data migrations) runs from an hour before
    the earliest instant, so what it wrote is in every test's past, and each test
    starts at its instant (`_clock_per_test`): a test run at "23:59" has its
    minute before midnight however long the set-up took. With several instants
    every test runs once at each, in one session (one test database):
    scripts/date_matrix."""
    spec = config.getoption("--clock")
    if not spec:
        return
    import time_machine

    instants = {part.strip(): parse_clock(part) for part in spec.split(",")}
    traveller = time_machine.travel(
        min(instants.values()) - dt.timedelta(hours=1), tick=True
    )
    traveller.start()
    config.stash[_CLOCK_KEY] = (instants, traveller)


def pytest_unconfigure(config: pytest.Config) -> None:
    clock = config.stash.get(_CLOCK_KEY, None)
    if clock is not None:
        clock[1].stop()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    clock = metafunc.config.stash.get(_CLOCK_KEY, None)
    if clock is None or len(clock[0]) < 2:
        return
    instants = clock[0]
    metafunc.parametrize(
        "_clock_per_test",
        list(instants.values()),
        ids=[f"clock={name}" for name in instants],
        indirect=True,
    )


@pytest.fixture(autouse=True)
def _clock_per_test(request: pytest.FixtureRequest) -> Iterator[None]:
    clock = request.config.stash.get(_CLOCK_KEY, None)
    if clock is None:
        yield
        return
    import time_machine

    instant = getattr(request, "param", None) or next(iter(clock[0].values()))
    with time_machine.travel(instant, tick=True):
        yield


def pytest_report_header(config: pytest.Config) -> str | None:
    clock = config.stash.get(_CLOCK_KEY, None)
    if clock is None:
        return None
    return "clock: " + ", ".join(
        f"{name} ({instant.isoformat(timespec='seconds')})"
        for name, instant in clock[0].items()
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop the run before collection if the services it was promised are not there."""
    from django.conf import settings

    problems = []
    db = settings.DATABASES["default"]
    is_postgres = "postgresql" in db["ENGINE"]
    if is_postgres:
        error = _postgres_error(db)
        if error:
            problems.append(
                f"PostgreSQL at {db.get('HOST')}:{db.get('PORT')} is unreachable: {error}"
            )
    elif in_ci():
        problems.append(
            f"the database engine is {db['ENGINE']}, not PostgreSQL "
            "(is DATABASE_URL exported? run `scripts/services start`)"
        )

    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        error = _redis_error(redis_url)
        if error and (in_ci() or is_postgres):
            problems.append(f"Redis at {redis_url} is unreachable: {error}")
    elif in_ci():
        problems.append("REDIS_URL is not set (run `scripts/services start`)")

    es_url = os.environ.get("ELASTICSEARCH_URL", "")
    if es_url:
        error = _elasticsearch_error(es_url)
        if error and (in_ci() or is_postgres):
            problems.append(f"Elasticsearch at {es_url} is unreachable: {error}")
    elif in_ci():
        problems.append("ELASTICSEARCH_URL is not set (run `scripts/services start`)")

    stripe_url = os.environ.get("STRIPE_API_BASE", "")
    if stripe_url:
        error = _stripe_mock_error(stripe_url)
        if error and (in_ci() or is_postgres):
            problems.append(f"stripe-mock at {stripe_url} is unreachable: {error}")
    elif in_ci():
        problems.append("STRIPE_API_BASE is not set (run `scripts/services start`)")

    if problems:
        lines = "\n  - ".join(problems)
        pytest.exit(
            f"Test services are missing{' (CI=true)' if in_ci() else ''}:\n  - {lines}\n"
            "`make test` starts them; by hand: scripts/services start && "
            "source var/services.env",
            returncode=1,
        )


# --- per-test isolation -----------------------------------------------------------

_TRANSACTIONAL = {"transactional_db", "live_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test starts from the migrated database.

    A transactional test (`transaction=True`, `transactional_db`, `live_server`)
    commits for real, so Django empties every table after it, including the rows
    the data migrations wrote (Wagtail's root page, our home page and site,
    Wagtail's locale and groups). The next transactional test would then see a
    site without a home page. Django's answer is `serialized_rollback`: the test
    database is serialized once after migrating and loaded back before each such
    test. It only works if every transactional test uses it (otherwise the flush
    recreates content types with new ids and loading clashes), so it is switched
    on here for all of them.
    """
    from pytest_django.fixtures import validate_django_db

    for item in items:
        marker = item.get_closest_marker("django_db")
        mark = pytest.mark.django_db()  # the defaults, for fixture-only tests
        transaction, reset_sequences, databases, serialized, available_apps = (
            validate_django_db(marker or mark.mark)
        )
        fixtures = set(getattr(item, "fixturenames", ()))
        transactional = transaction or reset_sequences or fixtures & _TRANSACTIONAL
        if serialized or not transactional:
            continue
        restored = pytest.mark.django_db(
            transaction=True,
            reset_sequences=reset_sequences,
            databases=databases,
            serialized_rollback=True,
            available_apps=available_apps,
        )
        item.add_marker(restored, append=False)


@pytest.fixture(autouse=True)
def _clear_default_cache() -> Iterator[None]:
    """The category menu and the open-seller ids live in the default cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def sms_outbox() -> Iterator[list]:
    """The SMS the test sent (settings.test uses the recording backend), empty
    before and after each test."""
    from marketplace.accounts import sms

    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    """Uploads of one test go to its own directory and vanish with it."""
    path = tmp_path / "media"
    path.mkdir()
    settings.MEDIA_ROOT = path
    settings.PRODUCT_PHOTO_PRIVATE_ROOT = tmp_path / "private"
    settings.WIZARD_UPLOAD_ROOT = tmp_path / "wizard"
    return path


# --- logging in -------------------------------------------------------------------


def pass_second_factor(client, user) -> None:
    """Mark `client`'s session as having passed the staff TOTP second factor with a
    confirmed device of `user` (made if she has none)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def force_login_is_a_finished_login(monkeypatch):
    """`client.force_login(user)` stands for a login that is finished: for a staff
    account that includes the TOTP second factor. Tests of the second factor
    itself log in through the login views (tests/accounts/test_staff_security.py)."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from marketplace.accounts.staff import is_staff_account

        if is_staff_account(user):
            pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


# --- the anonymous page cache -----------------------------------------------------


@pytest.fixture
def page_cache(settings):
    """The page cache on, as in production, and only it: a page rendered for the
    request then runs queries, which is how tests tell it from a hit
    (tests/catalog/test_catalog_caches.py covers the card, listing and product
    caches)."""
    settings.PAGE_CACHE_SECONDS = 30
    settings.CARD_CACHE_SECONDS = 0
    settings.LISTING_CACHE_SECONDS = 0


# --- Redis ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> str:
    """REDIS_URL of the running test Redis (skipped locally, failed in CI, if none)."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        service_missing("REDIS_URL is not set (run `scripts/services start`)")
    error = _redis_error(url)
    if error:
        service_missing(f"Redis at {url} is unreachable: {error}")
    return url


@pytest.fixture
def redis_cache(redis_url: str):
    """Django's default cache on the test Redis, for one test; empty before and after."""
    from django.core.cache import caches
    from django.test import override_settings

    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "test",
        }
    }
    with override_settings(CACHES=config):
        cache = caches["default"]
        cache.clear()
        yield cache
        cache.clear()


# --- Elasticsearch ----------------------------------------------------------------


@pytest.fixture(scope="session")
def elasticsearch_url() -> str:
    """ELASTICSEARCH_URL of the running test cluster (skipped locally, failed in
    CI, if none)."""
    from django.conf import settings

    url = getattr(settings, "TEST_ELASTICSEARCH_URL", "")
    if not url:
        service_missing("ELASTICSEARCH_URL is not set (run `scripts/services start`)")
    error = _elasticsearch_error(url)
    if error:
        service_missing(f"Elasticsearch at {url} is unreachable: {error}")
    return url


# --- stripe-mock --------------------------------------------------------------------

STRIPE_TEST_WEBHOOK_SECRET = "whsec_test_dastavard"


@pytest.fixture(scope="session")
def stripe_mock_url() -> str:
    """STRIPE_API_BASE of the running stripe-mock (skipped locally, failed in CI,
    if none)."""
    from django.conf import settings

    url = getattr(settings, "TEST_STRIPE_API_BASE", "")
    if not url:
        service_missing("STRIPE_API_BASE is not set (run `scripts/services start`)")
    error = _stripe_mock_error(url)
    if error:
        service_missing(f"stripe-mock at {url} is unreachable: {error}")
    return url


@pytest.fixture
def stripe_mock(settings, stripe_mock_url: str) -> str:
    """Card payment switched on against stripe-mock, with test keys and a
    webhook secret the tests sign with (`tests/orders/stripe_helpers.py`)."""
    settings.STRIPE_API_BASE = stripe_mock_url
    settings.STRIPE_SECRET_KEY = "sk_test_dastavard"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_dastavard"
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_TEST_WEBHOOK_SECRET
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_TIMEOUT_SECONDS = 5.0
    return stripe_mock_url


@pytest.fixture(scope="session")
def _search_es_session(elasticsearch_url: str):
    """The test run's index alias, deleted with everything behind it at the end."""
    from django.test import override_settings

    yield
    with override_settings(ELASTICSEARCH_URL=elasticsearch_url, SEARCH_TIMEOUT=10.0):
        from catalog.search import elastic

        elastic.index_drop_all()


@pytest.fixture
def search_es(settings, elasticsearch_url: str, _search_es_session):
    """Search on the test Elasticsearch for one test, behind the run's own alias,
    emptied before the test (creating an index per test is too slow). A generous
    timeout: the shared CI machine is slow, and a timeout would silently answer
    from the database."""
    from catalog.search import elastic, service

    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.SEARCH_TIMEOUT = 10.0
    service.breaker.reset()
    elastic.building_clear()
    if elastic.alias_targets():
        elastic.documents_clear()
    else:
        elastic.alias_ensure()
    yield elastic
    service.breaker.reset()


# --- browser (Playwright + Debian's Chromium) -------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test item, so fixtures can see failures."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        service_missing(f"{CHROMIUM} is missing (scripts/services start installs it)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Between its calls Playwright's sync API leaves an asyncio loop marked as
    # running in this thread, and Django then keeps database connections per async
    # context: a second, fresh set, without the test database state that
    # pytest-django set up on the first (serialized rollback above, for one). Let
    # both views of this thread share the same connection objects.
    thread_connections = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, wrapper in thread_connections.items():
            setattr(connections._connections, alias, wrapper)
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield AuditedBrowser(chromium)
        chromium.close()


@pytest.fixture
def axe_audit(browser):
    """axe-core audits every page of every browser context opened during the
    test (tests/browser/accessibility.py); a serious or critical violation on
    any of them fails the test."""
    audit = AxeAudit()
    browser.audit = audit
    yield audit
    for context in list(audit.pending):
        try:
            audit.finish(context)
        except Exception as exc:  # a context the test closed itself
            print(f"axe: could not audit again: {exc}")  # noqa: T201
    browser.audit = None
    failures = audit.failures()
    if failures:
        pytest.fail(
            "axe-core: serious or critical accessibility violations:\n  "
            + "\n  ".join(failures),
            pytrace=False,
        )


@pytest.fixture
def phone_page(browser, axe_audit, request: pytest.FixtureRequest):
    """A fresh phone-sized, Persian-locale browser page; screenshot on failure."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid).strip("_")
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # a screenshot must not hide the real failure
            print(f"could not take a screenshot: {exc}")  # noqa: T201
    context.close()
