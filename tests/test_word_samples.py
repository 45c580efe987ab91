"""The second sample producer: the Word template, page roles from the text layer, capture effects, and
(where LibreOffice is installed) one package end to end with a truth that validates."""

from __future__ import annotations

import dataclasses
import os
import random
from pathlib import Path

import cv2
import numpy as np
import pytest

from models import RecommendationTruth, parse_truth
from samples import capture, generate
from samples import content as c
from samples.word import template, textlayer
from samples.word.convert import soffice
from samples.word.template import SectionStart


@pytest.fixture(scope="module")
def batch() -> dict[int, object]:
    return generate.build(7, 5)[1]


def _app(batch: dict[int, object]) -> c.Application:
    app = next(d for d in batch.values() if isinstance(d, c.Application) and d.members and not d.missing_roles)
    assert isinstance(app, c.Application)
    return app


def _all_text(built: template.BuiltDocx) -> str:
    doc = built.document
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_application_docx_has_the_forms_parts_in_order(batch: dict[int, object]) -> None:
    app = _app(batch)
    built = template.application_docx(app, random.Random(3), handwritten_ticks=False)
    roles = [s.role for s in built.sections]
    assert roles[:3] == ["cover", "basic_info", "plan"]
    assert roles[-6:] == ["appendix2_table1", "appendix2_table2", "appendix2_table3",
                          "appendix3_table1", "appendix3_table2", "appendix3_table3"]
    assert "commitment" in roles and ("other" in roles) == bool(app.agreement_page or app.other_pages)
    # The basic-info form plus the six appendix tables (and a balance sheet when there is one).
    assert len(built.document.tables) == 7 + ("finance" in app.other_pages)
    text = _all_text(built)
    assert app.lead.credit_code in text and all(m.name in text for m in app.members)
    # Contracts table: one row per contract under the header.
    contracts = built.document.tables[-5]
    assert len(contracts.rows) == len(app.contracts) + 1


def test_checkboxes_are_word_glyphs_and_numbers_can_carry_thousands_separators(batch: dict[int, object]) -> None:
    app = _app(batch)
    seen_thousands = False
    for seed in range(12):
        built = template.application_docx(app, random.Random(seed), handwritten_ticks=False)
        form = "\n".join(cell.text for row in built.document.tables[0].rows for cell in row.cells)
        on, off = template.WORD_CHECKBOXES[built.checkbox]
        assert f"{on}服务商" in form or f"{on}制造业企业" in form or f"{on}其它" in form
        assert off in form
        revenue = app.finance[0].revenue
        assert revenue is not None
        if built.style.thousands and revenue >= 1000:
            assert f"{revenue:,.2f}".split(".")[0] in form
            seen_thousands = True
    assert seen_thousands


def _page(number: int, *lines: str) -> textlayer.PdfPage:
    return textlayer.PdfPage(number, 595.0, 842.0, "\n".join(lines),
                             [textlayer.Line(t, [(10.0 * i, 10.0, 10.0 * i + 9, 20.0) for i in range(len(t))]) for t in lines])


def test_page_roles_follow_the_section_starts() -> None:
    sections = [SectionStart("cover", "附件1"), SectionStart("plan", "二、建设方案"), SectionStart("commitment", "附1")]
    pages = [_page(1, "附件1", "制造业数字化转型促进中心"), _page(2, "二、建设方案", "3.真实性承诺（见附1）。"),
             _page(3, "正文继续"), _page(4, "附1", "真实性承诺")]
    assert textlayer.assign_roles(pages, sections) == ["cover", "plan", "plan", "commitment"]
    with pytest.raises(textlayer.RoleError):
        textlayer.assign_roles(pages[:3], sections)
    hit = pages[1].first("真实性承诺")
    assert hit is not None and hit[0] == pytest.approx(20.0)


