"""pipeline.text: 字 counting, section finding across pages, and the language pass (fast, synthetic pages)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from models import ApplicationRecord, Check, Plan, PlanSection, Source
from models.page import Page, Word
from pipeline.checks import CheckContext
from pipeline.checks import plan as plan_checks
from pipeline.text import count_chars, extract_plan
from pipeline.text.chars import repair_ocr
from pipeline.text.language import content_areas, goal_kinds, goal_years, mentions
from pipeline.text.lines import page_number_of
from pipeline.text.sections import heading_score

# ---------------------------------------------------------------- synthetic pages

WIDTH, HEIGHT = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 90.0, 505.0, 80.0, 770.0
SIZE, PITCH = 10.5, 20.0
PER_LINE = int((RIGHT - LEFT) // SIZE)  # 39 ideographs


@dataclass
class Para:
    """A body paragraph: wrapped at the margin, first line indented two characters."""

    text: str


@dataclass
class Line:
    """A line set on its own at the left margin (a heading)."""

    text: str


def _advance(char: str) -> float:
    return SIZE / 2 if char.isascii() else SIZE


def _words(text: str, x: float, top: float, ocr: bool) -> list[Word]:
    """One word per line from a text layer; from "OCR" one word per character, spaced as chi_sim does."""
    if not ocr:
        width = sum(map(_advance, text))
        return [Word(text, (x, top, x + width, top + SIZE), 1.0, "text")]
    words = []
    for char in text:
        if char != " ":
            words.append(Word(char, (x, top, x + _advance(char) * 0.9, top + SIZE), 0.9, "ocr"))
        x += _advance(char)
    return words


def _wrap(text: str, first_indent: float) -> list[tuple[float, str]]:
    """Break into lines as Word does: anywhere between ideographs, never inside a Latin run."""
    rows: list[tuple[float, str]] = []
    x0, row, used = LEFT + first_indent, "", first_indent
    for token in re.findall(r"[A-Za-z0-9.,%-]+|.", text):
        width = sum(map(_advance, token))
        if used + width > RIGHT - LEFT and row:
            rows.append((x0, row.rstrip()))
            x0, row, used = LEFT, "", 0.0
            if token == " ":
                continue
        row += token
        used += width
    if row:
        rows.append((x0, row))
    return rows


def make_pages(blocks: list[Para | Line], *, ocr: bool = False, header: str = "", footer: str = "dash",
               start: int = 1, roles: dict[int, str] | None = None) -> list[Page]:
    """Lay blocks out on A4 pages as Word would, with an optional running header and page numbers."""
    rows: list[tuple[float, str]] = []
    for block in blocks:
        rows.extend(_wrap(block.text, 2 * SIZE) if isinstance(block, Para) else [(LEFT, block.text)])
    per_page = int((BOTTOM - TOP) // PITCH)
    pages = []
    for index in range(0, len(rows), per_page):
        number = start + index // per_page
        words: list[Word] = []
        if header:
            words += _words(header, LEFT, 40.0, ocr)
        for row, (x, text) in enumerate(rows[index:index + per_page]):
            words += _words(text, x, TOP + row * PITCH, ocr)
        label = {"dash": f"- {number} -", "of": f"第 {number} 页 共 9 页", "plain": str(number)}.get(footer)
        if label:
            words += _words(label, WIDTH / 2 - 15, 800.0, ocr)
        role = (roles or {}).get(number, "plan")
        pages.append(Page(number=number, width=WIDTH, height=HEIGHT, kind="scan" if ocr else "text",
                          words=words, role=role))
    return pages


FOUNDATION = [
    "公司成立于2016年，注册资本5000万元，位于杭州市滨江区，是杭州市重点培育的机械、汽车领域数字化转型服务机构。现有办公"
    "及服务场地3,200平方米，建有数字化转型体验中心和4个行业应用实验室，通过了ISO 9001质量管理体系认证。",
    "近两年累计服务企业120家，签订数字化改造实施服务合同金额3,560.5万元，组织人才培训900人次；产品不良品率下降12.5%，"
    "单位产值能耗降低8%。" * 6,
]
GOALS = [
    "发展定位：立足杭州、辐射浙江省，聚焦机械、汽车行业，打造区域性数字化转型公共服务平台。",
    "服务成效目标：2026年服务企业100家；2027年累计服务企业200家；到2028年累计服务企业350家。",
    "经济效益目标：2026年实现服务收入1200万元，2027年达到2500万元，2028年突破5000万元。",
]
CONTENT = [
    "围绕机械、汽车行业中小企业数字化转型需求，数促中心将聚焦以下重点任务。",
    "（一）开展评估咨询服务",
    "面向中小企业开展免费评估咨询，每年完成诊断企业不少于100家，形成“一企一策”转型路径图。" * 2,
    "（二）推进行业解决方案开发",
    "围绕行业共性痛点开发解决方案，每年新增解决方案不少于5套，形成产品目录并动态更新。" * 2,
    "（三）加强数字化人才培训",
    "联合高校共建实训基地，开发课程30门，每年培训人才不少于800人次。设施联通方面本中心暂不开展。" * 2,
]
GUARANTEE = [
    "一是健全管理机制。成立数促中心建设领导小组，实行主任负责制。二是规范资金管理，设立专项账户，专款专用。",
    "三是争取地方支持。浙江省经济和信息化厅将数促中心纳入全省数字化转型服务体系。",
]


def package(*, ocr: bool = False, header: str = "制造业数字化转型促进中心建设方案", split_heading: bool = False,
            drop: str | None = None) -> list[Page]:
    """Basic-info tail, the four sections, then 三、有关说明; headings as the template prints them."""
    blocks: list[Para | Line] = [Line("资源条件 汇聚投融资机构数量（累计） 12个 15个"), Line("二、建设方案")]
    sections = {"foundation": ("（一）基础条件（1000字）", FOUNDATION), "goals": ("（二）建设目标（500字）", GOALS),
                "content": ("（三）建设内容（2500字）", CONTENT), "guarantee": ("（四）组织保障（500字）", GUARANTEE)}
    for key, (title, paragraphs) in sections.items():
        if key == drop:
            continue
        if key == "content" and split_heading:
            # The heading broken over a page break: pad so "（三）建设" is the last line of a page.
            blocks.append(Line("（三）建设"))
            blocks.append(Line("内容（2500字）"))
        else:
            blocks.append(Line(title))
        blocks.extend(Para(p) if not p.startswith("（") else Line(p) for p in paragraphs)
    blocks += [Line("三、有关说明或证明材料"), Para("1.申报对象法人证书或营业执照副本，2024年和2025年财务报表。")]
    return make_pages(blocks, ocr=ocr, header=header)


def _expected(paragraphs: list[str]) -> int:
    return sum(count_chars(p) for p in paragraphs)


# ---------------------------------------------------------------- counting 字


def test_worked_example() -> None:
    assert count_chars("2025年服务企业120家，合同额3,560.5万元。") == 16


@pytest.mark.parametrize(("text", "expected"), [
    ("", 0),
    ("ISO 9001认证", 4),  # two Latin runs split by a real space, then two ideographs
    ("ISO9001", 1),
    ("产品不良品率下降12.5%。", 10),
    ("2026-2028年", 2),  # "-" inside a number joins it
    ("2026—2028年", 4),  # the full-width dash is a mark of its own
    ("“小快轻准”", 6),
    ("（一）基础条件", 7),
    ("5G专网", 3),
    ("ＡＢ①", 3),  # full-width letters and other symbols count one each, as in Word
    ("a (b)", 2),  # stray half-width punctuation counts nothing
    ("第一行\n第二行", 6),
])
def test_count_mixed_text(text: str, expected: int) -> None:
    assert count_chars(text) == expected


@pytest.mark.parametrize("noisy", [
    "2025 年 服 务 企 业 120 家 ， 合 同 额 3, 560.5 万 元 。",  # chi_sim spacing, number split after its comma
    "2025年服务企业120家，合同额3 ,560.5万元。",
    "2025年服务企业\n120家，合同\n额3,560.5万元。",  # broken lines
])
def test_ocr_spacing_does_not_change_the_count(noisy: str) -> None:
    assert count_chars(noisy) == 16


def test_a_real_space_still_separates_two_numbers() -> None:
    assert count_chars("2024 2025") == 2


def test_repair_ocr_restores_full_width_marks_and_digits() -> None:
    repaired = repair_ocr("2O25 年 服 务 企 业 120 家 , 合 同 额 3, 560.5 万 元 .")
    assert repaired == "2025年服务企业120家，合同额3,560.5万元。"
    assert count_chars(repaired) == 16
    # Half-width punctuation between Latin text stays as it is.
    assert repair_ocr("ISO 9001:2015") == "ISO 9001:2015"
    assert repair_ocr("服务成效目标: 2026年") == "服务成效目标：2026年"
    assert repair_ocr("(1）开展诊断评估服务") == "（1）开展诊断评估服务"
    assert repair_ocr("(2) 推进 行业 方案 设计") == "（2）推进行业方案设计"
    assert repair_ocr("see (a) and (b)") == "see (a) and (b)"


# ---------------------------------------------------------------- headings


@pytest.mark.parametrize(("line", "name", "numeral", "limit"), [
    ("（二）建设目标（500字）", "建设目标", "二", 500),
    ("(二)建设目标(500字)", "建设目标", "二", 500),
    ("(二)建没目标(5OO字)", "建设目标", "二", 500),  # one wrong character, O for 0
    ("二)建设目标(500字)", "建设目标", "二", 500),  # a bracket lost
    ("=)建设目标", "建设目标", "二", 500),  # the numeral misread
    ("建设目标", "建设目标", "二", 500),  # bare heading
    ("（四）组织保障（500字）", "组织保障", "四", 500),
    ("（二）建设目标（500字以内）", "建设目标", "二", 500),
    ("（二）建设目标（限500字）", "建设目标", "二", 500),
    ("二、建设目标（不超过500字）", "建设目标", "二", 500),
    ("第二部分 建设目标", "建设目标", "二", 500),
    ("〈二）建设目标（500字）", "建设目标", "二", 500),
    ("乙二）建设目标（500字）", "建设目标", "二", 500),  # a stray stroke read as a character
    ("（二）建设目标，500字，", "建设目标", "二", 500),  # brackets read as commas
    ("（二）建设目标《500字）", "建设目标", "二", 500),
    ("4（工）建设目标4500字，", "建设目标", "二", 500),  # numeral and a bracket misread
    ("（二，建设目标！300宇，", "建设目标", "二", 500),
    ("(四)组织保障1(500字)", "组织保障", "四", 500),  # a stray stroke before the limit's bracket
    ("（四）组织保摩", "组织保障", "四", 500),  # the name's last character misread, no limit printed
    ("(S）维织保障", "组织保障", "四", 500),  # a phone photo (dev60 a02): numeral and first character misread
    ("（三）建设内客（2500字）", "建设内容", "三", 2500),
])
def test_heading_variants_are_read(line: str, name: str, numeral: str, limit: int) -> None:
    assert heading_score(line.replace("（", "(").replace("）", ")"), name, numeral, limit) is not None


@pytest.mark.parametrize("line", [
    "建设目标是到2028年服务企业350家",  # body text starting with the heading's words
    "(二)建设数据共享服务体系",  # a sub-heading inside 建设内容
    "(二)推进行业解决方案开发",
    "(二)建设目标1(2)服务企业350家",  # a stroke before a bracket that holds no limit
    "(二)建设目标任务",  # a name run on: more than one character past the heading's
])
def test_body_lines_are_not_headings(line: str) -> None:
    assert all(heading_score(line, name, "二", 500) is None for name in ("建设目标", "基础条件", "建设内容"))


@pytest.mark.parametrize(("text", "number"), [
    ("- 3 -", 3), ("—3—", 3), ("一 3 一", 3), ("第 3 页", 3), ("第3页共17页", 3), ("3/17", 3), ("3", 3), ("Page 3 of 17", 3),
    ("建设方案", None), ("2025年", None),
])
def test_page_number_patterns(text: str, number: int | None) -> None:
    assert page_number_of(text) == number


# ---------------------------------------------------------------- sections from pages


def _sections(plan: Plan) -> dict[str, PlanSection]:
    return {section.key: section for section in plan.sections}


def test_sections_from_a_text_layer_package_are_exact() -> None:
    pages = package()
    assert len(pages) >= 2
    plan = extract_plan(pages).value
    found = _sections(plan)
    assert list(found) == ["foundation", "goals", "content", "guarantee"]
    assert found["foundation"].chars == _expected(FOUNDATION)
    assert found["goals"].text == "\n".join(GOALS)
    assert found["content"].text == "\n".join(CONTENT)
    assert found["guarantee"].text == "\n".join(GUARANTEE)  # stops at 三、有关说明
    assert found["goals"].title == "（二）建设目标" and found["goals"].limit == 500


def test_running_header_and_page_numbers_are_not_text() -> None:
    pages = package(header="杭州某某科技有限公司数促中心建设方案")
    found = _sections(extract_plan(pages).value)
    # The foundation section runs over a page break; neither header nor "- 2 -" gets into it.
    assert all("杭州某某科技有限公司数促中心建设方案" in page.text for page in pages)
    assert "数促中心建设方案" not in found["foundation"].text
    assert "- 2 -" not in found["foundation"].text and "-2-" not in found["foundation"].text
    assert found["foundation"].text == "\n".join(FOUNDATION)


def test_heading_split_across_a_page_break() -> None:
    pages = package(split_heading=True)
    plan = extract_plan(pages).value
    found = _sections(plan)
    assert found["content"].text == "\n".join(CONTENT)
    assert found["goals"].text == "\n".join(GOALS)


def test_heading_split_over_the_page_break_itself() -> None:
    # Pad the goals so that "（三）建设" is the last line of page 1 and "内容（2500字）" the first of page 2.
    rows_per_page = int((BOTTOM - TOP) // PITCH)
    blocks: list[Para | Line] = [Line("（二）建设目标（500字）")]
    blocks += [Line(f"{year}年，服务企业{year - 1900}家。") for year in range(2026, 2026 + rows_per_page - 2)]
    blocks += [Line("（三）建设"), Line("内容（2500字）"), Para(CONTENT[2])]
    pages = make_pages(blocks, header="建设方案")
    assert pages[0].text.endswith("（三）建设- 1 -") and "内容（2500字）" in pages[1].text
    found = _sections(extract_plan(pages).value)
    assert found["content"].text == CONTENT[2]
    assert not found["goals"].text.endswith("建设")


def test_ocr_package_counts_like_the_text_layer() -> None:
    clean = _sections(extract_plan(package()).value)
    noisy = _sections(extract_plan(package(ocr=True)).value)
    for key, section in clean.items():
        assert noisy[key].chars == section.chars, key
        assert noisy[key].text == section.text, key


def test_missing_section_is_absent_and_checked_once() -> None:
    plan = extract_plan(package(drop="goals")).value
    assert [s.key for s in plan.sections] == ["foundation", "content", "guarantee"]
    assert plan.goal_years == []
    codes = [(c.code, c.where) for c in section_checks(plan)]
    assert codes == [("SECTION_MISSING", "goals")]  # no GOALS_NOT_BY_YEAR cascade


def test_interleaved_licence_scan_is_skipped() -> None:
    pages = package()
    licence = Page(number=99, width=WIDTH, height=HEIGHT, kind="scan", role="other", words=[
        Word("营业执照", (250, 100, 330, 120)), Word("统一社会信用代码 91330100MA2XXXXXXX", (100, 200, 400, 212)),
        Word("名称 杭州某某科技有限公司", (100, 240, 300, 252)), Word("法定代表人 张三", (100, 280, 250, 292)),
    ])
    pages.insert(1, licence)
    found = _sections(extract_plan(pages).value)
    assert "营业执照" not in found["foundation"].text
    assert found["foundation"].text == "\n".join(FOUNDATION)


def test_a_page_scanned_twice_is_read_once() -> None:
    pages = package()
    pages.insert(2, Page(number=50, width=WIDTH, height=HEIGHT, kind="text", words=list(pages[1].words), role="plan"))
    clean = _sections(extract_plan(package()).value)
    twice = _sections(extract_plan(pages).value)
    assert {k: s.chars for k, s in twice.items()} == {k: s.chars for k, s in clean.items()}


def test_plan_ends_at_the_next_part_without_attachments_list() -> None:
    blocks: list[Para | Line] = [Line("（四）组织保障（500字）"), *map(Para, GUARANTEE)]
    pages = make_pages(blocks)
    pages += make_pages([Line("附1"), Line("真实性承诺（模板）"),
                         Para("本单位自愿申报第二批制造业数字化转型促进中心，提交的所有申报材料均真实、准确、完整。")],
                        start=len(pages) + 1, roles={len(pages) + 1: "commitment"})
    found = _sections(extract_plan(pages).value)
    assert found["guarantee"].text == "\n".join(GUARANTEE)


def test_plan_ends_at_a_consortium_agreement_after_it() -> None:
    """dev39 a12: the 联合体 agreement after the plan (role 'other', the attachments list before it misread) ran
    into 组织保障, 373 characters counted 615. A page reading as the agreement ends the plan as a part does."""
    blocks: list[Para | Line] = [Line("（四）组织保障（500字）"), *map(Para, GUARANTEE)]
    pages = make_pages(blocks)
    agreement = [Line("联合体合作协议"), Line("甲方（牵头单位）：佛山工业互联网创新中心"), Line("成员单位1：佛山市机械工业协会"),
                 Para("为共同申报建设制造业数字化转型促进中心，经各方友好协商，就组建联合体事宜达成如下协议。"),
                 Para("一、甲方为联合体牵头单位，负责数促中心的整体规划、组织协调和申报工作。"),
                 Para("二、本协议自各方盖章之日起生效，有效期至数促中心建设期满。")]
    pages += make_pages(agreement, start=len(pages) + 1, roles={len(pages) + 1: "other"})
    found = _sections(extract_plan(pages).value)
    assert found["guarantee"].text == "\n".join(GUARANTEE)


def test_provenance_points_at_the_heading() -> None:
    result = extract_plan(package())
    where = result.provenance["plan.sections[1].text"]
    assert where.source == "text" and where.page >= 1 and where.bbox is not None


# ---------------------------------------------------------------- content areas


@pytest.mark.parametrize(("area", "phrases"), [
    ("评估咨询", ["评估咨询", "咨询评估", "评估与咨询", "咨询和评估"]),
    ("方案开发", ["方案开发", "开发方案"]),
    ("项目实施", ["项目实施", "实施项目", "项目及实施"]),
    ("供需对接", ["供需对接", "对接供需"]),
    ("设施联通", ["设施联通", "联通设施"]),
    ("数据共享", ["数据共享", "共享数据", "数据与共享"]),
    ("人才培养", ["人才培养", "培养人才"]),
    ("政策宣贯", ["政策宣贯", "宣贯政策"]),
])
def test_each_name_and_its_variants(area: str, phrases: list[str]) -> None:
    for phrase in phrases:
        areas, _ = content_areas(f"数促中心将重点开展{phrase}工作，每年服务企业不少于100家。")
        assert areas == [area], phrase


def test_the_lexicon_holds_no_word_of_the_generator_s_phrasings() -> None:
    """Honest measures: no lexicon word is in the sample generator's own phrasings (samples/prose.py),
    so generated plans test whether an area is recognised, not whether its phrase is known."""
    from pipeline.text.language import AREAS
    from samples.prose import AREA_SENTENCES, AREA_SYNONYMS, AREA_TITLES

    words = {w for lex in AREAS.values() for w in (*lex.names, *lex.activities, *lex.hints)}
    generated = [*(s for synonyms in AREA_SYNONYMS.values() for s in synonyms[1:]),
                 *(t.replace("{syn}", "") for titles in AREA_TITLES.values() for t in titles),
                 *(s.replace("{syn}", "") for sentences in AREA_SENTENCES.values() for s in sentences)]
    assert not [(w, g) for w in words for g in generated if w in g]


SPEC = Path("/work/shared/spec")


@pytest.mark.skipif(not (SPEC / "notice.txt").is_file(), reason="needs the spec (notice.txt, FORM.md)")
def test_every_lexicon_word_is_the_notice_s_or_the_form_s() -> None:
    from pipeline.text.language import AREAS

    wording = (SPEC / "notice.txt").read_text(encoding="utf-8") + (SPEC / "FORM.md").read_text(encoding="utf-8")
    spelt_out = {"供给": "供需", "需求": "供需", "宣传": "宣贯", "贯彻": "宣贯"}  # abbreviations written out
    for area, lexicon in AREAS.items():
        for word in (*lexicon.activities, *lexicon.hints, *lexicon.pairs[0], *lexicon.pairs[1]):
            assert spelt_out.get(word, word) in wording, (area, word)
        assert area in wording


def test_activities_count_only_when_the_area_is_treated() -> None:
    # One passing "数字化改造" in a list is not the 项目实施 area ...
    assert content_areas("形成设备监控、数字化改造、能耗管理等模块化产品。")[0] == []
    # ... but an activity under its own sub-heading, or named twice, is.
    assert content_areas("（四）推进改造实施\n每年完成改造实施服务30项。")[0] == ["项目实施"]
    assert content_areas("组织人才培训活动。每年人才培训500人次。")[0] == ["人才培养"]


def test_areas_described_in_other_words() -> None:
    text = ("1.评估企业现状并提供咨询\n对照国家标准为企业做一次体检，出具报告。\n"
            "2.面向模具行业开发轻量化产品\n定制MES、质量追溯等应用。\n"
            "3.推动上下游数据安全共享\n打破信息孤岛。")
    assert content_areas(text)[0] == ["评估咨询", "方案开发", "数据共享"]


def test_a_numbered_heading_names_its_area_by_one_word_of_the_name() -> None:
    text = ("（一）深化供需撮合服务\n每季度举办行业专场活动。\n（二）推进设施互联\n推动设备联网上云。\n"
            "（三）促进行业数据流通\n建设行业数据资源目录。\n（四）强化政策宣讲与解读\n举办解读会。")
    assert content_areas(text)[0] == ["供需对接", "设施联通", "数据共享", "政策宣贯"]


def test_a_heading_word_counts_only_in_a_numbered_heading_that_points_at_one_area() -> None:
    # The same words in body text, in an unnumbered line, or a heading naming two areas' words: not enough.
    assert content_areas("本中心推进设施互联，促进数据流通。")[0] == []
    assert content_areas("推进设施互联\n推动设备联网上云。")[0] == []
    assert content_areas("1.开展数据资源开发\n建设资源目录。")[0] == []


def test_words_common_outside_an_area_need_more_than_a_mention() -> None:
    text = "推广成熟的行业解决方案，提供整体解决方案。对接成功的企业给予奖励。"
    assert content_areas(text)[0] == []


def test_negated_areas_do_not_count() -> None:
    text = "重点开展评估咨询和方案开发，暂不开展设施联通。数据共享、政策宣贯两方面，本中心不涉及。本中心不断推进人才培养。"
    assert content_areas(text)[0] == ["评估咨询", "方案开发", "人才培养"]


def test_the_templates_list_of_eight_is_not_coverage() -> None:
    guidance = ("结合实际，围绕《制造业数字化转型促进中心建设指引》提出的评估咨询、方案开发、项目实施、供需对接、设施联通、"
                "数据共享、人才培养、政策宣贯等八方面建设内容中的至少三项，提出数促中心的建设重点和建设任务。")
    assert content_areas(guidance)[0] == []
    assert content_areas(guidance + "\n本中心重点开展供需对接和数据共享。")[0] == ["供需对接", "数据共享"]
    quoted = "对照评估咨询、方案开发、项目实施、供需对接、设施联通、数据共享、人才培养、政策宣贯等八方面，重点开展人才培训活动，每年人才培训800人次。"
    assert content_areas(quoted)[0] == ["人才培养"]


# ---------------------------------------------------------------- goals


@pytest.mark.parametrize(("text", "years"), [
    ("2026年，服务企业100家；2027年，服务企业200家；到2028年，服务企业350家。", [2026, 2027, 2028]),
    ("到2028年，累计服务企业350家。", [2028]),
    ("2026—2028年，每年培训人才不少于500人次。", [2026, 2027, 2028]),
    ("2026-2028年每年新增解决方案5套。", [2026, 2027, 2028]),
    ("2026年至2028年，年均服务企业100家。", [2026, 2027, 2028]),
    ("2026、2027、2028年分别服务企业100、200、300家。", [2026, 2027, 2028]),
    ("2026 年服务企业100家，2028年底前建成平台。", [2026, 2028]),
    ("二〇二七年服务企业200家。", [2027]),
    ("展望2030年，建成全国有影响力的服务高地。", [2030]),
    ("近期服务企业100家，中期200家，远期300家。", []),
    ("落实《浙江省数字经济发展规划（2026—2030年）》，2025年已服务企业90家。", []),
    ("“十五五”时期（2026—2030年）是关键期，到2028午累计服务企业350家。", [2028]),  # 年 read as 午
])
def test_goal_year_patterns(text: str, years: list[int]) -> None:
    assert goal_years(text)[0] == years


def test_template_guidance_sets_no_years_or_kinds() -> None:
    guidance = ("提出数促中心的发展定位和主要目标。其中，发展定位应明确服务的主要行业，主要目标应包括服务成效目标、"
                "经济效益目标、社会效益目标三方面，并按年度分解到2028年。")
    assert goal_years(guidance)[0] == []
    assert goal_kinds(guidance) == []
    assert goal_kinds(guidance + "\n服务成效目标：2026年服务企业100家。社会效益目标：培训800人次。") == ["服务成效", "社会效益"]


def test_plan_from_pages_has_areas_years_kinds_and_mentions() -> None:
    plan = extract_plan(package()).value
    assert plan.content_areas == ["评估咨询", "方案开发", "人才培养"]
    assert plan.goal_years == [2026, 2027, 2028]
    assert plan.goal_kinds == ["服务成效", "经济效益"]
    kinds = {(m.kind, m.value) for m in plan.mentions}
    assert ("amount", 3560.5) in kinds and ("organisation", "浙江省经济和信息化厅") in kinds


def test_mentions() -> None:
    text = "依托浙江大学，联合杭州海康威视数字技术股份有限公司，于2025年3月5日签订合同，金额3,560.5万元，总投资1.2亿元，与行业协会合作。"
    found = {(m.kind, m.value) for m in mentions(text, "content")}
    assert found == {
        ("organisation", "浙江大学"), ("organisation", "杭州海康威视数字技术股份有限公司"),
        ("date", "2025-03-05"), ("amount", 3560.5), ("amount", 12000.0),
    }


# ---------------------------------------------------------------- checks


def section_checks(plan: Plan) -> list[Check]:
    """The plan's registered checks (pipeline/checks/plan.py) on a record holding only `plan`."""
    record = ApplicationRecord(source=Source(file="plan.pdf", sha256="", page_count=0), plan=plan)
    context = CheckContext(record=record)
    rules = (plan_checks.section_missing, plan_checks.word_limit_exceeded,
             plan_checks.too_few_content_areas, plan_checks.goals_not_by_year)
    return [check for rule in rules for check in rule(context)]


