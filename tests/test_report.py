"""The reviewer site: built from records in an output folder, checked as HTML and in headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from PIL import Image, ImageDraw
from typer.testing import CliRunner

import models
from dtpc.cli import app
from pipeline.report import build_site, load_batch_checks, load_records, write_report

CORPUS = Path(__file__).resolve().parents[1] / "samples" / "corpus"
TRUTH_ONLY = {"expected_checks", "page_text", "generator"}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

MISMATCH = "附2表2 2025年合同金额合计 3,410.5 万元，基本情况表填报 3,560.5 万元"
EMAIL = "负责人邮箱格式不正确"
QUOTA = "浙江省推荐联合体 2 家，超过 1 家上限"
UNREADABLE = "文件无法打开：不是有效的 PDF"


def truth_record(name: str) -> models.ApplicationRecord | models.RecommendationRecord | models.UnreadableRecord:
    """A sample's ground truth as an output record (the truth-only keys dropped)."""
    truth = models.parse_truth((CORPUS / f"{name}.truth.json").read_text(encoding="utf-8"))
    return models.parse_record(truth.model_dump(mode="json", exclude=TRUTH_ONLY))


def write_png(path: Path, label_colour: tuple[int, int, int] = (200, 0, 0)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (240, 90), (250, 247, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 220, 70), outline=label_colour, width=3)
    draw.line((30, 45, 210, 45), fill=(30, 30, 30), width=2)
    image.save(path)


