"""A report's tables: cells that know their kind (a count of sellers, a count,
money in rials, a share, days, text), shown in Persian on screen and exported
with Latin digits (CSV) or as numbers (Excel), hidden cells the same way
everywhere (the small-cell rule, `privacy`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from marketplace.persian import (
    format_number,
    format_toman,
    rials_to_toman,
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
