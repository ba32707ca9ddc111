"""Issue 11 item 13: the Content-Security-Policy is report-only under `make run`
and enforced in production (and in the tests, so the browser suite runs under
it); every response carries it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PRINT_POLICY = (
    "import json; from django.conf import settings; "
    "print(json.dumps([bool(getattr(settings, 'CONTENT_SECURITY_POLICY', None)), "
    "bool(getattr(settings, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None))]))"
)


def policy_of(module: str) -> list[bool]:
    env = {**os.environ, "SECRET_KEY": "x" * 60, "DJANGO_SETTINGS_MODULE": module}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRINT_POLICY],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_make_run_reports_and_production_enforces():
    assert policy_of("marketplace.settings.local") == [False, True]
    assert policy_of("marketplace.settings.production") == [True, False]


@pytest.mark.django_db
def test_every_response_carries_a_strict_policy(client):
    header = client.get("/account/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
