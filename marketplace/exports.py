"""Spreadsheet exports that cannot run code: the one home of CSV (and any
future Excel) escaping, used by every export of the project (the payout CSV,
Oscar's dashboard order download, its reports and voucher codes).

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
a formula to Excel, LibreOffice and Google Sheets ("CSV injection": a booth
named `=HYPERLINK(…)` becomes a link, a DDE payload runs a program). Following
OWASP, such text gets a leading `'`, which spreadsheets show as text and hide.
Real numbers (int, Decimal, float, and text that is just a number such as
`-12500`) stay numbers, so a negative balance still sums.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def spreadsheet_safe(value):
    """`value` as a spreadsheet cell that is never a formula (see the module)."""
    if isinstance(value, Promise):  # a lazily translated header
        value = str(value)
    if isinstance(value, (bool, int, float, Decimal)) or not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SpreadsheetSafeWriter:
    """Any CSV writer (`csv.writer`, Oscar's `UnicodeCSVWriter`) whose every cell
    goes through `spreadsheet_safe`."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row):
        return self.writer.writerow([spreadsheet_safe(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(file, **kwargs) -> SpreadsheetSafeWriter:
    """`csv.writer(file, **kwargs)`, spreadsheet-safe: use it for every CSV."""
    return SpreadsheetSafeWriter(csv.writer(file, **kwargs))
