"""Issue 26: the configuration files in deploy/ are the ones the stack runs
with; these tests hold them to what docs/OPERATIONS.md says of them."""

import re
import runpy
import shutil
import socket
import string
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import resolve, reverse

from tests.conftest import service_missing

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_gunicorn_preloads_warms_up_and_recycles_with_jitter():
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert conf["preload_app"] is True
    assert conf["workers"] >= 2
    assert conf["max_requests"] > 0
    assert 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert conf["graceful_timeout"] >= 10
    said = []
    server = SimpleNamespace(log=SimpleNamespace(info=lambda *args: said.append(args)))
    conf["when_ready"](server)
    assert said and said[0][0].startswith("warmed up")


def test_warm_up_compiles_the_first_pages_templates():
    from marketplace.warmup import warm_up

    loaded = warm_up()
    for name in (
        "oscar/catalogue/detail.html",
        "oscar/catalogue/browse.html",
        "404.html",
    ):
        assert name in loaded


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("marketplace.accounts.tasks.sms_send_task", "sms"),
        ("catalog.tasks.product_photo_process", "media"),
        ("sellers.tasks.wizard_uploads_sweep", "media"),
        ("catalog.search.tasks.search_index_products", "search"),
        ("catalog.search.tasks.search_reconcile", "search"),
        ("orders.tasks.expire_overdue_seller_orders", "default"),
        ("marketplace.accounts.tasks.accounts_purge_task", "default"),
    ],
)
def test_celery_routes_each_task_to_its_queue(task, queue):
    from marketplace.celery import app

    route = app.amqp.router.route({}, task)
    assert route["queue"].name == queue


def test_the_worker_listens_on_every_queue_a_task_goes_to():
    env = dict(
        line.split("=", 1)
        for line in (DEPLOY / "celery.env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    from marketplace.metrics import CELERY_QUEUES

    assert env["CELERY_QUEUES"].split(",") == list(CELERY_QUEUES)


def test_the_edge_rate_limit_covers_the_log_in_and_code_urls():
    """The nginx location that rate-limits is written as paths: each log-in and
    one-time-code URL of the app must still match it."""
    text = (DEPLOY / "nginx.conf").read_text()
    pattern = re.search(r"location ~ (\^/\(.*?\$\)) \{\s+limit_req", text).group(1)
    limited = re.compile(pattern)
    for name in (
        "accounts:login",
        "accounts:otp_request",
        "accounts:otp_verify",
        "accounts:otp_resend",
        "accounts:signup",
        "checkout:code",
        "checkout:index",
    ):
        url = reverse(name)
        assert limited.match(url), url
        assert resolve(url)
    assert not limited.match(reverse("checkout:place"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_nginx_accepts_the_configuration(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        service_missing("nginx is not installed (scripts/stack installs it)")
    subprocess.run(  # noqa: S603
        [
            shutil.which("openssl") or "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-keyout", str(tmp_path / "k"),
            "-out", str(tmp_path / "c"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (tmp_path / "run").mkdir()
    values = {
        "NGINX_WORKERS": "1",
        "RUN_DIR": str(tmp_path / "run"),
        "LOG_DIR": str(tmp_path),
        "NGINX_MIME_TYPES": "/etc/nginx/mime.types",
        "LOGIN_RATE": "30r/m",
        "LOGIN_BURST": "10",
        "APP1_PORT": str(free_port()),
        "APP2_PORT": str(free_port()),
        "HTTP_PORT": str(free_port()),
        "HTTPS_PORT": str(free_port()),
        "SERVER_NAME": "localhost",
        "TLS_CERT": str(tmp_path / "c"),
        "TLS_KEY": str(tmp_path / "k"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEPLOY_DIR": str(DEPLOY),
    }
    text = string.Template((DEPLOY / "nginx.conf").read_text()).safe_substitute(values)
    assert "${" not in text
    conf = tmp_path / "nginx.conf"
    conf.write_text(text)
    result = subprocess.run(  # noqa: S603
        [nginx, "-t", "-c", str(conf), "-p", str(tmp_path / "run"),
         "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_a_worker_started_without_queues_takes_all_four():
    """Tests' worker threads (tests/marketplace/fault_fixtures.py) and a
    `celery worker` without -Q consume every declared queue."""
    from marketplace.celery import app

    assert sorted(app.amqp.queues) == ["default", "media", "search", "sms"]