def _plan(chars: dict[str, int], areas: list[str], years: list[int]) -> Plan:
    limits = {"foundation": 1000, "goals": 500, "content": 2500, "guarantee": 500}
    return Plan(sections=[PlanSection(key=k, title=k, limit=limits[k], chars=n) for k, n in chars.items()],  # type: ignore[arg-type]
                content_areas=areas, goal_years=years)


def test_section_checks() -> None:
    plan = _plan({"foundation": 1001, "goals": 500, "content": 900}, ["评估咨询", "方案开发"], [2026, 2028])
    checks = {(c.code, c.where): c for c in section_checks(plan)}
    assert set(checks) == {("WORD_LIMIT_EXCEEDED", "foundation"), ("SECTION_MISSING", "guarantee"),
                           ("TOO_FEW_CONTENT_AREAS", ""), ("GOALS_NOT_BY_YEAR", "")}
    assert checks[("WORD_LIMIT_EXCEEDED", "foundation")].severity == "warning"
    assert checks[("WORD_LIMIT_EXCEEDED", "foundation")].found == 1001
    assert checks[("SECTION_MISSING", "guarantee")].severity == "error"
    assert checks[("TOO_FEW_CONTENT_AREAS", "")].found == 2
    assert "2027" in checks[("GOALS_NOT_BY_YEAR", "")].message


