"""Secondary suppression on hand-made grids: no "<3" cell can be found again by subtraction."""

import random

from reporting.suppression import SECONDARY, SUPPRESSED, is_small, suppress


def recoverable(shown: dict, values: dict, lines: list) -> list:
    """Hidden cells a reader finds from what is shown, solving one sum with one unknown at a time."""
    known = {key: values[key] for key, value in shown.items() if isinstance(value, int)}
    found = []
    changed = True
    while changed:
        changed = False
        for total, cells in lines:
            unknown = [key for key in (total, *cells) if key not in known]
            if len(unknown) == 1:
                known[unknown[0]] = values[unknown[0]]  # total − the others, or the cells added up
                found.append(unknown[0])
                changed = True
    return found


def grid(rows: list[list[int]]) -> tuple[dict, list]:
    """A table with its row totals, column totals and grand total all shown: keys (row, column)."""
    values, lines = {}, []
    width = len(rows[0])
    for r, row in enumerate(rows):
        values.update({(r, c): value for c, value in enumerate(row)})
        values[(r, "計")] = sum(row)
        lines.append(((r, "計"), [(r, c) for c in range(width)]))
    for c in [*range(width), "計"]:
        values[("合計", c)] = sum(values[(r, c)] for r in range(len(rows)))
        lines.append((("合計", c), [(r, c) for r in range(len(rows))]))
    lines.append((("合計", "計"), [("合計", c) for c in range(width)]))
    return values, lines


def primary_only(values: dict) -> dict:
    return {key: SUPPRESSED if is_small(value) else value for key, value in values.items()}


def test_a_lone_small_cell_is_found_by_subtraction_without_secondary_suppression():
    values, lines = grid([[1, 5, 7], [4, 6, 9]])
    assert recoverable(primary_only(values), values, lines)[0] == (0, 0)


def test_the_smallest_other_cells_are_hidden_until_no_line_has_a_single_hidden_cell():
    values, lines = grid([[1, 5, 7], [4, 6, 9]])
    shown = suppress(values, lines)
    assert shown[(0, 0)] == SUPPRESSED
    # Row 0 hides its smallest other cell (5), column 0 its only other (4), then column 1 the 6.
    assert [shown[(0, 1)], shown[(1, 0)], shown[(1, 1)]] == [SECONDARY] * 3
    assert [shown[(0, 2)], shown[(1, 2)], shown[(0, "計")], shown[("合計", 0)]] == [7, 9, 13, 5]
    assert recoverable(shown, values, lines) == []


def test_one_row_with_a_total_hides_its_next_smallest_non_zero_cell():
    values = {"a": 2, "b": 0, "c": 10, "d": 4, "total": 16}
    lines = [("total", ["a", "b", "c", "d"])]
    assert suppress(values, lines) == {"a": SUPPRESSED, "b": 0, "c": 10, "d": SECONDARY, "total": 16}


def test_equal_candidates_hide_the_first():
    values = {"a": 1, "b": 4, "c": 4, "total": 9}
    assert suppress(values, [("total", ["a", "b", "c"])])["b"] == SECONDARY


def test_zero_cells_are_never_hidden_and_the_total_is_when_nothing_else_is_left():
    # s is hidden to protect p; in the second line s is the only non-zero cell, so its total goes too.
    values = {"p": 1, "s": 5, "x": 6, "z1": 0, "z2": 0, "y": 5}
    lines = [("x", ["p", "s"]), ("y", ["s", "z1", "z2"])]
    shown = suppress(values, lines)
    assert shown == {"p": SUPPRESSED, "s": SECONDARY, "x": 6, "z1": 0, "z2": 0, "y": SECONDARY}
    assert recoverable(shown, values, lines) == []


def test_a_hidden_total_whose_cells_are_all_shown_gets_a_cell_hidden():
    # The column of row totals hides row 0's total (7) to protect row 1's (1); 7 = 3 + 4 would give it back.
    values = {"a": 3, "b": 4, "t0": 7, "t1": 1, "g": 8, "c": 1}
    lines = [("t0", ["a", "b"]), ("t1", ["c"]), ("g", ["t0", "t1"])]
    shown = suppress(values, lines)
    assert shown["t0"] == SECONDARY and shown["a"] == SECONDARY and shown["b"] == 4
    assert recoverable(shown, values, lines) == []


def test_totals_of_one_or_two_show_as_small_and_need_nothing_more():
    values, lines = grid([[1, 0], [0, 0]])
    shown = suppress(values, lines)
    assert shown[(0, 0)] == shown[(0, "計")] == shown[("合計", 0)] == shown[("合計", "計")] == SUPPRESSED
    assert SECONDARY not in shown.values()


def test_nothing_is_hidden_without_small_cells():
    values, lines = grid([[3, 0, 7], [0, 12, 4]])
    assert suppress(values, lines) == values


def test_no_random_grid_gives_a_small_cell_away():
    rng = random.Random(20251130)
    for _ in range(300):
        width = rng.randint(1, 5)
        rows = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 8, 13]) for _c in range(width)] for _r in range(rng.randint(1, 4))]
        values, lines = grid(rows)
        shown = suppress(values, lines)
        assert recoverable(shown, values, lines) == [], rows
        assert all(shown[key] == SUPPRESSED for key, value in values.items() if is_small(value)), rows
