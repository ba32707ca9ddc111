"""The SMS provider fails while she asks for a one-time code (issue 25, "Fault
injection"): the code page answers (no 500) with its resend button, and the
worker tries the message again until the provider answers; the code then logs
her in. Fixtures: tests/marketplace/fault_fixtures.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.marketplace.fault_fixtures import wait_until

from .helpers import PHONE, last_code

pytestmark = pytest.mark.django_db


def test_a_code_asked_for_while_the_provider_fails_arrives_when_it_is_back(
    client, settings, phone_user, outbox, sms_gateway_down, celery_worker_through_proxy
):
    settings.SMS_RETRY_SECONDS = 0.2
    response = client.post(reverse("accounts:otp_request"), {"phone": PHONE})
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    assert "ارسال دوباره کد" in page.content.decode()
    wait_until(lambda: sms_gateway_down.failures >= 2)  # tried, and tried again
    assert not outbox

    sms_gateway_down.down.clear()
    wait_until(lambda: [m for m in outbox if m.phone == PHONE])
    response = client.post(reverse("accounts:otp_verify"), {"code": last_code(outbox)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200


def test_a_provider_that_never_answers_is_tried_a_bounded_number_of_times(
    client, settings, phone_user, outbox, sms_gateway_down, celery_worker_through_proxy
):
    settings.SMS_RETRY_SECONDS = 0.05
    settings.SMS_RETRIES = 2
    client.post(reverse("accounts:otp_request"), {"phone": PHONE})
    wait_until(lambda: sms_gateway_down.failures >= 3)
    import time

    time.sleep(1)  # the doubling pauses are 0.05 s and 0.1 s: no fourth try
    assert sms_gateway_down.failures == 3
    assert not outbox
