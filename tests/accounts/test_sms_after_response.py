"""Issue 11 item 4: which numbers have accounts showed in the time a code request
took, because the request waited for the SMS gateway. Now SMS leave after the
response (queued when the transaction commits)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.accounts import tasks
from tests.accounts.helpers import PHONE, last_code

pytestmark = pytest.mark.django_db
OTP_REQUEST = reverse("accounts:otp_request")


@pytest.fixture
def sms_at_commit_run_at_once():
    """Overrides the account tests' fixture: here the commit is the point."""


def test_a_code_request_never_waits_for_the_gateway(
    client, phone_user, outbox, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks.sms_send_task, "delay", lambda *a: queued.append(a))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(OTP_REQUEST, {"phone": PHONE})
    assert response.status_code == 302
    # The response is made and the gateway has not been called...
    assert outbox == [] and queued == []
    # ... the SMS is queued when the transaction commits, and a worker sends it.
    for callback in callbacks:
        callback()
    assert [args[0] for args in queued] == [PHONE]
    tasks.sms_send_task.run(*queued[0])
    assert last_code(outbox)


def test_known_and_unknown_numbers_queue_nothing_in_the_request(
    client, phone_user, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        client.post(OTP_REQUEST, {"phone": PHONE})
        client.post(OTP_REQUEST, {"phone": "+989351112233"})
    assert outbox == []