def test_section_checks_clean_plan() -> None:
    plan = _plan({"foundation": 1000, "goals": 500, "content": 2500, "guarantee": 500},
                 ["评估咨询", "方案开发", "数据共享"], [2026, 2027, 2028, 2030])
    assert section_checks(plan) == []


def test_pages_out_of_order_are_read_in_printed_order() -> None:
    body = [Para(f"第{i}段：" + CONTENT[2]) for i in range(24)]
    pages = make_pages([Line("（三）建设内容（2500字）"), *body, Line("（四）组织保障（500字）"), Para(GUARANTEE[0])])
    assert len(pages) >= 3
    in_order = _sections(extract_plan(pages).value)
    shuffled = [pages[0], pages[2], pages[1], *pages[3:]]
    found = _sections(extract_plan(shuffled).value)
    assert found["content"].text == in_order["content"].text
    assert found["guarantee"].text == GUARANTEE[0]


def test_inline_heading_runs_into_its_body() -> None:
    pages = make_pages([Line("（二）建设目标（500字）"), Para(GOALS[1]),
                        Para("（三）建设内容：" + CONTENT[2]), Para(CONTENT[4]), Line("（四）组织保障"), Para(GUARANTEE[0])])
    found = _sections(extract_plan(pages).value)
    assert found["content"].text == CONTENT[2] + "\n" + CONTENT[4]
    assert found["goals"].text == GOALS[1]


