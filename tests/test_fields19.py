"""Round 19's field readings: a cell's rule read beside a figure, an e-mail's thin glyphs and its '@' after a
misread 1, a share's '%' read as digits, and tick boxes that must stand where their labels were read."""

from __future__ import annotations

import models
from pipeline.checkboxes import Located, OptionMark, boxes_fit_labels
from pipeline.config import Settings
from pipeline.normalise import first_number, parse_amount, parse_int, parse_percent, repair_email


def test_a_cells_rule_read_apart_from_a_figure_is_no_digit_of_it() -> None:
    # dev30 a02: the cell's left rule read as '|' before '1,258.6万元' made it 11,258.6.
    assert parse_amount("| 1,258.6万元") == 1258.6
    assert parse_amount("51,912.79 |") == 51912.79
    assert parse_percent("丨 12.5%") == 12.5 and parse_int("| 12家") == 12
    # A bar against the figures is a misread 1, and the lookalikes still join a number.
    assert parse_amount("|258.6") == 1258.6 and first_number("1 O") == 10


def test_an_emails_thin_glyph_is_what_its_neighbours_are() -> None:
    fixed = repair_email("cc141l@foxmail.com")
    assert fixed is not None and (fixed.value, fixed.repaired_from) == ("cc1411@foxmail.com", "cc141l@foxmail.com")
    fixed = repair_email("r1kn504@163.com")
    assert fixed is not None and fixed.value == "rlkn504@163.com"
    # Between a letter and a digit, opening the user part, or in an address with capitals: left as read.
    for address in ("hqfal188@163.com", "l23@qq.com", "Ab1c@qq.com", "bill@qq.com"):
        reading = repair_email(address)
        assert reading is not None and reading.value == address and reading.repaired_from is None


def test_an_at_sign_read_as_a_letter_after_a_misread_one_is_mended_in_doubt() -> None:
    # dev30 a11: 'xqrr41@126.com' read 'xqrr4lo126.com': no address, and INVALID_EMAIL on a misreading.
    reading = repair_email("xqrr4lo126.com")
    assert reading is not None and reading.value == "xqrr4l@126.com" and reading.doubtful
    # After a letter that is no thin glyph after a digit, a missing '@' is not guessed.
    reading = repair_email("abcloqq.com")
    assert reading is not None and reading.value == "abcloqq.com"


def _percents(raws: tuple[str, str, str, str], values: tuple[float, float, float, float]) -> tuple[models.BasicInfo, object]:
    from pipeline.fields.basic_info import FORM_PERCENTS
    from pipeline.fields.common import Sink

    info = models.BasicInfo.model_validate({"finance": [
        {"year": 2024, "net_margin": values[0], "debt_ratio": values[1]},
        {"year": 2025, "net_margin": values[2], "debt_ratio": values[3]}]})
    sink = Sink(Settings())
    for path, raw in zip(FORM_PERCENTS, raws, strict=True):
        sink.raw[path], sink.provenance[path] = raw, models.Provenance(page=2, confidence=0.96)
    return info, sink


def test_a_shares_sign_read_as_digits_beside_shares_that_drop_a_trailing_zero() -> None:
    from pipeline.fields.basic_info import FORM_PERCENTS, PERCENT_SIGN, _percent_signs

    # dev30 a09: '48.2%' read '48.29%' beside '11.2 %', '32%' (32.0 written short) and '12.6%'.
    info, sink = _percents(("11.2 %", "32%", "12.6%", "48.29%"), (11.2, 32.0, 12.6, 48.29))
    _percent_signs(info, sink)  # type: ignore[arg-type]
    assert info.finance[1].debt_ratio == 48.2
    origin = sink.provenance[FORM_PERCENTS[3]]  # type: ignore[attr-defined]
    assert (origin.resolved_by, origin.alternatives) == (PERCENT_SIGN, [48.29])
    # dev31 a08: '3.3%' read '3.390', its sign as two digits.
    info, sink = _percents(("4.7 %", "50%", "3.390", "61.7 %"), (4.7, 50.0, 3.39, 61.7))
    _percent_signs(info, sink)  # type: ignore[arg-type]
    assert info.finance[1].net_margin == 3.3
    # Read with its sign, a decimal more is taken for the sign only where every other share carries one.
    info, sink = _percents(("11.2", "32%", "12.6%", "48.29%"), (11.2, 32.0, 12.6, 48.29))
    _percent_signs(info, sink)  # type: ignore[arg-type]
    assert info.finance[1].debt_ratio == 48.29
    # Three digits more than the form writes are no sign read as digits.
    info, sink = _percents(("4.7 %", "50%", "3.3901", "61.7 %"), (4.7, 50.0, 3.3901, 61.7))
    _percent_signs(info, sink)  # type: ignore[arg-type]
    assert info.finance[1].net_margin == 3.3901


