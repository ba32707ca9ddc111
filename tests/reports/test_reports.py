"""Issue 27 §2, §5, §6: the report pages: their permission, figures checked
against fixtures computed by hand (a seller who moves district, a cancelled
part, a refund, a stall sale), the comparison with a year earlier, the
small-cell rule (the subtraction case too) and the case-file read log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from marketplace.reports.models import ReportAccess
from marketplace.reports.periods import period_this_month, tehran_midnight
from marketplace.reports.privacy import SMALL_TEXT, suppressed_cells
from marketplace.reports.queries import ReportFilter, orders_report, sellers_report
from orders.models import CardPayment, CardRefund, SellerOrder
from orders.services import seller_order_transition
from orders.stalls import stall_sale_record
from sellers.models import BazaarStall, District
from tests.bazaars.conftest import make_bazaar
from tests.factories import (
    CaseFileFactory,
    SellerFactory,
    StaffFactory,
    grant,
    make_product,
)
from tests.orders.conftest import basket_with, make_booth, place

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def reader(*extra: str):
    """Staff with `reports.view` (and the sellers permissions named)."""
    user = StaffFactory()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="reports", codename="view")
    )
    return grant(user, *extra) if extra else user


def this_month() -> ReportFilter:
    return ReportFilter(period=period_this_month(timezone.localdate()))


def rows(table) -> dict[str, list[str]]:
    return {row[0].display: [cell.display for cell in row[1:]] for row in table.rows}


def values(table) -> dict[str, list]:
    return {row[0].display: [cell.value for cell in row[1:]] for row in table.rows}


def by_key(tables, key):
    return next(table for table in tables if table.key == key)


def sell(seller, price: int, quantity: int = 1, **placing):
    product = make_product(seller=seller, price_rials=price, num_in_stock=10)
    return place(basket_with([(product, quantity)]), **placing).seller_orders.get()


# --- permission -------------------------------------------------------------------


def test_reports_need_their_own_permission(client):
    url = reverse("reports:report", args=["orders"])
    assert client.get(url).status_code == 302
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 403
    assert client.get(reverse("reports:index")).status_code == 403
    client.force_login(reader())
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert client.get(reverse("reports:report", args=["nothing"])).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"period": "range", "first": "۱۴۰۵/۱۳/۴۰", "last": "x"},
        {"period": "range", "first": "1405/02/01", "last": "1404/01/01"},
        {"period": "year", "year": "99999999999999"},
        {"district": "23", "province": "abc", "centre": "-1", "kind": "<b>"},
        {"period": "month", "month": "13"},
    ],
)
def test_a_bad_filter_is_a_persian_message_not_an_error(client, query):
    client.force_login(reader())
    response = client.get(reverse("reports:report", args=["orders"]), query)
    assert response.status_code == 200
    assert response.context["form"].errors


# --- figures against fixtures computed by hand -------------------------------------


def test_a_seller_who_moves_keeps_her_sales_where_she_made_them():
    seller, _ = make_booth(
        "+989121000001",
        district=District.objects.get_or_create(
            number=12, defaults={"name": "منطقه ۱۲"}
        )[0],
    )
    part = sell(seller, 2_000_000)
    for action in ("accept", "ship", "deliver"):
        seller_order_transition(seller_order=part, action=action, party="seller")
    five, _ = District.objects.get_or_create(number=5, defaults={"name": "منطقه ۵"})
    seller.district = five
    seller.centre = None
    seller.save()

    twelve = ReportFilter(period=this_month().period, district=12)
    moved_to = ReportFilter(period=this_month().period, district=5)
    assert values(orders_report(twelve)[0])["فروش آنلاین (بی سفارش‌های لغوشده)"][
        0
    ] == Decimal(2_000_000)
    assert (
        values(orders_report(moved_to)[0])["فروش آنلاین (بی سفارش‌های لغوشده)"][0] == 0
    )
    assert values(orders_report(moved_to)[0])["سفارش‌های ثبت‌شده (هر غرفه جدا)"][0] == 0


def test_a_cancelled_part_and_a_refund_are_not_sales():
    seller, _ = make_booth("+989121000002")
    kept = sell(seller, 3_000_000)
    declined = sell(seller, 1_000_000)
    seller_order_transition(
        seller_order=declined,
        action="decline",
        party="seller",
        note="مواد اولیه تمام شد",
    )
    refunded = sell(seller, 500_000)
    # A card part paid and then cancelled by the buyer: its refund waits in the
    # outbox (what orders.card writes; Stripe is not called here).
    SellerOrder.objects.filter(pk=refunded.pk).update(payment_method="card")
    seller_order_transition(seller_order=refunded, action="cancel", party="buyer")
    payment = CardPayment.objects.create(
        order=refunded.order,
        payment_intent_id="pi_report_test",
        idempotency_key="pi-basket-report-test",
        status=CardPayment.Status.SUCCEEDED,
        amount_rials=500_000,
        amount_minor=100,
        currency="eur",
        rials_per_unit=500_000,
        rate_effective_on=timezone.localdate(),
    )
    CardRefund.objects.create(
        seller_order=refunded,
        payment=payment,
        action="cancel",
        amount_rials=500_000,
        amount_minor=100,
        currency="eur",
        idempotency_key="refund-report-test",
    )

    tables = orders_report(this_month())
    figures = values(tables[0])
    # 3 parts placed; only the 3,000,000-rial one is a sale
    assert figures["سفارش‌های ثبت‌شده (هر غرفه جدا)"][0] == 3
    assert figures["فروش آنلاین (بی سفارش‌های لغوشده)"][0] == Decimal(3_000_000)
    assert figures["میانگین هر سفارش"][0] == Decimal(3_000_000)
    endings = values(by_key(tables, "endings"))
    assert round(float(endings["ردشده به دست غرفه"][0]), 1) == 33.3
    assert round(float(endings["لغوشده (خریدار یا کارکنان)"][0]), 1) == 33.3
    assert endings["بازپرداخت کارتی (تعداد)"][0] == 1
    assert values(by_key(tables, "reasons")) == {"مواد اولیه تمام شد": [1]}
    pay = values(by_key(tables, "payment"))
    assert round(float(pay["کارت"][0]), 1) == 33.3
    del kept


def test_a_stall_sale_counts_at_the_bazaar_and_where_she_was():
    seller, owner = make_booth("+989121000003")
    product = make_product(seller=seller, price_rials=700_000, num_in_stock=5)
    stall = BazaarStall.objects.create(
        bazaar=make_bazaar(), seller=seller, stall_number="7"
    )
    sale = stall_sale_record(
        stall=stall,
        stockrecord_id=product.stockrecords.get().pk,
        quantity=2,
        actor=owner,
    )
    assert sale.seller_district_id == seller.district_id
    assert sale.seller_programme_id == seller.programme_id
    figures = values(orders_report(this_month())[0])
    assert figures["فروش در بازارچه‌ها"][0] == Decimal(1_400_000)
    assert figures["تعداد فروش در بازارچه‌ها"][0] == 1
    elsewhere = ReportFilter(
        period=this_month().period, district=seller.district.number % 22 + 1
    )
    assert values(orders_report(elsewhere)[0])["فروش در بازارچه‌ها"][0] == 0


def test_each_figure_stands_next_to_the_same_period_a_year_earlier():
    seller, _ = make_booth("+989121000004")
    now_part = sell(seller, 1_000_000)
    old_part = sell(seller, 4_000_000)
    earlier = this_month().period.year_earlier()
    SellerOrder.objects.filter(pk=old_part.pk).update(
        created_at=tehran_midnight(earlier.first) + dt.timedelta(hours=12)
    )
    table = orders_report(this_month())[0]
    assert table.columns[1:] == [this_month().period.label, earlier.label]
    assert values(table)["فروش آنلاین (بی سفارش‌های لغوشده)"] == [
        Decimal(1_000_000),
        Decimal(4_000_000),
    ]
    del now_part


# --- the small-cell rule ------------------------------------------------------------


def test_one_small_cell_hides_a_second_so_the_total_gives_nothing_away():
    hidden, total_hidden = suppressed_cells([7, 3, 0, 9], 19)
    assert hidden == [True, True, False, False]  # 3, and the smallest other (7)
    assert not total_hidden
    # with no other non-zero cell, the total goes instead
    assert suppressed_cells([3, 0, 0], 3) == ([True, False, False], True)
    assert suppressed_cells([3, 0, 6], 9) == ([True, False, True], False)
    # two small cells already hide each other
    assert suppressed_cells([2, 3, 10], 15) == ([True, True, False], False)


def test_the_sellers_report_never_lets_a_small_count_be_worked_out(client):
    for _ in range(7):
        SellerFactory(status="approved")
    for _ in range(3):
        SellerFactory(status="applied")
    client.force_login(reader())
    response = client.get(reverse("reports:report", args=["sellers"]))
    status = rows(by_key(response.context["tables"], "status"))
    assert status["ثبت‌نام شده"] == [SMALL_TEXT]
    assert status["تأیید شده"] == [SMALL_TEXT]  # else 10 - 7 would give the 3
    assert status["جمع"] == ["۱۰"]
    assert status["رد شده"] == ["۰"]
    page = response.content.decode()
    assert "کمتر از ۵" in page


# --- case-file figures ---------------------------------------------------------------


def test_case_file_figures_only_with_their_permission_and_each_read_is_logged(client):
    for _ in range(6):
        CaseFileFactory(seller=SellerFactory(brand_name="غرفهٔ نشان‌دار"))
    url = reverse("reports:report", args=["sellers"])
    plain = reader()
    client.force_login(plain)
    response = client.get(url)
    assert "casefile" not in [table.key for table in response.context["tables"]]
    assert not ReportAccess.objects.exists()

    allowed = reader("view_casefile")
    client.force_login(allowed)
    response = client.get(url, {"period": "year"})
    table = by_key(response.context["tables"], "casefile")
    assert rows(table)["غرفه‌های سرپرست خانوار"][0] == "۶"
    # never a name next to a case-file category
    assert "غرفهٔ نشان‌دار" not in response.content.decode()
    entry = ReportAccess.objects.get()
    assert entry.user == allowed and entry.report == "sellers"
    assert "دوره" in entry.filters


def test_the_funnel_counts_steps_taken_in_the_period():
    now = timezone.now()
    for _ in range(5):
        SellerFactory(submitted_at=now, approved_at=now, status="approved")
    table = by_key(sellers_report(this_month()), "funnel")
    figures = values(table)
    assert figures["ثبت‌نام کرد"][0] == 5
    assert figures["تأیید شد"][0] == 5
    assert rows(table)["نخستین فروش را داشت"][0] == "۰"


def test_every_report_opens_on_the_demo_shaped_data(client):
    seller, _ = make_booth("+989121000005")
    sell(seller, 900_000)
    client.force_login(reader("view_casefile"))
    for slug in ("sellers", "catalogue", "orders", "bazaars", "money", "mentoring"):
        response = client.get(
            reverse("reports:report", args=[slug]), {"period": "season"}
        )
        assert response.status_code == 200, slug
        response = client.get(reverse("reports:report", args=[slug]), {"district": "6"})
        assert response.status_code == 200, slug


def test_an_untouched_month_or_season_is_the_current_one(client):
    from marketplace.persian import to_jalali
    from marketplace.reports.periods import SEASONS

    client.force_login(reader())
    url = reverse("reports:report", args=["orders"])
    month = to_jalali(timezone.localdate()).month
    response = client.get(url, {"period": "season", "season": "", "month": ""})
    assert response.context["filters"][0][1].startswith(SEASONS[(month - 1) // 3])
    response = client.get(url, {"period": "month", "month": ""})
    assert response.context["filters"][0][1] == this_month().period.label