@pytest.mark.parametrize(("heading", "found"), [
    ("（三）建设内容（2500字）", True),  # a curled page's heading read into one line with the body's first
    ("（三）建设内容（2500字以内）", True),
    ("（三）建设内容（500字）", False),  # another section's limit: not this heading as printed
    ("（二）建设内容（2500字）", False),  # another section's numeral
    ("（三）建设内容", False),  # no colon, no limit: a body line may open with the section's words
])
def test_a_heading_with_its_limit_runs_into_its_body_without_a_colon(heading: str, found: bool) -> None:
    pages = make_pages([Line("（二）建设目标（500字）"), Para(GOALS[1]),
                        Para(heading + "围绕" + CONTENT[2]), Para(CONTENT[4]), Line("（四）组织保障"), Para(GUARANTEE[0])])
    sections = _sections(extract_plan(pages).value)
    assert ("content" in sections) is found
    if found:
        assert sections["content"].text == "围绕" + CONTENT[2] + "\n" + CONTENT[4]
        assert sections["goals"].text == GOALS[1]


def test_a_heading_with_nothing_under_it_is_no_section() -> None:
    pages = make_pages([Line("（三）建设内容（2500字）"), Line("（四）组织保障（500字）"), Para(GUARANTEE[0])])
    assert [s.key for s in extract_plan(pages).value.sections] == ["guarantee"]


