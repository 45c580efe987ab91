"""Figures a seal's ring crosses are readings in doubt (`pipeline/tables/rings.py`)."""

from __future__ import annotations

from models import Provenance
from models.page import SealMark, Word
from pipeline.config import Settings
from pipeline.tables.appendix import Collector, iter_rows
from pipeline.tables.cells import CellText, Table
from pipeline.tables.geometry import Cell, Frame, Grid, Rule
from pipeline.tables.headers import SPEC_BY_KEY
from pipeline.tables.pixels import not_continued
from pipeline.tables.rings import along_ring, figure_line, ring_arcs, ring_crosses, under_ring
from pipeline.tables.values import UNSURE, FieldValue, held_in_doubt

SCALE = 150 / 72  # the page image's pixels per point


def _seal(cx: float, cy: float, radius: float, shape: str = "round") -> SealMark:
    """A seal centred at (cx, cy) points with a ring of `radius` points, in the image's pixels."""
    return SealMark(shape=shape, cx=cx * SCALE, cy=cy * SCALE, a=radius * SCALE, b=radius * SCALE,  # type: ignore[arg-type]
                    angle=0.0, confidence=1.0, source="grey", coverage=1.0, contrast=1.0)


def test_the_ring_crosses_a_box_it_passes_through_and_not_one_inside_or_outside() -> None:
    seal = _seal(400.0, 300.0, 60.0)
    assert ring_crosses((330.0, 295.0, 350.0, 305.0), seal, SCALE)  # the ring at x = 340 runs through it
    assert ring_crosses((336.0, 295.0, 338.0, 305.0), seal, SCALE)  # within the detector's slack of the ring
    assert not ring_crosses((390.0, 295.0, 410.0, 305.0), seal, SCALE)  # the seal's middle: its star, no ring
    assert not ring_crosses((250.0, 295.0, 300.0, 305.0), seal, SCALE)  # clear of the seal
    assert not ring_crosses((330.0, 295.0, 350.0, 305.0), _seal(400.0, 300.0, 60.0, "square"), SCALE)


def test_a_figure_is_ringed_where_the_ring_passes_a_digit_beyond_its_words_and_not_further() -> None:
    seal = _seal(400.0, 300.0, 60.0)
    # '901' read at x 345-360; the ring at x 340 crosses where its lost '1' stood.
    lost = [Word("901", (345.0, 294.0, 360.0, 306.0), 0.99)]
    assert under_ring(lost, (seal,), SCALE)
    # The same figure 20 points to the right: the ring runs through the blank of its cell, no digit's place.
    clear = [Word("901", (365.0, 294.0, 380.0, 306.0), 0.99)]
    assert not under_ring(clear, (seal,), SCALE)
    assert not under_ring(lost, (), SCALE) and not under_ring([], (seal,), SCALE)
    line = figure_line(lost)
    assert line is not None and line[0] < 345.0 and line[2] > 360.0 and line[1] > 294.0 and line[3] < 306.0


def test_a_ringed_figure_is_held_in_doubt_and_an_unsure_one_stays_as_it_was() -> None:
    sure = FieldValue(901.0, "901", Provenance(page=1, confidence=0.99, confirmed_by=["rapidocr"]))
    held = held_in_doubt(sure)
    assert held.value == 901.0 and held.provenance.confidence == UNSURE
    unsure = FieldValue(901.0, "901", Provenance(page=1, confidence=0.5))
    assert held_in_doubt(unsure).provenance.confidence == 0.5


def _cell(row: int, col: int, text: str, x0: float, x1: float, confidence: float = 0.99) -> CellText:
    box = (x0, 100.0 + 20 * row, x1, 120.0 + 20 * row)
    words = (Word(text, (x0 + 20.0, box[1] + 4.0, x0 + 20.0 + 5.0 * len(text), box[3] - 4.0), confidence),)
    return CellText(Cell(row, col, 1, 1, box), box, words, text, confidence)


def test_a_table_marks_the_figures_the_ring_crosses_and_the_collector_holds_them_in_doubt() -> None:
    xs = [50.0, 100.0, 250.0, 400.0, 500.0]
    rows = [["1", "杭州诚启创业投资有限公司", "杭州越创船用设备有限公司", "1,720"],
            ["2", "中国工商银行杭州分行", "杭州盛鼎船舶配套有限公司", "901"]]
    cells = [_cell(r, c, text, xs[c], xs[c + 1]) for r, row in enumerate(rows) for c, text in enumerate(row)]
    grid = Grid(xs=xs, ys=[100.0, 120.0, 140.0], cells=[c.cell for c in cells], rules=[], virtual=[])
    table = Table(page=1, grid=grid, frame=Frame(), cells=cells)
    from pipeline.tables.appendix import Layout

    spec = SPEC_BY_KEY["financings"]
    layout = Layout.by_position(table, spec)
    assert layout is not None
    # A seal below the table whose ring's top crosses the second row's figure only (its words at x 420-435,
    # y 124-136), not the first's (y 104-116).
    seal = _seal(425.0, 152.0, 22.0)
    records = list(iter_rows(table, layout, 0, ringed=lambda words: under_ring(words, (seal,), SCALE)))
    assert [r["amount"].ringed for r in records] == [False, True]
    collector = Collector(Settings())
    for record in records:
        collector.add_row(spec, record)
    collector._number_columns()
    confidences = [row["amount"].provenance.confidence for row in collector.rows["financings"]]
    assert confidences == [0.99, UNSURE]


