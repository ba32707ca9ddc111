"""The small-cell rule of every report, on screen and exported: a cell that
counts 1 to 4 sellers shows «کمتر از ۵», and a total (or the other cells)
must not give it back by subtraction."""

from __future__ import annotations

SMALL = 5
SMALL_TEXT = "کمتر از ۵"


def suppressed_cells(values: list[int], total: int | None) -> tuple[list[bool], bool]:
    """Which of `values` (seller counts that add up to `total`; None: no total
    shown) are hidden, and whether the total is.

    1-4 is hidden (0 is shown: it names no one). With a total shown, one hidden
    cell alone would be the total less the others, so a second one is hidden
    too: the smallest other non-zero cell; with none, the total is hidden."""
    hidden = [0 < value < SMALL for value in values]
    total_hidden = total is not None and 0 < total < SMALL
    if total is not None and not total_hidden and sum(hidden) == 1:
        others = [
            (value, index)
            for index, value in enumerate(values)
            if value > 0 and not hidden[index]
        ]
        if others:
            hidden[min(others)[1]] = True
        else:
            total_hidden = True
    return hidden, total_hidden