def test_no_readable_pages_give_no_sections() -> None:
    unreadable = Page(number=1, width=0.0, height=0.0, kind="scan", error="page unreadable")
    assert extract_plan([]).value.sections == []
    assert extract_plan([unreadable]).value == Plan()


@pytest.mark.parametrize(("line", "key"), [
    ("（一）美瑞务件（1000字）", "foundation"),  # every word misread: the numeral, the name's length, the limit
    ("（二）美瑞务件（1000字）", None),  # another section's numeral with foundation's limit
    ("（一）美瑞务件", None),  # no limit to tell it by
    ("（一）基瑞务件", "foundation"),  # no limit, but half the name and nothing else after its own numeral
    ("（二）基瑞务件", None),  # another section's numeral
    ("（一）基瑞务件发展", None),  # longer than the name
    ("（一）做深企业现状摸底（1000字）", None),  # a sub-heading's length, not the name's
])
def test_a_heading_misread_in_every_word_is_known_by_its_shape(line: str, key: str | None) -> None:
    from pipeline.text.chars import compact
    from pipeline.text.sections import line_headings

    found = [name for name, _ in line_headings(compact(line))]
    assert (found[:1] or [None])[0] == key


@pytest.mark.parametrize(("line", "shaped"), [
    ("(-)美瑞务件", True),  # numeral read as its look-alike, every word misread
    ("（一）美瑞务件（1000字）", True),
    ("(一)基础", False),  # too short for the name
    ("(一)加快行业应用打磨步伐", False),  # a sub-heading's length
    ("一是健全管理机制", False),  # no bracket
    ("(二)美瑞务件", False),  # another section's numeral
])
def test_a_line_shaped_like_the_foundation_heading(line: str, shaped: bool) -> None:
    from pipeline.text.chars import compact
    from pipeline.text.sections import SECTION_BY_KEY, heading_shaped

    assert heading_shaped(compact(line), SECTION_BY_KEY["foundation"]) is shaped