def test_a_form_pages_block_titled_by_its_own_labels_is_no_appendix_table() -> None:
    """The basic-info form's 资源条件 rows cut off by its rules into a table of their own, with 服务能力 (the
    products' title word, a label of the form) above: on the form's page no appendix table; on an unlabelled
    page, the title names it as before."""
    from models.page import Page
    from pipeline.tables.appendix import Walker

    xs = [100.0, 300.0, 400.0, 500.0]
    rows = [["汇聚投融资机构数量（累计)", "4个", "6个"], ["汇聚高校、科研院所数量（累计)", "2个", "10个"]]
    cells = [_cell(r, c, text, xs[c], xs[c + 1]) for r, row in enumerate(rows) for c, text in enumerate(row)]
    grid = Grid(xs=xs, ys=[100.0, 120.0, 140.0], cells=[c.cell for c in cells], rules=[], virtual=[])
    table = Table(page=2, grid=grid, frame=Frame(), cells=cells, title="服务能力开展的数字化改造实施服务项目合同金额")
    for role, records in (("basic_info", 0), (None, 2)):
        walker = Walker(Collector(Settings()))
        walker.table(table, Page(number=2, width=595, height=842, kind="scan", role=role), first_on_page=True)
        assert len(walker.collector.rows["products"]) == records


def test_a_rings_upright_arc_is_no_column_rule_and_a_rule_crossing_the_seal_is_one() -> None:
    """dev35 a09's financings: a short table's height of the ring's arc beside its rightmost point stood as the
    column rule the seal hid. A piece along the ring over most of its length is the ring's; a chord through
    the seal is not, nor a piece along the ring that a piece outside the seal continues (a rule)."""
    seal = _seal(450.0, 130.0, 55.0)
    arc = Rule("v", 505.0, 100.0, 151.0)  # beside the rightmost point (505, 130)
    chord = Rule("v", 480.0, 100.0, 151.0)  # through the seal, well inside the ring
    assert along_ring(arc, seal, Frame(), SCALE) and not along_ring(chord, seal, Frame(), SCALE)
    assert not along_ring(arc, _seal(450.0, 130.0, 55.0, "square"), Frame(), SCALE)
    pieces = [arc, chord, Rule("h", 100.0, 70.0, 526.0)]
    assert ring_arcs(pieces, (seal,), Frame(), SCALE) == [arc]
    assert not_continued([arc], pieces) == [arc]
    continued = [*pieces, Rule("v", 505.5, 155.0, 260.0)]  # the same line goes on below the seal: a rule
    assert not_continued([arc], continued) == []


def _along_ring_point_by_point(rule: Rule, mark: SealMark, frame: Frame, scale: float) -> bool:
    """`along_ring` as it was written before it worked on arrays: each sample turned into the page alone."""
    import numpy as np

    from pipeline.tables.rings import ON_RING, RING_SLACK, RINGED, SAMPLES, ring_radius

    if mark.shape not in RINGED or scale <= 0 or rule.length <= 0:
        return False
    along = np.linspace(rule.start, rule.end, 4 * SAMPLES)
    points = [frame.box_to_page((rule.pos, t, rule.pos, t) if rule.orient == "v" else (t, rule.pos, t, rule.pos))
              for t in along]
    xs = np.array([point[0] for point in points]) * scale
    ys = np.array([point[1] for point in points]) * scale
    return float((np.abs(ring_radius(mark, xs, ys) - 1.0) <= RING_SLACK).mean()) >= ON_RING


def test_ring_arcs_on_arrays_decide_as_the_point_by_point_test_did() -> None:
    """The pieces' samples turned and measured as arrays give the same answer as one point at a time, piece
    for piece: turned frames, ovals at an angle, pieces on, near and off the ring, empty pieces, squares."""
    import dataclasses
    import random

    rng = random.Random(15)
    marks = [_seal(450.0, 130.0, 55.0), _seal(300.0, 400.0, 40.0, "oval"), _seal(200.0, 200.0, 30.0, "square")]
    marks.append(dataclasses.replace(marks[1], a=60.0 * SCALE, b=35.0 * SCALE, angle=27.0))
    frames = [Frame(), Frame(0.6, 300.0, 420.0), Frame(-1.3, 100.0, 50.0)]
    decided = 0
    for frame in frames:
        for mark in marks:
            cx, cy, r = mark.cx / SCALE, mark.cy / SCALE, mark.a / SCALE
            pieces = []
            for _ in range(150):
                orient = rng.choice(("h", "v"))
                centre = cy if orient == "h" else cx
                near = rng.random() < 0.5  # beside the ring's extreme point, where an arc runs level or upright
                pos = centre + rng.choice((-1.0, 1.0)) * r * (rng.uniform(0.93, 1.03) if near else rng.uniform(0.0, 1.3))
                length = rng.uniform(0.05, 0.5) * r if near else rng.choice((0.0, rng.uniform(1.0, 2.5 * r)))
                start = (cx if orient == "h" else cy) + (-length / 2 if near else -r * rng.uniform(-0.5, 1.5))
                pieces.append(Rule(orient, pos, start, start + length))
            expected = [_along_ring_point_by_point(piece, mark, frame, SCALE) for piece in pieces]
            assert [along_ring(piece, mark, frame, SCALE) for piece in pieces] == expected
            assert ring_arcs(pieces, (mark,), frame, SCALE) == [p for p, hit in zip(pieces, expected, strict=True) if hit]
            decided += sum(expected)
    assert ring_arcs([], marks, Frame(), SCALE) == [] and ring_arcs([Rule("h", 1.0, 0.0, 5.0)], None, Frame(), SCALE) == []
    assert decided > 20  # pieces along a ring were among them
