"""flags14: comparisons an unread cell no longer holds back where their outcome cannot depend on it."""

from __future__ import annotations

import datetime as dt

import models
from pipeline.checks import CheckContext, run_checks
from pipeline.config import Settings
from pipeline.reconcile import reconcile
from tests.test_checks import _set, clean_application

SETTINGS = Settings()


def _found(record: models.ApplicationRecord) -> dict[tuple[str, str], models.Check]:
    reconcile(record, SETTINGS)
    return {(c.code, c.where): c for c in run_checks(CheckContext(record=record, settings=SETTINGS))}


def _with_unread_2025_contract(declared: float) -> models.ApplicationRecord:
    """2025: the read 300.0 and a second row whose amount (under a seal) was not read."""
    record = clean_application()
    record.appendix.contracts.append(models.ContractRow(date=dt.date(2025, 6, 1), contract_no="HT-4",
                                                        enterprise="丁公司", amount=None))
    record.provenance["appendix.contracts[3].amount"] = record.provenance["appendix.contracts[2].amount"]
    _set("basic_info.service[1].contract_amount", declared)(record)
    _set("basic_info.service[1].enterprises", 2)(record)
    return record


def test_a_years_read_amounts_already_over_its_total_are_a_mismatch_whatever_the_unread_one_holds() -> None:
    found = _found(_with_unread_2025_contract(120.0))  # 300 read alone is over 120: the form is short
    check = found[("CONTRACT_TOTAL_MISMATCH", "2025")]
    assert check.severity == "error" and check.found == 300.0 and check.expected == 120.0
    assert "未计入" in check.message
    assert ("LOW_CONFIDENCE", "appendix.contracts[3].amount") in found  # the unread cell still asks a reviewer


def test_a_years_read_amounts_short_of_its_total_say_nothing_while_a_cell_is_unread() -> None:
    found = _found(_with_unread_2025_contract(450.0))  # the unread cell may hold the 150 missing
    assert ("CONTRACT_TOTAL_MISMATCH", "2025") not in found
    assert ("LOW_CONFIDENCE", "appendix.contracts[3].amount") in found


def test_a_sum_over_its_total_on_a_doubtful_reading_beside_an_unread_cell_is_a_warning() -> None:
    record = _with_unread_2025_contract(120.0)
    path = "appendix.contracts[2].amount"
    # 300 or 200: over 120 either way, but neither reading is sure.
    record.provenance[path] = record.provenance[path].model_copy(update={"alternatives": [200.0], "confidence": 0.55})
    check = _found(record)[("CONTRACT_TOTAL_MISMATCH", "2025")]
    assert check.severity == "warning" and path in check.doubts


def test_financing_amounts_read_already_over_the_cumulative_figure_are_a_mismatch() -> None:
    record = clean_application()
    record.appendix.financings.append(models.FinancingRow(seq=2, investor="某基金", investee="丁公司", amount=None))
    record.provenance["appendix.financings[1].amount"] = record.provenance["appendix.financings[0].amount"]
    _set("basic_info.resources[1].financing", 400.0)(record)  # 500 read alone is over it
    assert _found(record)[("FINANCING_TOTAL_MISMATCH", "")].severity == "error"
    _set("basic_info.resources[1].financing", 600.0)(record)  # the unread row may hold the 100
    assert ("FINANCING_TOTAL_MISMATCH", "") not in _found(record)


def _training_of_2025_dated(date: dt.date, declared: int) -> models.ApplicationRecord:
    record = clean_application()
    record.appendix.trainings.append(models.TrainingRow(date=date, name="培训", participants=40))
    for cell in ("date", "participants"):
        record.provenance[f"appendix.trainings[1].{cell}"] = record.provenance["appendix.trainings[0].participants"]
    _set("basic_info.service[1].trainees", declared)(record)
    return record


def test_a_row_whose_year_is_a_period_year_misread_counts_in_that_year() -> None:
    # dev13 a11 (phone): '2025-04-03' read 3025-04-03; left out of 2025's sum it made a false total mismatch.
    found = _found(_training_of_2025_dated(dt.date(3025, 4, 3), 40))
    assert ("TRAINEE_TOTAL_MISMATCH", "2025") not in found
    assert ("LOW_CONFIDENCE", "appendix.trainings[1].date") in found  # the misread year still asks a reviewer
    check = _found(_training_of_2025_dated(dt.date(3025, 4, 3), 90))[("TRAINEE_TOTAL_MISMATCH", "2025")]
    assert check.severity == "warning" and "appendix.trainings[1].date" in check.doubts  # counted on a misread year


def test_a_row_dated_out_of_the_period_on_the_form_counts_in_no_year() -> None:
    found = _found(_training_of_2025_dated(dt.date(2023, 4, 3), 40))  # 2023: a date the applicant wrote
    assert ("TRAINEE_TOTAL_MISMATCH", "2025") in found and ("TRAINING_DATE_OUT_OF_RANGE", "2") in found


def _grey_package_missing(*slots: str) -> models.ApplicationRecord:
    record = clean_application()
    for page in record.source.pages:
        page.colour = False  # a black-and-white scan throughout
    for slot in slots:
        setattr(record.seal_slots, slot, False)
    return record


GREY_SLOTS = ("cover_recommender", "appendix2_table2", "appendix2_table3", "appendix3_table1", "appendix3_table2")


