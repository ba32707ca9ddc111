"""Issue 27 §1: the staff home at /staff/, where staff land after logging in;
Oscar's dashboard keeps only the pages staff use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from orders.models import LedgerEntry, SellerOrder
from tests.accounts.helpers import PASSWORD
from tests.factories import (
    SellerFactory,
    StaffFactory,
    UserFactory,
    grant,
    make_product,
)
from tests.orders.conftest import basket_with, make_booth, place

pytestmark = pytest.mark.django_db
HOME = reverse("reports:home")


def _order_staff():
    staff = StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="change_order"))
    return staff


def test_only_staff_open_the_home(client):
    assert client.get(HOME).status_code == 302
    client.force_login(UserFactory())
    assert client.get(HOME).status_code == 403
    client.force_login(StaffFactory())
    response = client.get(HOME)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_each_count_shows_to_those_who_may_act_on_it(client):
    SellerFactory(status="applied")
    SellerFactory(status="in_review")
    SellerFactory(status="changes_requested")  # waits on her, not on staff
    reviewer = grant(StaffFactory(), "review_seller")
    client.force_login(reviewer)
    tasks = client.get(HOME).context["tasks"]
    waiting = {task.label: task.count for task in tasks}
    assert waiting["درخواست فروشندگی در انتظار بررسی"] == 2
    assert not any(task.url_name.startswith("orders_staff") for task in tasks)
    client.force_login(StaffFactory())
    assert client.get(HOME).context["tasks"] == []


@pytest.mark.dates
def test_overdue_parts_and_money_to_settle_are_counted(client):
    seller, _ = make_booth("+989121111111")
    late = place(basket_with([(make_product(seller=seller, num_in_stock=3), 1)]))
    SellerOrder.objects.filter(order=late).update(
        accept_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    owed = SellerFactory(payout_sheba="IR820540102680020817909002")
    LedgerEntry.objects.create(seller=owed, kind="sale", amount=Decimal(2_000_000))
    owes = SellerFactory()
    LedgerEntry.objects.create(seller=owes, kind="commission", amount=Decimal(-50_000))
    client.force_login(_order_staff())
    response = client.get(HOME)
    counts = {
        task.label: (task.count, task.amount) for task in response.context["tasks"]
    }
    assert counts["سفارش دیرکرد در پذیرش"][0] == 1
    assert counts["غرفه با مبلغ قابل واریز"] == (1, Decimal(2_000_000))
    assert counts["غرفه بدهکار کارمزد (دریافت)"] == (1, Decimal(50_000))
    page = response.content.decode()
    assert "۲۰۰٬۰۰۰ تومان" in page  # the payable sum, in toman
    # this month at a glance: the placed part, in Persian digits
    assert response.context["month"]["orders"].value == 1


def test_staff_land_on_the_staff_home_after_logging_in(client):
    staff = UserFactory(username="+989120000009", is_staff=True)
    staff.set_password(PASSWORD)
    staff.save()
    response = client.post(
        reverse("accounts:login"), {"phone": "09120000009", "password": PASSWORD}
    )
    assert response["Location"] == HOME
    buyer = UserFactory(username="+989120000008")
    buyer.set_password(PASSWORD)
    buyer.save()
    client.post(reverse("accounts:logout"))
    response = client.post(
        reverse("accounts:login"), {"phone": "09120000008", "password": PASSWORD}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/offers/",
        "/dashboard/vouchers/",
        "/dashboard/vouchers/sets/",
        "/dashboard/ranges/",
        "/dashboard/reviews/",
        "/dashboard/users/alerts/",
        "/dashboard/catalogue/stock-alerts/",
    ],
)
def test_the_dashboard_pages_nobody_uses_are_404_and_off_the_menu(client, url):
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(url).status_code == 404
    menu = client.get("/dashboard/orders/").content.decode()
    assert url not in menu
    assert "/dashboard/orders/" in menu


def test_oscars_index_leads_to_the_staff_home(client):
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get("/dashboard/").url == HOME


@pytest.mark.dates
def test_the_dashboard_order_list_speaks_persian(client):
    seller, _ = make_booth("+989121111112")
    order = place(basket_with([(make_product(seller=seller, num_in_stock=3), 1)]))
    client.force_login(StaffFactory(is_superuser=True))
    page = client.get("/dashboard/orders/").content.decode()
    from marketplace.persian import format_jalali, to_persian_digits

    assert to_persian_digits(order.number) in page
    assert format_jalali(order.date_placed) in page
    assert "‹حذف شده›" not in page and "&lt;" + "Deleted" not in page
    assert "(مهمان)" in page