def test_a_heading_misread_past_knowing_leaves_a_doubt_in_its_place_and_a_true_gap_none() -> None:
    rest: list[Para | Line] = [Line("（二）建设目标（500字）"), *map(Para, GOALS), Line("（三）建设内容（2500字）"),
                               Para("建设数据共享平台，汇聚行业数据集。"), Line("（四）组织保障（500字）"),
                               Para("成立数促中心建设领导小组。")]
    misread = extract_plan(make_pages([Line("二、建设方案"), Line("(-)美瑞务件"), *map(Para, FOUNDATION), *rest],
                                      ocr=True)).value
    assert [s.key for s in misread.sections] == ["goals", "content", "guarantee"]
    assert misread.heading_doubts == {"foundation": "（-）美瑞务件"}  # as the line reads, brackets normalised
    gap = extract_plan(make_pages([Line("二、建设方案"), *rest], ocr=True)).value
    assert [s.key for s in gap.sections] == ["goals", "content", "guarantee"] and gap.heading_doubts == {}


def test_a_heading_read_with_characters_lost_and_a_mark_in_place_has_its_shape() -> None:
    # dev47 a03 (phone photo): （三）建设内容 read '（三）建内8', 设 lost and 容 read as a mark.
    from pipeline.text.chars import compact
    from pipeline.text.sections import SECTION_BY_KEY, heading_shaped

    content = SECTION_BY_KEY["content"]
    assert heading_shaped(compact("（三）建内8"), content)
    assert not heading_shaped(compact("（三）平台8"), content)  # other words, as short: no heading's length
    assert not heading_shaped(compact("（三）建8"), content)  # one character of four read
    assert not heading_shaped(compact("(一)基础"), SECTION_BY_KEY["foundation"])  # no mark in a lost one's place