def _test_page(h: int = 420, w: int = 300) -> np.ndarray:
    page = np.ones((h, w, 3), np.float32)
    page[50:60, 40:260] = 0.0
    page[200:300, 140:150] = 0.0
    return page


def test_scanner_profiles_are_deterministic_and_distinct() -> None:
    page = _test_page()
    for profile in capture.SCANNERS.values():
        a, skew_a = capture.scanner(page, profile, np.random.default_rng(7))
        b, skew_b = capture.scanner(page, profile, np.random.default_rng(7))
        assert skew_a == skew_b and np.array_equal(np.asarray(a), np.asarray(b))
        assert a.mode == {"colour": "RGB", "grey": "L", "dither": "1", "fax": "1"}[profile.mode]
    assert len({(p.dpi, p.mode) for p in capture.SCANNERS.values()}) >= 5


def test_drawn_profiles_vary_and_are_deterministic() -> None:
    profiles = [capture.draw_scanner(np.random.default_rng(seed)) for seed in range(60)]
    assert capture.draw_scanner(np.random.default_rng(3)) == profiles[3]
    assert {p.mode for p in profiles} == {"colour", "grey", "dither", "fax"}
    assert {p.dpi for p in profiles} == set(capture.DRAWN_DPIS)
    assert any(p.streaks for p in profiles) and any(p.bleed for p in profiles) and any(p.shading for p in profiles)
    assert any(p.curl for p in profiles) and not any(p.curl for p in profiles if p.mode in ("dither", "fax"))
    assert all(p.quality == 0 for p in profiles if p.mode in ("dither", "fax"))
    assert len({round(p.blur, 3) for p in profiles}) > 50  # drawn, not picked from a few
    phones = [capture.draw_phone(np.random.default_rng(seed)) for seed in range(20)]
    assert len({p.long_side for p in phones}) > 10 and min(p.fill for p in phones) >= 0.6


def test_scanner_faults_mark_the_page_where_they_should() -> None:
    page = np.ones((400, 300, 3), np.float32)
    page[100:110, 20:120] = 0.0  # a bar of print left of the middle
    rng = np.random.default_rng(5)
    through = capture.show_through(page, 0.1, rng)
    mirrored = through[90:120, 175:285].min()  # the bar's mirror image, give or take the offset
    assert 0.85 < mirrored < 0.99 and through[300:, :].min() > 0.99  # faint, and only where the back is printed
    streaked = capture.glass_streaks(page, 2, np.random.default_rng(1))
    dark_columns = np.flatnonzero((streaked[:, :, 0] < 0.95).all(axis=0))
    assert 1 <= len(dark_columns) <= 6  # whole-height lines, a few pixels wide
    shaded = capture.lamp_shading(np.ones_like(page), 0.15, np.random.default_rng(2))
    assert shaded.min() == pytest.approx(0.85, abs=1e-3) and shaded.max() == pytest.approx(1.0)
    plain = capture.SCANNERS["adf-grey-240"]
    a, _ = capture.scanner(page, plain, np.random.default_rng(9))
    faulty = dataclasses.replace(plain, streaks=3, bleed=0.1, shading=0.1)
    b, _ = capture.scanner(page, faulty, np.random.default_rng(9))
    assert not np.array_equal(np.asarray(a), np.asarray(b))


def test_curl_moves_only_the_spine_zone_and_darkens_it() -> None:
    width = 1000
    xs = np.arange(width, dtype=np.float64)
    src = capture.curl_source_x(xs, width, 1.0)
    zone = int(capture.CURL_ZONE * width)
    assert np.allclose(src[zone:], xs[zone:]) and src[0] == 0.0
    assert np.all(np.diff(src) > 0)  # no column shown twice: the warp is monotonic
    assert np.max(src[:zone] - xs[:zone]) > 5  # and it does move the zone
    page = np.ones((300, width, 3), np.float32)
    curled = capture.curl(page, 1.0, np.random.default_rng(1), spine="left")
    assert curled[:, :10].mean() < 0.7 < curled[:, -100:].mean()


