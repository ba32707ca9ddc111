"""Issue 27 §3: charts drawn on the server as SVG: a title and a description,
the table they are drawn from named for screen readers, right to left, Persian
digits and Jalali labels, nothing the Content-Security-Policy would refuse."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.reports.charts import bar_svg, chart_svg, line_svg
from marketplace.reports.tables import Cell, Table
from tests.factories import SellerFactory
from tests.reports.test_reports import reader


def _bars():
    table = Table("status", "غرفه‌ها", ["", "غرفه‌ها"], chart="bar")
    table.add("تأیید شده", Cell(40, "sellers"))
    table.add("ثبت‌نام شده", Cell(10, "sellers"))
    table.add("رد شده", Cell(3, "sellers", hidden=True))
    table.add("جمع", Cell(53, "sellers"))
    return table


def test_a_bar_chart_is_labelled_right_to_left_and_hides_what_the_table_hides():
    svg = str(bar_svg(_bars()))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="chart-status-title">غرفه‌ها</title>' in svg
    assert 'aria-describedby="data-status"' in svg and 'direction="rtl"' in svg
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(4 * widths[1])  # 40 against 10
    assert widths[2] == 0  # the hidden cell draws no bar
    assert "کمتر از ۵" in svg and "۴۰" in svg and "جمع" not in svg
    assert "<script" not in svg and "style=" not in svg


def test_a_line_chart_runs_from_the_right_with_jalali_months():
    table = Table("months", "فروش هر ماه", ["ماه", "فروش"], chart="line")
    table.add("فروردین ۱۴۰۵", Cell(Decimal(1_000_000), "money"))
    table.add("اردیبهشت ۱۴۰۵", Cell(Decimal(3_000_000), "money"))
    svg = str(line_svg(table))
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]
    assert xs[0] > xs[1]  # the first month at the right
    assert ">فروردین</text>" in svg and ">اردیبهشت</text>" in svg
    assert "۳۰۰٬۰۰۰" in svg  # the top value, in toman


def test_a_table_with_nothing_to_draw_has_no_chart():
    assert chart_svg(Table("x", "x", ["", "n"], chart="bar")) is None
    assert chart_svg(Table("y", "y", ["", "n"])) is None


@pytest.mark.django_db
@pytest.mark.dates
def test_the_report_page_draws_its_charts_above_their_tables(client):
    for _ in range(6):
        SellerFactory(status="approved")
    client.force_login(reader())
    page = client.get(reverse("reports:report", args=["sellers"])).content.decode()
    assert 'data-testid="chart-status"' in page
    assert 'id="data-status"' in page
    assert page.index('data-testid="chart-status"') < page.index('id="data-status"')