def test_tick_boxes_taken_in_order_must_stand_before_their_labels() -> None:
    # dev30 a02: the ticked box hidden by its tick, a character of 其它's fill-in taken for a box: the
    # boxes found in order shift one option along, and the second stands after 服务商's label.
    options = ("制造业企业", "服务商", "其它")
    located = {"制造业企业": Located("制造业企业", (169.4, 152.6, 225.3, 166.6), ""),
               "服务商": Located("服务商", (236.5, 152.6, 270.1, 166.6), "□"),
               "其它": Located("其它", (281.3, 152.6, 303.6, 166.6), "□")}

    def marks(*lefts: float) -> list[OptionMark]:
        return [OptionMark("", "empty", (x, 154.6, x + 8.2, 162.7)) for x in lefts]

    assert not boxes_fit_labels(marks(159.4, 283.2, 325.0), located, options)
    assert boxes_fit_labels(marks(159.4, 229.0, 273.0), located, options)
    # OCR's guessed character places may be off by a character: a box inside its label's span still fits.
    assert boxes_fit_labels(marks(159.4, 240.0, 273.0), located, options)
    # The box of 服务商 before 制造业企业's label is the first option's.
    assert not boxes_fit_labels(marks(159.4, 150.0, 273.0), located, options)


def test_the_one_box_not_seen_among_empty_boxes_is_covered_by_its_tick() -> None:
    # dev31 a08, dev32 a03: a ☒ at 150–185 dpi no longer reads as an outline; the two empty boxes are seen,
    # and the labels OCR read say which option's box is missing.
    import cv2
    import numpy as np

    from pipeline.checkboxes import _levels, box_hidden_by_its_mark

    scale = 2.0
    grey = np.full((60, 400), 255, np.uint8)
    options = ("制造业企业", "服务商", "其它")
    lefts = {"制造业企业": 20, "服务商": 140, "其它": 240}  # points: each option's box
    for option, left in lefts.items():
        x0, y0 = round(left * scale), round(10 * scale)
        if option == "服务商":
            cv2.line(grey, (x0, y0), (x0 + 16, y0 + 16), 0, 3)  # the cross over the box, its outline lost
            cv2.line(grey, (x0 + 16, y0), (x0, y0 + 16), 0, 3)
        else:
            cv2.rectangle(grey, (x0, y0), (x0 + 16, y0 + 16), 0, 1)
    levels = _levels(grey)
    located = {option: Located(option, (left + 11.0, 8.0, left + 11.0 + 10.0 * len(option), 20.0), "")
               for option, left in lefts.items()}
    found = [OptionMark("", "empty", (left, 10.0, left + 8.0, 18.0)) for option, left in lefts.items() if option != "服务商"]
    reading = box_hidden_by_its_mark(levels, scale, found, located, options)
    assert reading is not None and reading.chosen == "服务商"
    # No ink where the missing box stands: nothing settled here (the marks beside the labels stand).
    blank = np.full_like(grey, 255)
    for option, left in lefts.items():
        if option != "服务商":
            cv2.rectangle(blank, (round(left * scale), 20), (round(left * scale) + 16, 36), 0, 1)
    assert box_hidden_by_its_mark(_levels(blank), scale, found, located, options) is None
    # A box seen ticked beside the unseen one: the unseen one may be ticked too; nothing settled.
    ticked = [found[0], OptionMark("", "ticked", found[1].box, 0.5)]
    assert box_hidden_by_its_mark(levels, scale, ticked, located, options) is None
    # Boxes that do not fit the labels in one way only: not this reading's to settle.
    assert box_hidden_by_its_mark(levels, scale, found[:1], located, options) is None


def test_a_point_inside_a_phone_number_is_a_speck_or_its_hyphen() -> None:
    # dev27 a08: '17222130828' read '172221.30828', taken as '172221' (INVALID_PHONE at 0.98).
    from pipeline.normalise import parse_phone

    assert parse_phone("172221.30828") == "17222130828"
    assert parse_phone("0571.88886666") == "0571-88886666" and parse_phone("0571，88886666") == "0571-88886666"


def test_a_cover_line_whose_label_reads_as_another_fields_is_not_this_fields_value() -> None:
    # dev32 a10: the applicant's line lost under a seal, 推荐单位 read '惟荐单位' on its crop: the line is
    # the recommender's, not an unlabelled applicant's.
    from pipeline.fields.cover import _head_is_other_label

    assert _head_is_other_label("惟荐单位", "applicant") and not _head_is_other_label("惟荐单位", "recommender")
    assert not _head_is_other_label("申报单位", "applicant") and not _head_is_other_label("", "applicant")


