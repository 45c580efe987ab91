"""Round 20's flags (flags20): parts not found beside pages whose role is in doubt; recommended names read in doubt."""

from __future__ import annotations

import models
from pipeline.checks import run_batch_checks
from pipeline.checks.pages import doubtful_pages, part_in_doubt
from tests.test_checks import clean_application, codes, recommendation, run

QUAD = [[10.0, 10.0], [900.0, 12.0], [905.0, 1300.0], [8.0, 1290.0]]


def _photographed(record: models.ApplicationRecord) -> None:
    for page in record.source.pages:
        page.flattening = models.PageFlattening(quad=QUAD)


def _table1_read_as_commitment() -> models.ApplicationRecord:
    """dev36 a01: 附2表1's photographed page read as a second 真实性承诺 page, its seal slot so unfilled."""
    record = clean_application()
    page = next(p for p in record.source.pages if p.role == "appendix2_table1")
    page.role = "commitment"
    record.seal_slots.appendix2_table1 = False
    record.appendix.products = []
    return record


def test_a_part_whose_place_holds_a_second_page_of_a_one_page_part_is_a_doubt_not_missing() -> None:
    record = _table1_read_as_commitment()
    found = run(record)
    keys = {(c.code, c.where) for c in found}
    assert ("ATTACHMENT_MISSING", "appendix2_table1") not in keys
    assert ("SEAL_MISSING", "appendix2_table1") not in keys  # one cause, one finding
    doubt = next(c for c in found if c.code == "LOW_CONFIDENCE" and c.where == "appendix2_table1")
    assert doubt.severity != "error" and "第 5 页" in doubt.message


def test_a_true_missing_part_beside_the_doubtful_page_is_still_an_error() -> None:
    # The same misread page, and 附3表2 left out: its place (between 附3表1 and 附3表3) holds no doubtful page.
    record = _table1_read_as_commitment()
    record.source.pages = [p for p in record.source.pages if p.role != "appendix3_table2"]
    record.appendix.providers = []
    record.seal_slots.appendix3_table2 = False
    found = run(record)
    missing = next(c for c in found if (c.code, c.where) == ("ATTACHMENT_MISSING", "appendix3_table2"))
    assert missing.severity == "error"
    assert ("SEAL_MISSING", "appendix3_table2") in {(c.code, c.where) for c in found}


def test_a_missing_part_with_every_page_recognised_is_an_error() -> None:
    record = clean_application()
    record.source.pages = [p for p in record.source.pages if p.role != "appendix2_table1"]
    record.seal_slots.appendix2_table1 = False
    assert part_in_doubt(record, "appendix2_table1") == []
    assert {("ATTACHMENT_MISSING", "appendix2_table1"), ("SEAL_MISSING", "appendix2_table1")} <= codes(record)


def _plan_end_read_blank(photographed: bool) -> models.ApplicationRecord:
    """dev36 a09: the plan's last page, photographed, where no paper was found: read as a blank page."""
    record = clean_application()
    record.plan.sections = [s for s in record.plan.sections if s.key != "guarantee"]
    if photographed:
        _photographed(record)
    pages = record.source.pages
    plan = next(p.page for p in pages if p.role == "plan")
    for page in pages:
        if page.page > plan:
            page.page += 1
    pages.insert(plan, models.SourcePage(page=plan + 1, kind="scan", role="blank",
                                         flattening=models.PageFlattening(quad=None, illumination=True)))
    record.source.page_count = len(pages)
    return record


def test_a_section_not_found_beside_a_photo_read_blank_without_its_paper_is_a_doubt() -> None:
    record = _plan_end_read_blank(photographed=True)
    assert list(doubtful_pages(record)) == [4]
    found = run(record)
    assert ("SECTION_MISSING", "guarantee") not in {(c.code, c.where) for c in found}
    doubt = next(c for c in found if c.code == "LOW_CONFIDENCE" and c.where == "plan.sections")
    assert "（四）组织保障" in doubt.message and "第 4 页" in doubt.message


def test_a_blank_page_of_a_scanned_package_is_blank_and_a_missing_section_an_error() -> None:
    # A scanner's blank sheet beside the plan (dev33 a11) says nothing of a section left out.
    record = _plan_end_read_blank(photographed=False)
    assert doubtful_pages(record) == {}
    missing = next(c for c in run(record) if (c.code, c.where) == ("SECTION_MISSING", "guarantee"))
    assert missing.severity == "error"


# ------------------------------------------------------------------ recommended names across a batch