def test_phone_homography_puts_the_page_corners_where_it_says() -> None:
    rng = np.random.default_rng(11)
    profile = capture.PhoneProfile(long_side=800, blur=0.5, noise=0.0)
    page = np.ones((280, 200, 3), np.float32)
    page[:12, :12] = 0.0  # a black mark in the top-left corner
    photo, hom = capture.phone_photo(page, profile, rng)
    assert photo.size in ((600, 800), (800, 600))
    again, _ = capture.phone_photo(page, profile, np.random.default_rng(11))
    assert np.array_equal(np.asarray(photo), np.asarray(again))
    corners = np.array([[[0, 0], [200, 0], [200, 280], [0, 280]]], dtype=np.float32)
    mapped = cv2.perspectiveTransform(corners, hom)[0]
    # The page sits inside the frame and the mark shows up where the homography sends it.
    assert np.all(mapped >= 0) and np.all(mapped[:, 0] <= photo.size[0]) and np.all(mapped[:, 1] <= photo.size[1])
    x, y = cv2.perspectiveTransform(np.array([[[6, 6]]], dtype=np.float32), hom)[0, 0]
    grey = np.asarray(photo.convert("L"), dtype=np.float32)
    centre = np.asarray([[cv2.perspectiveTransform(np.array([[[100, 140]]], dtype=np.float32), hom)[0, 0]]])[0, 0]
    assert grey[round(y), round(x)] < 0.5 * grey[round(centre[1]), round(centre[0])]


def test_recommendation_end_to_end_through_libreoffice(batch: dict[int, object], tmp_path: Path) -> None:
    if soffice() is None:
        message = "LibreOffice (libreoffice-writer-nogui) is not installed"
        if os.environ.get("CI_REQUIRE_SOFFICE") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from samples.word.package import Capture, produce

    rec = next(d for d in batch.values() if isinstance(d, c.Recommendation))
    assert isinstance(rec, c.Recommendation)
    rec.unsealed_slots.clear()
    name, payload, placed, facts = produce(rec, Capture("mfp-grey-150"), 5, 99, "r99-word-scan")
    assert name.endswith(".pdf") and payload.startswith(b"%PDF")
    assert [p.role for p in placed] == ["recommendation_letter", "recommendation_table"]
    assert all(p.kind == "scan" for p in placed) and facts["scanner"] == "mfp-grey-150"
    path = tmp_path / name
    record = generate.truth_record(rec, path, payload, placed, {"kind": "word-scan", **facts})
    truth = parse_truth(record.model_dump_json())
    assert isinstance(truth, RecommendationTruth)
    assert truth.seal_slots.recommendation_letter and truth.seal_slots.recommendation_table
    assert rec.entries[0].name in truth.page_text[0].replace("\n", "")
    assert all(s.text == rec.department for s in truth.seals)


def test_mixed_files_keep_text_pages_and_take_scans_in_order() -> None:
    import io

    import pdfplumber
    from reportlab.pdfgen.canvas import Canvas

    from samples.word.package import _splice

    def pdf(labels: list[str]) -> bytes:
        buf = io.BytesIO()
        canvas = Canvas(buf)
        for label in labels:
            canvas.drawString(72, 720, label)
            canvas.showPage()
        canvas.save()
        return buf.getvalue()

    out = _splice(pdf(["text one", "text two", "text three"]), pdf(["scan A", "scan B"]), [True, False, True])
    with pdfplumber.open(io.BytesIO(out)) as doc:
        assert [p.extract_text() for p in doc.pages] == ["scan A", "text two", "scan B"]


def test_cli_names_the_mixes_it_knows(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dtpc.cli import app

    result = CliRunner().invoke(app, ["samples", "--producer", "mix", "--mix", "nope", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "dev" in result.output and "holdout" in result.output
    assert not any(tmp_path.iterdir())