def write_record(out: Path, record: models.ApplicationRecord | models.RecommendationRecord | models.UnreadableRecord,
                 folder: Path | None = None) -> Path:
    target = (folder or out) / f"{record.source.file}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(models.record_json(record), encoding="utf-8")
    return target


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder as a batch leaves it: records, their crops, a batch summary and a stray JSON."""
    folder = tmp_path / "out"
    application = truth_record("a01-scan")
    assert isinstance(application, models.ApplicationRecord)
    crop = "a01-scan.pdf.evidence/check000-contract_total_mismatch-0.png"
    write_png(folder / crop)
    application.checks = [
        models.Check(code="INVALID_EMAIL", severity="warning", where="basic_info.head.email", message=EMAIL,
                     evidence=[models.Evidence(page=2)]),
        models.Check(code="CONTRACT_TOTAL_MISMATCH", severity="error", where="2025", message=MISMATCH,
                     expected=3560.5, found=3410.5,
                     evidence=[models.Evidence(page=3, bbox=[10, 10, 50, 30], image=crop)]),
    ]
    application.cover.phone = None
    write_record(folder, application)
    write_record(folder, truth_record("r11-digital"))
    unreadable = models.UnreadableRecord(
        source=models.Source(file="notes.pdf", sha256="0" * 64, page_count=0),
        checks=[models.Check(code="INPUT_UNREADABLE", severity="error", message=UNREADABLE)])
    write_record(folder, unreadable)
    (folder / "batch_summary.json").write_text(json.dumps({"files": 3, "batch_checks": [
        {"code": "CONSORTIUM_QUOTA_EXCEEDED", "severity": "error", "where": "浙江省", "message": QUOTA,
         "expected": 1, "found": 2, "evidence": []}]}, ensure_ascii=False), encoding="utf-8")
    (folder / "settings.json").write_text('{"engine": "rapidocr"}', encoding="utf-8")
    return folder


def page_of(index: Path, file: str) -> Path:
    match = re.search(rf'<a href="([^"]+)">{re.escape(file)}</a>', index.read_text(encoding="utf-8"))
    assert match, f"no link to {file} in the index"
    return index.parent / unquote(match.group(1))


# ---------------------------------------------------------------- the HTML


def test_site_has_an_index_row_and_a_page_per_record(out: Path) -> None:
    index = build_site(out)
    assert index == out / "report" / "index.html"
    html = index.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html and "Noto Sans CJK SC" in html
    assert html.count('<tr data-doctype=') == 3
    for file in ("a01-scan.pdf", "r11-digital.pdf", "notes.pdf"):
        assert page_of(index, file).is_file()
    assert "settings.json" not in html  # not a record, skipped
    assert QUOTA in html  # batch-level flags on the index
    assert 'data-sort="num"' in html and 'data-sort="text"' in html and "data-value=" in html
    assert 'id="filter-text"' in html and 'id="filter-doctype"' in html and 'id="filter-severity"' in html
    assert "<script src" not in html and "http://" not in html and "https://" not in html  # no CDN


def test_submission_page_lists_flags_by_severity_then_the_extracted_data(out: Path) -> None:
    index = build_site(out)
    html = page_of(index, "a01-scan.pdf").read_text(encoding="utf-8")
    assert html.index(MISMATCH) < html.index(EMAIL) < html.index('id="form"') < html.index('id="tables"')
    assert "应为 <b>3,560.5</b>，实际 <b>3,410.5</b>" in html
    for heading in ("封面", "牵头单位", "联合体成员单位", "经营情况", "附2表2 服务合同", "附3表3 投融资", "建设方案",
                    "建设内容覆盖", "应盖章位置", "识别到的印章", "页面"):
        assert heading in html, heading
    assert html.count('data-table="') >= 12
    record = truth_record("a01-scan")
    assert isinstance(record, models.ApplicationRecord)
    assert record.appendix.contracts[0].contract_no
    assert record.appendix.contracts[0].contract_no in html


def test_null_values_show_a_visible_marker(out: Path) -> None:
    html = page_of(build_site(out), "a01-scan.pdf").read_text(encoding="utf-8")
    row = re.search(r"<th>联系电话</th><td[^>]*>(.*?)</td>", html)
    assert row and '<span class="null">未读出</span>' in row.group(1)


def test_evidence_crops_are_linked_relative_to_the_page(out: Path) -> None:
    page = page_of(build_site(out), "a01-scan.pdf")
    sources = re.findall(r'<img src="([^"]+)"', page.read_text(encoding="utf-8"))
    assert "../a01-scan.pdf.evidence/check000-contract_total_mismatch-0.png" in sources
    for source in sources:
        assert not source.startswith(("/", "file:")), source
        assert (page.parent / unquote(source)).resolve().is_file(), source


def test_hostile_text_is_escaped(out: Path) -> None:
    record = truth_record("a01-scan")
    assert isinstance(record, models.ApplicationRecord)
    record.source.file = 'x"><script>alert(1)</script>.pdf'
    record.basic_info.lead_unit.name = "<script>alert('unit')</script>有限公司"
    record.cover.applicant = None
    record.checks = [models.Check(code="FIELD_MISSING", severity="error", where="<b>where</b>",
                                  message='<img src=x onerror="alert(2)">缺少字段')]
    write_record(out, record, out / "nested")
    index = build_site(out)
    pages = [index, *index.parent.glob("*.html")]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>where" not in html, page.name
    html = index.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;unit&#39;)&lt;/script&gt;有限公司" in html
    hostile_page = page_of(index, "x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;.pdf")
    assert re.fullmatch(r"[0-9A-Za-z._-]+\.html", hostile_page.name)
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;缺少字段" in hostile_page.read_text(encoding="utf-8")


def test_recommendation_and_unreadable_pages(out: Path) -> None:
    index = build_site(out)
    html = page_of(index, "r11-digital.pdf").read_text(encoding="utf-8")
    record = truth_record("r11-digital")
    assert isinstance(record, models.RecommendationRecord)
    assert "推荐名单" in html and record.recommendation.province and record.recommendation.province in html
    for item in record.recommendation.recommended:
        assert item.name and item.name in html
    html = page_of(index, "notes.pdf").read_text(encoding="utf-8")
    assert "无法读取" in html and UNREADABLE in html and 'id="form"' not in html


def test_batch_checks_come_from_batch_json_first(out: Path) -> None:
    assert [c.code for c in load_batch_checks(out)] == ["CONSORTIUM_QUOTA_EXCEEDED"]
    (out / "batch.json").write_text(json.dumps([{"code": "DUPLICATE_APPLICANT", "severity": "error"}, {"bad": 1}]),
                                    encoding="utf-8")
    assert [c.code for c in load_batch_checks(out)] == ["DUPLICATE_APPLICANT"]
    assert {path.name for path, _ in load_records(out)} == {"a01-scan.pdf.json", "r11-digital.pdf.json",
                                                             "notes.pdf.json"}


def test_write_report_builds_the_site_from_records_and_their_files(out: Path) -> None:
    batch = [models.Check(code="RECOMMENDED_NOT_FOUND", severity="warning", message="推荐对象未找到")]
    index = write_report(load_records(out), batch, out)
    assert index == out / "report" / "index.html"
    html = index.read_text(encoding="utf-8")
    assert "推荐对象未找到" in html and "INPUT_UNREADABLE" in html
    assert "../a01-scan.pdf.evidence/" in page_of(index, "a01-scan.pdf").read_text(encoding="utf-8")


def test_stale_pages_are_removed(out: Path) -> None:
    index = build_site(out)
    (out / "notes.pdf.json").unlink()
    build_site(out)
    assert not (index.parent / "notes.pdf.html").exists() and index.is_file()


def test_report_command_prints_the_index(out: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out / "report" / "index.html")
    assert CliRunner().invoke(app, ["report", str(out / "missing")]).exit_code == 1


# ---------------------------------------------------------------- in a browser


def _need_browser() -> None:
    """Skip when there is no browser, unless CI says it must be there (CI_REQUIRE_BROWSER=1)."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).is_file()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if missing:
        reason = f"headless browser test needs {', '.join(missing)} (Debian: chromium chromium-driver)"
        if os.environ.get("CI_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def browser() -> Iterator[Any]:
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1600", "--lang=zh-CN"):
        options.add_argument(argument)
    # An explicit driver and browser, so selenium-manager never looks anything up or downloads.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_reviewer_follows_a_link_and_sees_the_flags(out: Path, tmp_path: Path, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    index = build_site(out)
    browser.get(index.as_uri())
    assert browser.execute_script("return document.characterSet") == "UTF-8"
    rows = browser.find_elements(By.CSS_SELECTOR, "#submissions tbody tr")
    assert len(rows) == 3
    assert "台州安兴工业技术集团有限公司" in browser.find_element(By.ID, "submissions").text

    def visible_files() -> list[str]:
        return [row.find_element(By.TAG_NAME, "a").text for row in rows if row.is_displayed()]

    # filtering and sorting run in the page, without a server
    box = browser.find_element(By.ID, "filter-text")
    box.send_keys("r11")
    assert visible_files() == ["r11-digital.pdf"]
    box.clear()
    box.send_keys(" ")  # an input event after clear()
    assert len(visible_files()) == 3
    errors_header = browser.find_element(By.XPATH, "//table[@id='submissions']//th[text()='错误']")
    errors_header.click()
    errors_header.click()
    assert errors_header.get_attribute("aria-sort") == "descending"
    first = browser.find_element(By.CSS_SELECTOR, "#submissions tbody tr")
    assert first.find_element(By.TAG_NAME, "a").text in {"a01-scan.pdf", "r11-digital.pdf", "notes.pdf"}
    counts = [int(row.find_elements(By.TAG_NAME, "td")[4].text)
              for row in browser.find_elements(By.CSS_SELECTOR, "#submissions tbody tr")]
    assert counts == sorted(counts, reverse=True)

    browser.find_element(By.LINK_TEXT, "a01-scan.pdf").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("a01-scan.pdf.html"))
    flags = browser.find_elements(By.CSS_SELECTOR, "#flags .flag")
    assert [flag.get_attribute("data-severity") for flag in flags] == ["error", "warning"]
    for flag, message in zip(flags, (MISMATCH, EMAIL), strict=True):
        shown = flag.find_element(By.CSS_SELECTOR, ".message")
        assert shown.is_displayed() and shown.text == message
        assert shown.size["height"] > 0 and shown.location["y"] < 1600  # on the first screen
    loaded = browser.execute_script(
        "return Array.from(document.querySelectorAll('#flags img')).map(i => i.complete && i.naturalWidth)")
    assert loaded == [240]  # the crop, found through its relative path
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "发现的问题" in body and "基本信息" in body

    shot = tmp_path / "a01.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(shot) as image:
        colours = image.convert("RGB").resize((128, 160)).getcolors(maxcolors=128 * 160)
    assert colours is not None and len(colours) > 20  # not a blank page