def _applicant(file: str, name: str, recommender: str, consortium: bool = True) -> models.ApplicationRecord:
    record = clean_application(file)
    record.basic_info.lead_unit.name = record.cover.applicant = name
    record.cover.recommender = recommender
    record.basic_info.lead_unit.credit_code = None
    record.appendix.contracts = []
    record.basic_info.members = [models.Member(name="成员")] if consortium else []
    return record


def _letter(province: str | None, names: list[str], confidence: float) -> models.RecommendationRecord:
    letter = recommendation(province or "浙江省", names)
    letter.recommendation.province = province
    for index in range(len(names)):
        letter.provenance[f"recommendation.recommended[{index}].name"] = models.Provenance(
            page=2, source="ocr", confidence=confidence)
    return letter


def _found(records: list[object]) -> set[tuple[str, str, str]]:
    return {(c.code, c.where, c.severity) for c in run_batch_checks(records)}


def test_a_recommended_name_matching_another_reading_of_the_applicants_name_is_that_applicant() -> None:
    # dev32 a02: the form's name read '绍兴新委值息技本看限公司', also '绍兴新安信息技术有限公司' (its alternative).
    garbled = _applicant("a02.pdf", "绍兴新委值息技本看限公司", "浙江省经济和信息化厅")
    garbled.cover.applicant = None
    garbled.provenance["basic_info.lead_unit.name"] = models.Provenance(
        page=2, source="ocr", confidence=0.78, alternatives=["绍兴新安信息技术有限公司"])
    other = _applicant("a01.pdf", "杭州智能制造研究院", "浙江省经济和信息化厅")
    letter = _letter("浙江省", ["杭州智能制造研究院", "绍兴新安信息技术有限公司"], 0.99)
    assert _found([garbled, other, letter]) == {("CONSORTIUM_QUOTA_EXCEEDED", "浙江省", "error")}


def _plan_city_batch(confidence: float) -> list[object]:
    """dev30 r14: 宁波市's photographed table read '中途选天数字科技有限公司' for 宁波达天数字科技有限公司; 贵阳泰天
    数字科技有限公司 (another province's, unrecommended) shares as much of it; 宁波航德自动化有限公司 is in no
    application, and 宁波汇祥精密机械集团有限公司 is recommended by no one."""
    return [_applicant("a04.pdf", "宁波达天数字科技有限公司", "浙江省经济和信息化厅"),
            _applicant("a05.pdf", "宁波卓星数据技术有限公司", "浙江省经济和信息化厅"),
            _applicant("a08.pdf", "贵阳泰天数字科技有限公司", "贵州省工业和信息化厅", consortium=False),
            _applicant("a12.pdf", "宁波汇祥精密机械集团有限公司", "浙江省经济和信息化厅", consortium=False),
            _letter("宁波市", ["中途选天数字科技有限公司", "宁波卓星数据技术有限公司", "宁波航德自动化有限公司"], confidence)]


def test_a_name_read_in_doubt_is_the_one_application_of_its_province_left_over() -> None:
    found = _found(_plan_city_batch(0.65))
    # The consortium count rests on the match by elimination: a warning, not an error.
    assert ("CONSORTIUM_QUOTA_EXCEEDED", "宁波市", "warning") in found
    assert not any(code == "RECOMMENDED_NOT_FOUND" and where.startswith("中途") for code, where, _ in found)
    # The true defect beside it: a unit in no application shares only place and form with the one left.
    assert ("RECOMMENDED_NOT_FOUND", "宁波航德自动化有限公司", "warning") in found


def test_a_name_read_surely_is_as_written() -> None:
    found = _found(_plan_city_batch(0.99))
    assert ("RECOMMENDED_NOT_FOUND", "中途选天数字科技有限公司", "warning") in found
    assert not any(code == "CONSORTIUM_QUOTA_EXCEEDED" for code, _, _ in found)


def test_a_letter_without_its_province_read_counts_in_the_province_its_names_found() -> None:
    # dev36 r13: the title unread; its names matched applications of 浙江省 (one garbled, by elimination).
    first = _applicant("a01.pdf", "杭州汇易数据技术股份有限公司", "浙江省经济和信息化厅")
    second = _applicant("a03.pdf", "台州工业互联网创新中心", "浙江省经济和信息化厅")
    letter = _letter(None, ["机州汇易教狐技术酸份有限公司", "台州工业互联网创新中心"], 0.9)
    letter.recommendation.recommended = []
    letter.recommendation.letter_names = ["机州汇易教狐技术酸份有限公司", "台州工业互联网创新中心"]
    assert _found([first, second, letter]) == {("CONSORTIUM_QUOTA_EXCEEDED", "浙江省", "warning")}


