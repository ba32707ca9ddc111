"""The guest's code step at checkout (issue 24 §1): the new-client delay on the
who step, and too many wrong codes answered in Persian, never a 500."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories import make_product

from .checkout_helpers import last_code
from .conftest import make_booth

pytestmark = pytest.mark.django_db

GUEST = {"name": "مریم احمدی", "phone": "09351112233"}


@pytest.fixture
def basket(client):
    seller, _ = make_booth("+989120000001", name="غرفه")
    product = make_product(seller=seller, title="کالا")
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})


def test_a_new_guest_sends_the_who_step_after_the_delay(
    client, basket, settings, time_machine
):
    settings.OTP_NEW_CLIENT_DELAY_SECONDS = 3
    time_machine.move_to(dt.datetime.now(dt.UTC), tick=False)
    page = client.get(reverse("checkout:index")).content.decode()
    token = re.search(r'name="otp_form_token" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("checkout:index"), {**GUEST, "otp_form_token": token}
    )
    assert response.status_code == 200
    assert "صبر کنید" in response.content.decode()
    time_machine.shift(3)
    response = client.post(
        reverse("checkout:index"), {**GUEST, "otp_form_token": token}
    )
    assert response.url == reverse("checkout:code")
    assert last_code("+989351112233")
