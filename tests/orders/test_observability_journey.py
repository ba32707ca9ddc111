"""Issue 26: a guest's whole checkout (journey 3) leaves no personal data in
the logs: her mobile (as typed, in Persian digits, and normalised), e-mail,
name, address and postcode are in no log line, and every line is JSON. The
order is counted once in the metrics, a second click on "place" not again."""

import io
import json
import logging

import pytest
from django.urls import reverse
from prometheus_client import REGISTRY

from marketplace.logs import json_formatter
from orders.models import Order
from tests.factories import make_product

from .checkout_helpers import ADDRESS, address_data, choose_all, guest_through_who
from .conftest import make_booth

pytestmark = pytest.mark.django_db

PHONE = "09351112233"
EMAIL = "maryam.ahmadi@example.com"


@pytest.fixture
def production_logs():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter(json=True))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    # Everything, DEBUG included: what an operator might turn on.
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_a_checkout_leaves_no_personal_data_in_the_logs(
    client, production_logs, django_capture_on_commit_callbacks
):
    seller, _ = make_booth("+989120000001", name="غرفه یک")
    product = make_product(seller=seller, title="کیف چرمی")
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    guest_through_who(client, phone=PHONE, email=EMAIL)
    client.post(reverse("checkout:shipping-address"), address_data())
    choose_all(client, "courier", "cod")
    assert client.get(reverse("checkout:preview")).status_code == 200
    placed = REGISTRY.get_sample_value("dastavard_orders_placed_total")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("checkout:place"))
    assert response.url == reverse("checkout:thank-you")
    client.post(reverse("checkout:place"))  # a double click
    assert Order.objects.count() == 1
    assert REGISTRY.get_sample_value("dastavard_orders_placed_total") == placed + 1
    # A careless log line of the kind the masking is there for.
    logging.getLogger("orders.checkout").warning(
        "placed for %s (%s) at %s", ADDRESS["recipient_phone"], EMAIL, PHONE
    )

    text = production_logs.getvalue()
    records = [json.loads(line) for line in text.splitlines() if line]
    # The journey was logged: one line a request at least, each with its id.
    requests = [r for r in records if r["event"] == "request"]
    assert len(requests) >= 6
    assert all(len(r["request_id"]) == 32 for r in requests)
    assert any(r["route"] == "checkout/place/" for r in requests)
    for secret in (
        PHONE,
        PHONE[1:],
        "+98" + PHONE[1:],
        "۰۹۳۵۱۱۱۲۲۳۳",
        ADDRESS["recipient_phone"],
        EMAIL,
        ADDRESS["postcode"],
        "1431653111",
        ADDRESS["street"],
        ADDRESS["recipient_name"],
    ):
        assert secret not in text, secret