def test_a_name_no_unit_could_have_is_a_doubt_not_a_unit_missing() -> None:
    applicant = _applicant("a04.pdf", "宁波达天数字科技有限公司", "浙江省经济和信息化厅", consortium=False)
    letter = _letter("宁波市", ["宁波达天数字科技有限公司", "中速障联管能制值技术有架公司参8工:9理细0线8装10）"], 0.99)
    found = _found([applicant, letter])
    assert found == {("LOW_CONFIDENCE", "recommendation.recommended[1].name", "warning")}
    [doubt] = [c for c in letter.checks if c.code == "LOW_CONFIDENCE"]
    assert "8:" in doubt.message and "RECOMMENDED_NOT_FOUND" in doubt.message
    # A name of Chinese characters alone found nowhere stays a finding.
    letter = _letter("宁波市", ["宁波达天数字科技有限公司", "宁波博联智能制造技术有限公司"], 0.99)
    assert _found([applicant, letter]) == {("RECOMMENDED_NOT_FOUND", "宁波博联智能制造技术有限公司", "warning")}


# ------------------------------------------------------------------ a cell laid over several rows

def _providers_sharing_a_cell() -> models.ApplicationRecord:
    """dev27 a12: a photographed 附3表2 whose one industries cell (and one capability cell) the reader gave to
    three rows alike."""
    record = clean_application()
    merged = ["汽车", "食品", "纺织", "电力装备", "建材"]
    record.appendix.providers = [
        models.ProviderRow(seq=seq, name=name, industries=list(merged), capability="工业软件" * 20)
        for seq, name in ((1, "某服务商"), (7, "7西安科卓工业互联网股份有限公司"), (8, "8南昌祥辰数据技术集团有限公司"))]
    record.basic_info.resources[1].providers = 3
    return record


def test_a_cell_read_alike_in_several_rows_feeds_no_per_row_limit() -> None:
    found = run(_providers_sharing_a_cell())
    keys = {(c.code, c.where) for c in found}
    assert not {code for code, _ in keys} & {"PROVIDER_TOO_MANY_INDUSTRIES", "PROVIDER_CAPABILITY_TOO_LONG"}
    doubt = next(c for c in found if c.code == "LOW_CONFIDENCE" and c.where.startswith("appendix.providers"))
    assert "完全相同" in doubt.message


def test_a_row_of_its_own_over_the_limit_beside_them_is_still_found() -> None:
    record = _providers_sharing_a_cell()
    record.appendix.providers.append(models.ProviderRow(
        seq=4, name="无锡正拓工业技术股份有限公司", industries=["食品", "汽车", "钢铁", "船舶"], capability="工业软件" * 20))
    record.appendix.providers[-1].capability = "数据平台" * 15
    record.basic_info.resources[1].providers = 4
    keys = {(c.code, c.where) for c in run(record)}
    assert {("PROVIDER_TOO_MANY_INDUSTRIES", "4"), ("PROVIDER_CAPABILITY_TOO_LONG", "4")} <= keys


# ------------------------------------------------------------------ two rows read as one

def test_a_years_sums_over_a_row_holding_two_units_are_a_doubt_and_another_years_true_defect_stays() -> None:
    # dev32 a03: a 2025 row of 附2表2 read as two (both enterprises' names, both numbers in one cell, their amounts
    # joined), so 2025's total and count fail for it; 2024's declared contract total is truly wrong.
    record = clean_application()
    for path, origin in list(record.provenance.items()):
        record.provenance[path] = origin.model_copy(update={"source": "ocr"})
    row = record.appendix.contracts[2]
    row.enterprise = "乙公司有限公司丙公司有限公司"
    row.contract_no = "HT-3HT-4"
    row.amount = 300_450.0
    record.basic_info.service[0].contract_amount = 999.0
    found = run(record)
    keys = {(c.code, c.where): c for c in found}
    assert ("CONTRACT_TOTAL_MISMATCH", "2025") not in keys and ("ENTERPRISE_COUNT_MISMATCH", "2025") not in keys
    assert keys[("CONTRACT_TOTAL_MISMATCH", "2024")].severity == "error"
    assert ("LOW_CONFIDENCE", "appendix.contracts") in keys


# ------------------------------------------------------------------ a heading misread by a character

def _guarantee_heading_read(line: str) -> models.ApplicationRecord:
    record = clean_application()
    record.plan.sections = [s for s in record.plan.sections if s.key != "guarantee"]
    record.plan.heading_doubts = {"guarantee": line}
    return record