def _garbled(length: int) -> str:
    """Chinese characters in no dictionary order: a stretch of a phone photo the reader garbled."""
    return "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(length))


def _plan_with_a_stretch(foundation: list[str], stretch: str, *, unsure: bool) -> Plan:
    """（一）基础条件 with `stretch` after its paragraphs (read at 0.6 where `unsure`), then （四）组织保障."""
    blocks: list[Para | Line] = [Line("二、建设方案"), Line("（一）基础条件（1000字）"), *map(Para, foundation),
                                 Para(stretch), Line("（四）组织保障（500字）"), Para("成立数促中心建设领导小组。")]
    pages = make_pages(blocks, ocr=True)
    own = set(stretch) - set("".join(block.text for block in blocks if block.text != stretch))
    if unsure:
        for page in pages:
            page.words = [replace(word, confidence=0.6) if word.text in own else word for word in page.words]
    return extract_plan(pages).value


def test_a_section_not_found_where_the_section_before_runs_over_holding_unread_lines_is_in_doubt() -> None:
    # dev47 a03 (phone photo): 建设目标's heading and lines read garbled at 0.52–0.64 into 基础条件, which ran to
    # 2,709 characters (limit 1,000): two false SECTION_MISSING errors.
    garbled = _plan_with_a_stretch(FOUNDATION * 2, _garbled(150), unsure=True)
    assert [s.key for s in garbled.sections] == ["foundation", "guarantee"]
    assert set(garbled.heading_unread) == {"goals", "content"} and "未能识读" in garbled.heading_unread["goals"]
    # Lines read as words (a section left out, the one before long) or a section within its limit: no doubt.
    assert _plan_with_a_stretch(FOUNDATION * 2, "".join(GOALS), unsure=False).heading_unread == {}
    assert _plan_with_a_stretch(FOUNDATION, _garbled(150), unsure=True).heading_unread == {}
