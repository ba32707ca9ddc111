"""What a new user noticed at 390 px (issue 24 §3.1): no Latin digit on the
product page's stock line, in a prefilled mobile field, or in a mobile shown
on the review, order, panel and staff pages; every mobile reads «۰۹۱۲ ۳۴۵ ۶۷۸۹»."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from orders.services import BuyerData
from tests.factories import UserFactory, make_product

from .checkout_helpers import address_data, choose_all, guest_through_who
from .conftest import basket_with, place

pytestmark = pytest.mark.django_db

SHOWN = '<bdi dir="ltr">۰۹۱۲ ۱۲۳ ۴۵۶۷</bdi>'  # tehran_address()'s +989121234567


def test_the_product_page_says_how_many_are_left_in_persian(client, order_booth):
    product = make_product(seller=order_booth[0], title="کیف پول چرمی", num_in_stock=9)
    body = client.get(product.get_absolute_url()).content.decode()
    assert "در انبار (۹ عدد)" in body
    assert "( 9" not in body and "موجود)" not in body


def test_the_recipient_mobile_is_prefilled_the_way_she_writes_it(client, product):
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    guest_through_who(client, phone="09351112233")
    page = client.get(reverse("checkout:shipping-address")).content.decode()
    assert 'value="۰۹۳۵۱۱۱۲۲۳۳"' in page
    assert "+98935" not in page
    # The field takes the international form as well.
    response = client.post(
        reverse("checkout:shipping-address"),
        address_data(recipient_phone="+989121234567"),
    )
    assert response.url == reverse("checkout:payment-method")


def test_the_review_page_shows_the_mobile_in_groups(client, product):
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    guest_through_who(client)
    client.post(
        reverse("checkout:shipping-address"),
        address_data(recipient_phone="09121234567"),
    )
    choose_all(client, "post", "cod")
    review = client.get(reverse("checkout:preview")).content.decode()
    assert SHOWN in review and "+۹۸" not in review


def test_order_and_panel_pages_show_the_mobile_in_groups(client, order_booth, product):
    seller, owner = order_booth
    buyer = UserFactory(username="+989351110000")
    order = place(
        basket_with([(product, 1)], owner=buyer),
        buyer=BuyerData(user=buyer, name="مریم", phone=buyer.username, email=""),
    )
    client.force_login(buyer)
    body = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert SHOWN in body and "+۹۸" not in body
    client.force_login(owner)
    part = order.seller_orders.get()
    body = client.get(
        reverse("orders_panel:part", args=[seller.pk, part.pk])
    ).content.decode()
    assert SHOWN in body and "+۹۸" not in body


# A mobile printed as it is stored, or only with its digits turned: `+۹۸۹…`
# (a `tel:` link keeps the international form: it is for the phone, not her).
_RAW_PHONE = re.compile(
    r"(?<!tel:){{\s*[\w.]*(phone|username)\s*(\|\s*fa_digits\s*)?}}", re.IGNORECASE
)


def test_every_template_shows_a_mobile_through_the_mobile_filter():
    roots = [Path(settings.BASE_DIR)]
    offenders = [
        f"{path.relative_to(roots[0])}: {match.group(0)}"
        for path in roots[0].glob("**/templates/**/*.html")
        if ".venv" not in path.parts
        for match in _RAW_PHONE.finditer(path.read_text())
    ]
    assert offenders == []


def test_no_page_separates_facts_with_a_middle_dot():
    """«۲۱:۳۸ · وضعیت»: beside Persian digits a middle dot reads as a zero (۰)."""
    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for pattern in ("**/templates/**/*.html", "**/*.py", "**/*.txt")
        for path in root.glob(pattern)
        if not {".venv", "tests", "var", "docs"} & set(path.parts)
        and ("·" in path.read_text() or "&middot;" in path.read_text())
    ]
    assert offenders == []


def test_the_order_page_separates_with_a_dash(client, order_booth, product):
    buyer = UserFactory(username="+989351110001")
    order = place(
        basket_with([(product, 1)], owner=buyer),
        buyer=BuyerData(user=buyer, name="مریم", phone=buyer.username, email=""),
    )
    client.force_login(buyer)
    body = client.get(reverse("orders:detail", args=[order.number])).content.decode()
    assert " – وضعیت کلی" in body and "·" not in body