def test_most_of_a_grey_packages_slots_without_a_seal_are_the_readers_doubts_not_findings() -> None:
    # dev17 a03 (black-and-white scan): a light grey oval over each table's last rows went unseen on six pages.
    found = _found(_grey_package_missing(*GREY_SLOTS))
    assert not [key for key in found if key[0] == "SEAL_MISSING"]
    assert {f"seal_slots.{slot}" for slot in GREY_SLOTS} <= {d for c in found.values() for d in c.doubts
                                                              if c.code == "LOW_CONFIDENCE"}


def test_a_few_of_a_grey_packages_slots_without_a_seal_stay_doubtful_findings() -> None:
    found = _found(_grey_package_missing(*GREY_SLOTS[:3]))
    assert [found[("SEAL_MISSING", slot)].severity for slot in GREY_SLOTS[:3]] == ["warning"] * 3
    colour = _grey_package_missing(*GREY_SLOTS)
    for page in colour.source.pages:
        page.colour = True  # on colour pages an absence is sure: each an error, however many
    assert [_found(colour)[("SEAL_MISSING", slot)].severity for slot in GREY_SLOTS] == ["error"] * 5


def test_slots_only_the_search_by_the_stamps_size_filled_count_as_the_reader_failing() -> None:
    # dev17 a03 (seals15): two of the six tables' seals found only by the lead's stamp's size (a place from the
    # pixels for the filled slot); the three slots still empty are the reader's doubts, as with five empty.
    record = _grey_package_missing(*GREY_SLOTS[:3])
    for slot in GREY_SLOTS[3:]:
        record.provenance[f"seal_slots.{slot}"] = models.Provenance(page=12, bbox=[390, 260, 520, 350], source="pixels")
    found = _found(record)
    assert not [key for key in found if key[0] == "SEAL_MISSING"]
    assert {f"seal_slots.{slot}" for slot in GREY_SLOTS[:3]} <= {d for c in found.values() for d in c.doubts
                                                                 if c.code == "LOW_CONFIDENCE"}


def test_a_limit_exceeded_on_a_provider_row_holding_two_names_is_a_doubt_of_two_rows_read_as_one() -> None:
    # dev18 a01 (phone): rows 11 and 12 read as one, '杭州联汇数字科技股份有限公1 2东莞联样软件有限公司', their
    # industries joined (five): no provider of the package lists five.
    record = clean_application()
    record.appendix.providers[0].name = "杭州联汇数字科技股份有限公1 2东莞联样软件有限公司"
    record.appendix.providers[0].industries = ["有色", "电力装备", "汽车", "机械"]
    record.appendix.providers[0].capability = "工业软件" * 60  # both rows' capabilities joined, over the limit
    found = _found(record)
    assert not [key for key in found if key[0] in ("PROVIDER_TOO_MANY_INDUSTRIES", "PROVIDER_CAPABILITY_TOO_LONG")]
    doubt = found[("LOW_CONFIDENCE", "appendix.providers")]  # the table's doubts as one finding
    assert "两行" in doubt.message
    assert doubt.doubts == ["appendix.providers[0].industries", "appendix.providers[0].capability"]
    record.appendix.providers[0].name = "杭州联汇数字科技股份有限公司"  # one name: each limit is a finding
    found = _found(record)
    assert ("PROVIDER_TOO_MANY_INDUSTRIES", "1") in found and ("PROVIDER_CAPABILITY_TOO_LONG", "1") in found


def test_a_sum_over_unread_cells_is_over_its_total_only_under_every_reading_of_the_read_ones() -> None:
    # dev13 a09 (phone): '237.6' read 23,760 (237.6 among its readings) beside an unread cell: 25,137 over the
    # 1,657.65 declared as read, under it with 237.6. Nothing is found; the unread cell still asks a reviewer.
    record = _with_unread_2025_contract(250.0)
    path = "appendix.contracts[2].amount"
    _set(path, 30000.0)(record)
    record.provenance[path] = record.provenance[path].model_copy(update={"alternatives": [30.0], "confidence": 0.7})
    found = _found(record)
    assert ("CONTRACT_TOTAL_MISMATCH", "2025") not in found
    assert "appendix.contracts[3].amount" in found[("LOW_CONFIDENCE", "appendix.contracts")].doubts


PROSE = ("围绕石化化工、电力装备行业中小企业数字化转型需求，数促中心将聚焦以下重点任务，细化为可落地、可执行、"
         "可考核的具体项目。新工具先在典型企业试用打磨，验证成效后再向同类企业推广。") * 4


def _content_read_as(text: str) -> models.ApplicationRecord:
    record = clean_application()
    record.plan.content_areas = ["数据共享"]
    content = next(section for section in record.plan.sections if section.key == "content")
    content.text = text
    return record


def test_too_few_content_areas_in_a_scrambled_reading_are_a_doubt_not_an_error() -> None:
    # dev18 a13 (fax): the 建设内容 pages read as characters out of order ('加快方典 新工开具发先方在面案型重开企点…').
    from pipeline.text.words import word_share

    scrambled = "".join(PROSE[i] for i in range(0, len(PROSE), 2)) + "".join(PROSE[i] for i in range(1, len(PROSE), 3))
    assert (word_share(scrambled) or 0) < 0.7 <= (word_share(PROSE) or 0)
    found = _found(_content_read_as(scrambled))
    assert ("TOO_FEW_CONTENT_AREAS", "") not in found
    assert "成词" in found[("LOW_CONFIDENCE", "plan.content_areas")].message
    found = _found(_content_read_as(PROSE))  # read as prose, one area in a section of no numbered parts: a finding
    assert found[("TOO_FEW_CONTENT_AREAS", "")].severity == "error"