def test_a_heading_read_with_one_character_wrong_is_a_doubt_not_a_missing_section() -> None:
    # dev30 a12 (phone photo): '（四）组织保降（500字）' where （四）组织保障 stands.
    found = run(_guarantee_heading_read("（四）组织保降（500字）"))
    assert ("SECTION_MISSING", "guarantee") not in {(c.code, c.where) for c in found}
    assert any(c.code == "LOW_CONFIDENCE" and "组织保降" in c.message for c in found)


def test_a_line_only_of_a_headings_shape_stays_a_warning() -> None:
    found = run(_guarantee_heading_read("（四）人员安排（500字）"))
    missing = next(c for c in found if (c.code, c.where) == ("SECTION_MISSING", "guarantee"))
    assert missing.severity == "warning"


# ------------------------------------------------------------------ the first heading found low on its page

def _foundation_unfound(heading_top: float) -> models.ApplicationRecord:
    """（一）基础条件 not found; （二）建设目标's heading read at `heading_top` on the plan's first page (page 3), the
    form's lowest box at 780 pt."""
    record = clean_application()
    record.plan.sections = [s for s in record.plan.sections if s.key != "foundation"]
    record.provenance["plan.sections[0].text"] = models.Provenance(page=3, bbox=[66.0, heading_top, 210.0, heading_top + 16])
    record.provenance["basic_info.lead_unit.main_industries"] = models.Provenance(page=2, bbox=[60.0, 760.0, 500.0, 780.0])
    return record


def test_a_first_heading_found_low_on_the_plans_first_page_leaves_the_sections_before_it_unread() -> None:
    # dev36 a01 (phone photo): （二） at 588 pt, its 基础条件 above it with a heading not read.
    found = run(_foundation_unfound(588.0))
    assert ("SECTION_MISSING", "foundation") not in {(c.code, c.where) for c in found}
    assert any(c.code == "LOW_CONFIDENCE" and "下半页" in c.message for c in found)


def test_a_plan_opening_with_its_second_section_at_the_top_lacks_the_first() -> None:
    # dev27 a11: （二） at 100 pt, nothing above it but the plan's title: （一） truly left out.
    missing = next(c for c in run(_foundation_unfound(100.0)) if (c.code, c.where) == ("SECTION_MISSING", "foundation"))
    assert missing.severity == "error"


def test_a_recommender_read_amid_marks_beside_its_departments_seal_is_a_reading_doubt() -> None:
    """The cover's recommender under its seal read '江苏省二…和1化！' (a phone photo), the seal surely 江苏省工业和
    信息化厅: the marks are no characters of a name, what was read keeps the department's, so the field's
    reading is in doubt; a seal of another body beside it is still SEAL_NAME_MISMATCH."""
    from pipeline.checks.registry import finding, misread_seal_names

    def mismatch(found: str) -> models.Check:
        return finding("SEAL_NAME_MISMATCH", "cover_recommender", "封面“推荐单位（盖章）”处印章为…",
                       expected="江苏省二…和1化！", found=found)

    doubt, kept = misread_seal_names([mismatch("江苏省工业和信息化厅"), mismatch("江苏省财政厅")])
    assert doubt.code == "LOW_CONFIDENCE" and doubt.where == "cover.recommender"
    assert kept.code == "SEAL_NAME_MISMATCH"


def test_the_one_application_left_over_is_the_letters_garbled_name() -> None:
    # dev30 r14: 宁波卓星数据技术有限公司 read '中波《理数医性术有限公司' (two characters of its own part), beside a
    # third name garbled with digits; the one 浙江 application no letter matched is one of them.
    records = [_applicant("a04.pdf", "宁波达天数字科技有限公司", "浙江省经济和信息化厅"),
               _applicant("a05.pdf", "宁波卓星数据技术有限公司", "浙江省经济和信息化厅"),
               _letter("宁波市", ["宁波达天数字科技有限公司", "中波《理数医性术有限公司",
                                 "中速障联管维制值技术有架公司东8工:9理细8维8810"], 0.6)]
    found = _found(records)
    assert ("CONSORTIUM_QUOTA_EXCEEDED", "宁波市", "warning") in found
    # Read surely, the garbled names are as read: nothing is matched by elimination.
    records[2] = _letter("宁波市", ["宁波达天数字科技有限公司", "中波《理数医性术有限公司"], 0.99)
    assert not any(code == "CONSORTIUM_QUOTA_EXCEEDED" for code, _, _ in _found(records))
