"""Issue 27 §4: every report's tables as CSV (UTF-8 with a BOM, Latin digits,
formula-escaped) and Excel (a header row, number formats), the filters on the
first rows; hidden cells stay hidden."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from marketplace.reports.tables import Cell, Table, tables_csv, tables_xlsx
from tests.factories import SellerFactory, StaffFactory, make_product
from tests.orders.conftest import basket_with, make_booth, place
from tests.reports.test_reports import reader

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _table():
    table = Table("t", "جدول ۱", ["", "اسفند ۱۴۰۵", "اسفند ۱۴۰۴"])
    table.add(
        '=HYPERLINK("http://x")',
        Cell(Decimal(12_345_670), "money"),
        Cell(3, "sellers", True),
    )
    table.add("سهم کارت", Cell(Decimal("33.333"), "percent"), Cell(None, "percent"))
    return table


FILTERS = [("دوره", "اسفند ۱۴۰۵"), ("منطقهٔ تهران", "منطقه ۱۲")]


def test_the_csv_has_a_bom_the_filters_first_latin_digits_and_no_formula():
    text = tables_csv("سفارش‌ها", FILTERS, [_table()])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["گزارش", "سفارش‌ها"]
    assert rows[1] == ["دوره", "اسفند 1405"]
    assert rows[2] == ["منطقهٔ تهران", "منطقه 12"]
    assert rows[5] == ["جدول 1"]
    assert rows[6] == ["شرح", "اسفند 1405", "اسفند 1404"]
    assert rows[7] == [
        '\'=HYPERLINK("http://x")',
        "1234567",
        "کمتر از ۵".replace("۵", "5"),
    ]
    assert rows[8] == ["سهم کارت", "33.3", ""]
    assert not any(ch in text for ch in "۰۱۲۳۴۵۶۷۸۹")


def test_the_workbook_has_the_filters_a_bold_header_and_number_formats():
    book = load_workbook(io.BytesIO(tables_xlsx("سفارش‌ها", FILTERS, [_table()])))
    sheet = book.worksheets[0]
    assert [sheet.cell(1, 1).value, sheet.cell(1, 2).value] == ["گزارش", "سفارش‌ها"]
    assert sheet.cell(2, 2).value == "اسفند 1405"
    header = 7
    assert [c.value for c in sheet[header]] == ["شرح", "اسفند 1405", "اسفند 1404"]
    assert sheet.cell(header, 1).font.bold
    money = sheet.cell(header + 1, 2)
    assert money.value == 1234567 and money.number_format == "#,##0"
    assert sheet.cell(header + 1, 1).value.startswith("'=")
    assert sheet.cell(header + 1, 3).value == "کمتر از 5"
    share = sheet.cell(header + 2, 2)
    assert share.value == 33.3 and share.number_format == "0.0"
    assert sheet.freeze_panes == f"A{header + 1}"


def test_the_download_holds_what_the_page_shows(client):
    seller, _ = make_booth("+989121000009")
    place(basket_with([(make_product(seller=seller, price_rials=2_500_000), 2)]))
    for _ in range(3):
        SellerFactory(status="applied")
    client.force_login(reader())
    url = reverse("reports:export", args=["orders", "csv"])
    response = client.get(url, {"period": "month"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    text = response.content.decode("utf-8")
    assert "فروش آنلاین (بی سفارش‌های لغوشده),500000," in text  # 5,000,000 rials
    response = client.get(reverse("reports:export", args=["sellers", "xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    status = book.worksheets[0]  # sellers by status: 3 applied, hidden
    values = [row[1] for row in status.iter_rows(values_only=True) if row]
    assert "کمتر از 5" in values
    assert (
        client.get(reverse("reports:export", args=["orders", "pdf"])).status_code == 404
    )
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 403
