"""A report's tables: cells that know their kind (a count of sellers, a count,
money in rials, a share, days, text), shown in Persian on screen and exported
with Latin digits (CSV) or as numbers (Excel), hidden cells the same way
everywhere (the small-cell rule, `privacy`)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from marketplace.exports import csv_writer, excel_safe
from marketplace.persian import (
    format_number,
    format_toman,
    rials_to_toman,
    to_latin_digits,
    to_persian_digits,
)

from .privacy import SMALL_TEXT, suppressed_cells

#: Kinds of cell: "sellers" (a count of sellers: the small-cell rule), "count",
#: "money" (rials), "percent" (0-100), "days", "text".
KINDS = ("sellers", "count", "money", "percent", "days", "text")
NOT_AVAILABLE = "—"


@dataclass
class Cell:
    value: object
    kind: str = "count"
    hidden: bool = False

    @property
    def display(self) -> str:
        """On screen: Persian digits, toman, «کمتر از ۵»."""
        if self.hidden:
            return SMALL_TEXT
        if self.value is None:
            return NOT_AVAILABLE
        if self.kind == "text":
            return str(self.value)
        if self.kind == "money":
            return format_toman(self.value)
        if self.kind == "percent":
            return f"{to_persian_digits(f'{float(self.value):.1f}')}٪"
        if self.kind == "days":
            return f"{to_persian_digits(f'{float(self.value):.1f}')} روز"
        return format_number(self.value)

    @property
    def exported(self):
        """In an export: the number (money in toman, whole), or text; one digit
        system (Latin), the hidden cell as on screen."""
        if self.hidden:
            return SMALL_TEXT
        if self.value is None:
            return ""
        if self.kind == "text":
            return str(self.value)
        if self.kind == "money":
            return rials_to_toman(self.value)
        if self.kind in ("percent", "days"):
            return round(float(self.value), 1)
        return int(self.value)

    @property
    def number(self) -> float | None:
        """For a chart: the plotted value (money in toman), None when hidden."""
        if self.hidden or self.value is None or self.kind == "text":
            return None
        if self.kind == "money":
            return float(rials_to_toman(self.value))
        return float(self.value)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    #: "bar" or "line": drawn from the first number column against the labels.
    chart: str = ""

    def add(self, label: str, *cells: Cell) -> None:
        self.rows.append([Cell(label, "text"), *cells])


def text(value) -> Cell:
    return Cell(value, "text")


def share(part, whole) -> Cell:
    if not whole:
        return Cell(None, "percent")
    return Cell(Decimal(part or 0) * 100 / Decimal(whole), "percent")


def sellers_column(
    values: list[int], total: int | None
) -> tuple[list[Cell], Cell | None]:
    """A column of seller counts and its total, with the small-cell rule."""
    hidden, total_hidden = suppressed_cells(values, total)
    cells = [
        Cell(value, "sellers", flag) for value, flag in zip(values, hidden, strict=True)
    ]
    total_cell = None if total is None else Cell(total, "sellers", total_hidden)
    return cells, total_cell


def seller_count(value: int | None) -> Cell:
    """One count of sellers standing alone (no total beside it)."""
    if value is None:
        return Cell(None, "sellers")
    hidden, _ = suppressed_cells([value], None)
    return Cell(value, "sellers", hidden[0])


# --- exports --------------------------------------------------------------------


def _latin(value):
    """Exports use one digit system: Latin, labels included."""
    return to_latin_digits(value) if isinstance(value, str) else value


def _info_rows(title: str, filters: list[tuple[str, str]]) -> list[list]:
    return [["گزارش", title], *[[label, value] for label, value in filters]]


def tables_csv(title: str, filters: list[tuple[str, str]], tables: list[Table]) -> str:
    """Every table of a report as one CSV (UTF-8 with a BOM, for Excel): the
    report and its filters on the first rows, then each table's title, header
    row and rows; Latin digits, money in whole toman, every cell
    spreadsheet-safe (`marketplace.exports`)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out, quoting=csv.QUOTE_MINIMAL)
    for row in _info_rows(title, filters):
        writer.writerow([_latin(value) for value in row])
    writer.writerow(["مبلغ‌ها به", "تومان"])
    for table in tables:
        writer.writerow([])
        writer.writerow([_latin(table.title)])
        writer.writerow([_latin(column or "شرح") for column in table.columns])
        for row in table.rows:
            writer.writerow([_latin(cell.exported) for cell in row])
    return out.getvalue()


NUMBER_FORMATS = {
    "money": "#,##0",
    "count": "#,##0",
    "sellers": "#,##0",
    "percent": "0.0",
    "days": "0.0",
}


def tables_xlsx(
    title: str, filters: list[tuple[str, str]], tables: list[Table]
) -> bytes:
    """Every table of a report as an Excel workbook, one sheet a table: the
    report and its filters on the first rows, then a bold header row (frozen)
    and the rows, numbers as numbers with their formats (money in toman
    `#,##0`, shares and days `0.0`); every cell through `excel_safe`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for index, table in enumerate(tables, start=1):
        sheet = book.create_sheet(f"{index}-{table.key}"[:31])
        sheet.sheet_view.rightToLeft = True
        for row in _info_rows(title, filters):
            sheet.append([excel_safe(_latin(value)) for value in row])
        sheet.append([excel_safe("جدول"), excel_safe(_latin(table.title))])
        sheet.append([excel_safe("مبلغ‌ها به"), excel_safe("تومان")])
        sheet.append([])
        sheet.append([excel_safe(_latin(column or "شرح")) for column in table.columns])
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([excel_safe(_latin(cell.exported)) for cell in row])
            for column, cell in enumerate(row, start=1):
                number_format = NUMBER_FORMATS.get(cell.kind)
                if number_format and not cell.hidden and cell.value is not None:
                    sheet.cell(
                        row=sheet.max_row, column=column
                    ).number_format = number_format
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        sheet.column_dimensions["A"].width = 40
        for letter in "BCD":
            sheet.column_dimensions[letter].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