def test_an_ocr_credit_code_of_another_length_is_in_doubt() -> None:
    # dev27 a08: '91830603MA/N80E D R' read as a 16-character code, INVALID_CREDIT_CODE an error on trust.
    from models.page import Page, Word
    from pipeline.fields.basic_info import extract_basic_info
    from pipeline.fields.common import READ_IN_DOUBT

    def words(line: float, *texts: tuple[float, str]) -> list[Word]:
        return [Word(text=t, bbox=(x, line, x + 12.0 * len(t), line + 12.0), confidence=0.9, source="ocr")
                for x, t in texts]

    page = Page(number=2, width=595.0, height=842.0, kind="scan", role="basic_info",
                words=[*words(100.0, (60.0, "牵头单位名称"), (160.0, "某某科技有限公司"),
                              (300.0, "统一社会信用代码"), (400.0, "91830603MAN80EDR")),
                       *words(130.0, (60.0, "成立时间"), (160.0, "2015年3月2日"))])
    found = extract_basic_info([page], Settings())
    origin = found.provenance.get("basic_info.lead_unit.credit_code")
    assert found.value.lead_unit.credit_code == "91830603MAN80EDR"
    assert origin is not None and origin.confidence == READ_IN_DOUBT


def test_a_code_failing_its_check_one_lookalike_from_a_valid_one_is_in_doubt() -> None:
    # dev32 a02: '91330603MA96TMR5XN' read '…M496…' (0.94): INVALID_CREDIT_CODE an error on a misreading.
    from pipeline.normalise import lookalike_codes

    assert lookalike_codes("91330603M496TMR5XN") == ["91330603MA96TMR5XN"]
    assert lookalike_codes("91330603MA96TMR5XN") == [] and lookalike_codes("9133") == []


def test_a_cover_number_read_as_no_phone_is_read_again_on_its_line(monkeypatch: object) -> None:
    # dev32 a06: '0513-69101749' read '69101749' (0.99), its area code lost under a seal's edge: INVALID_PHONE
    # on trust. The line's crop reads a phone; it is taken in doubt, the page's reading kept beside it.
    from dataclasses import replace

    import pytest

    from models.page import Page, Word
    from pipeline.fields import cover as cover_module
    from pipeline.fields.common import READ_IN_DOUBT, Sink
    from pipeline.tables.cells import CellText

    class Reader:
        def __init__(self, text: str) -> None:
            self.text = text

        def reread(self, cells: list[CellText], *args: object, **kwargs: object) -> list[CellText]:
            return [replace(cell, text=self.text, reread=True) for cell in cells]

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    line = [Word(text="联系人及联系电话：田雪秀69101749", bbox=(120.0, 555.0, 417.0, 571.0), confidence=0.99, source="ocr")]
    page = Page(number=1, width=595.0, height=842.0, kind="scan", role="cover", words=line)
    for crop, expected in (("联系人及联系电话：田雪秀0513-69101749", "0513-69101749"), ("田雪秀 69101749", "69101749")):
        monkeypatch.setattr(cover_module, "cell_reader", lambda page, engine, text=crop: Reader(text))
        sink = Sink(Settings())
        cover = models.Cover(phone="69101749")
        sink.put("cover.phone", cover_module.FieldValue("69101749", "69101749",
                                                        models.Provenance(page=1, confidence=0.99, source="ocr")))
        cover_module._phone_read_again(cover, page, line, None, sink)
        assert cover.phone == expected
        if expected != "69101749":
            origin = sink.provenance["cover.phone"]
            assert origin.confidence == READ_IN_DOUBT and origin.alternatives == ["69101749"]


def test_the_credit_codes_wrapped_tail_is_no_value_of_its_own() -> None:
    # dev31 a06: '91500112MA8B0DPN' · '4B' in the code's tall cell; '4B' was read as 注册资本 48.0, left blank.
    from pipeline.fields.basic_info import FormReader
    from pipeline.fields.common import Sink
    from pipeline.tables.cells import CellText
    from pipeline.tables.form import Value
    from pipeline.tables.geometry import Cell
    from pipeline.tables.values import FieldValue

    reader = FormReader.__new__(FormReader)
    reader.sink = Sink(Settings())
    measured: list[str] = []
    reader._measure_value_blank = lambda path, key: measured.append(key)  # type: ignore[method-assign]
    reader.sink.put("basic_info.lead_unit.credit_code", FieldValue(
        "91500112MA8B0DPN4B", "91500112MA8B0DPN\n4B", models.Provenance(page=2, bbox=[389.3, 102.7, 519.8, 133.0])))

    def value(text: str, box: tuple[float, float, float, float]) -> Value:
        return Value(text, (CellText(Cell(0, 0, 1, 1, box), box, (), text),), 2)

    lead = models.LeadUnit(registered_capital=48.0, name="重庆某某科技有限公司")
    reader._without_code_tails(lead, {"registered_capital": value("4B", (445.9, 118.1, 461.8, 133.0)),
                                      "name": value("重庆某某科技有限公司", (160.0, 102.7, 300.0, 118.0))})
    assert lead.registered_capital is None and measured == ["registered_capital"]
    assert lead.name == "重庆某某科技有限公司"
    # The same figure outside the code's cell is a value of its own.
    lead = models.LeadUnit(registered_capital=48.0)
    reader._without_code_tails(lead, {"registered_capital": value("4B", (445.9, 140.0, 461.8, 150.0))})
    assert lead.registered_capital == 48.0
