"""`tables.geometry.units_to_cells`: each boundary's rules picked once give the cells every rule looked at
for every edge gave."""

from __future__ import annotations

import random

from pipeline.tables import geometry
from pipeline.tables.geometry import Rule, Tolerances, units_to_cells


def _cells_looking_at_every_rule(xs: list[float], ys: list[float], horizontals: list[Rule],
                                 verticals: list[Rule], tol: Tolerances) -> list[geometry.Cell]:
    """`units_to_cells` as it was: each edge measured against all the rules."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and geometry._covered(verticals, "v", xs[c + 1], ys[r], ys[r + 1], tol) < tol.coverage:
                parent[find(r * n_cols + c)] = find(r * n_cols + c + 1)
            if r + 1 < n_rows and geometry._covered(horizontals, "h", ys[r + 1], xs[c], xs[c + 1], tol) < tol.coverage:
                parent[find(r * n_cols + c)] = find((r + 1) * n_cols + c)
    spans: dict[int, list[int]] = {}
    for index in range(n_rows * n_cols):
        r, c = divmod(index, n_cols)
        box = spans.setdefault(find(index), [r, c, r, c])
        box[0], box[1], box[2], box[3] = min(box[0], r), min(box[1], c), max(box[2], r), max(box[3], c)
    cells = [geometry.Cell(row=r0, col=c0, row_span=r1 - r0 + 1, col_span=c1 - c0 + 1,
                           bbox=(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])) for r0, c0, r1, c1 in spans.values()]
    return geometry._resolve_overlaps(sorted(cells, key=lambda cell: (cell.row, cell.col)))


def test_cells_as_when_every_edge_looked_at_every_rule() -> None:
    rng = random.Random(5)
    tol = Tolerances()
    for _ in range(300):
        xs = sorted(rng.sample(range(0, 600, 7), rng.randint(2, 9)))
        ys = sorted(rng.sample(range(0, 800, 5), rng.randint(2, 12)))
        rules = []
        for _ in range(rng.randint(0, 40)):
            if rng.random() < 0.5:
                a, b = sorted(rng.sample(range(-10, 620), 2))
                rules.append(Rule("h", rng.choice(ys) + rng.uniform(-4, 4), a, b))
            else:
                a, b = sorted(rng.sample(range(-10, 820), 2))
                rules.append(Rule("v", rng.choice(xs) + rng.uniform(-4, 4), a, b))
        horizontals = [r for r in rules if r.orient == "h"] + [r for r in rules if r.orient == "v"][:2]
        verticals = list(rules)
        want = _cells_looking_at_every_rule([float(x) for x in xs], [float(y) for y in ys], horizontals, verticals, tol)
        assert units_to_cells([float(x) for x in xs], [float(y) for y in ys], horizontals, verticals, tol) == want
    # A rule just within the snap of a boundary counts there, one just past it does not.
    merged = units_to_cells([0.0, 50.0, 100.0], [0.0, 20.0], [], [Rule("v", 50.0 + tol.snap + 0.01, 0.0, 20.0)], tol)
    assert len(merged) == 1
    kept = units_to_cells([0.0, 50.0, 100.0], [0.0, 20.0], [], [Rule("v", 50.0 + tol.snap, 0.0, 20.0)], tol)
    assert len(kept) == 2


def test_a_border_overshooting_the_bottom_rule_makes_no_row() -> None:
    """A seal's ring continued the right border 10 pt past the bottom rule: the thin row under it, no column
    rule crossing it, would join every cell above lacking a rule (a category's block) into one."""
    rules = [Rule("h", y, 0, 300) for y in (0, 18, 36, 54)] + [Rule("h", 36, 100, 300)] + \
        [Rule("v", 0, 0, 54), Rule("v", 100, 0, 54), Rule("v", 150, 0, 54), Rule("v", 300, 0, 64)]
    rules = [r for r in rules if not (r.orient == "h" and r.pos == 36 and r.start == 0)]  # a category spans 2 rows
    grid = geometry.build_grid(rules)
    assert grid is not None and grid.ys[-1] == 54
    assert sorted((c.row, c.col, c.row_span, c.col_span) for c in grid.cells) == [
        (0, 0, 1, 1), (0, 1, 1, 1), (0, 2, 1, 1), (1, 0, 2, 1), (1, 1, 1, 1), (1, 2, 1, 1), (2, 1, 1, 1),
        (2, 2, 1, 1)]
    # A last row whose bottom rule was lost but whose columns are drawn down through it stays.
    drawn = [r if r.orient == "h" or r.pos == 300 else Rule("v", r.pos, 0, 64) for r in rules]
    grid = geometry.build_grid(drawn)
    assert grid is not None and grid.ys[-1] == 64


def test_a_column_rule_reaching_under_a_seal_past_the_bottom_makes_no_row() -> None:
    """One of three column rules continued by a seal's stroke past the bottom rule (dev12 a06): the thin
    row under it held the note below the table, read as a record."""
    rules = [Rule("h", y, 0, 400) for y in (0, 17, 34, 51)] + \
        [Rule("v", x, 0, 51) for x in (0, 100, 200, 400)] + [Rule("v", 300, 0, 63)]
    grid = geometry.build_grid(rules)
    assert grid is not None and grid.ys[-1] == 51
    # Two of the three reaching down: the columns are drawn through it, a row whose bottom rule was lost.
    rules = [r if r.pos != 200 or r.orient == "h" else Rule("v", 200, 0, 63) for r in rules]
    grid = geometry.build_grid(rules)
    assert grid is not None and grid.ys[-1] == 63


def test_a_last_row_about_as_tall_as_the_others_stays_whatever_its_rules() -> None:
    """A seal over the last record lost its bottom rule and two of its column rules: a row about as tall as
    the others (the provider numbered 10) is the table's, not a border's overshoot."""
    rules = [Rule("h", y, 0, 400) for y in (0, 26, 52, 78)] + [Rule("v", x, 0, 78) for x in (0, 100, 200)] + \
        [Rule("v", 300, 0, 103), Rule("v", 400, 0, 103)]
    grid = geometry.build_grid(rules)
    assert grid is not None and grid.ys[-1] == 103
