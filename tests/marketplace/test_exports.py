"""Issue 24 §1.3: `marketplace.exports`, the one spreadsheet-safe CSV writer."""

import io
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy

from marketplace.exports import csv_writer, spreadsheet_safe


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_a_formula_gets_a_quote(start):
    value = f'{start}HYPERLINK("https://evil.example","x")'
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["چرم نیلوفر", "IR820540102680020817909002", "a=b", "", " =1", "۱۲۳"],
)
def test_other_text_is_left_alone(value):
    assert spreadsheet_safe(value) == value


@pytest.mark.parametrize(
    "value", [-62500, 0, 12.5, Decimal("-1250000.00"), "-62500", "+12.5", "-3"]
)
def test_real_numbers_stay_numbers(value):
    assert spreadsheet_safe(value) == value


def test_lazy_text_and_other_values():
    header = spreadsheet_safe(gettext_lazy("Name"))
    assert type(header) is str and header == str(gettext_lazy("Name"))
    assert spreadsheet_safe(None) is None
    assert spreadsheet_safe(True) is True


def test_csv_writer_escapes_every_cell():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["=1+1", -5, "-5", "@me", "ok"])
    writer.writerows([["+x"]])
    assert out.getvalue().splitlines() == ["'=1+1,-5,-5,'@me,ok", "'+x"]


def test_oscar_voucher_set_download_uses_the_safe_writer(db):
    from oscar.core.loading import get_class

    view = get_class("dashboard.vouchers.views", "VoucherSetDownloadView")
    assert view.__module__ == "marketplace.dashboard.vouchers.views"
