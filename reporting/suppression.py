"""Small-cell suppression of counts of people, with secondary suppression where a total is shown.

A count of 1 or 2 people is shown as "<3" (primary suppression). That alone is not enough where a
total is shown: if a line (a row or a column) shows its total and exactly one of its cells is
hidden, the hidden cell is the total minus the others. So, in every such line, the smallest other
non-zero cell is hidden as well, shown as "*" (secondary suppression); if the line has no such
cell, its total is hidden instead. Hiding a cell can expose another line (where it is a cell, or
the total), so this repeats until nothing changes.

Pure functions over plain numbers, so the rule is tested on hand-made grids and used by every
page and PDF that shows such a table.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

SUPPRESSED = "<3"
SECONDARY = "*"

#: One line of a table: the key of its shown total and the keys of the cells it adds up.
Line = tuple[Hashable, Sequence[Hashable]]


def is_small(count: int) -> bool:
    """1 or 2 people: a group small enough to be recognised (0 and 3+ may be shown)."""
    return 1 <= count <= 2


def suppress(values: Mapping[Hashable, int], lines: Sequence[Line]) -> dict[Hashable, int | str]:
    """Every cell as it may be shown: its count, "<3" (1–2 people) or "*" (hidden so "<3" stays hidden).

    `values` holds every cell, totals included; `lines` names each shown total with the cells it
    is the sum of. A cell may belong to several lines (a row and a column) and a total may itself
    be a cell of another line (a row total in the column of totals).

    A line is an equation, total = sum of its cells: with exactly one of them hidden, it gives that
    one away. So another is hidden: the smallest non-zero cell shown (the first of equals, so the
    result depends on nothing else), or the total when every other cell is zero.
    """
    hidden: dict[Hashable, str] = {key: SUPPRESSED for key, count in values.items() if is_small(count)}
    changed = True
    while changed:
        changed = False
        for total, cells in lines:
            if sum(1 for key in (total, *cells) if key in hidden) != 1:
                continue
            shown = [cell for cell in cells if cell not in hidden and values[cell] > 0]
            if shown:
                hidden[min(shown, key=lambda cell: values[cell])] = SECONDARY
            elif total not in hidden:
                hidden[total] = SECONDARY
            else:
                continue  # a hidden total over cells that are all zero: nothing to give away
            changed = True
    return {key: hidden.get(key, count) for key, count in values.items()}


__all__ = ["SECONDARY", "SUPPRESSED", "Line", "is_small", "suppress"]
