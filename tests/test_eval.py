"""The accuracy evaluator on hand-made truth/prediction pairs."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from models import (
    ApplicationRecord,
    Check,
    ExpectedCheck,
    PlanSection,
    RecommendationRecord,
    Seal,
    record_json,
)
from models.record import ApplicationTruth, RecommendationTruth
from pipeline.evaluation import EvalReport, align_rows, evaluate, format_report, main, same

TRUTH_ONLY = {"expected_checks", "page_text", "generator"}


def application_truth(doc_id: str = "zj-01", kind: str = "scan") -> ApplicationTruth:
    year = lambda y, **kw: {"year": y, **kw}  # noqa: E731
    return ApplicationTruth.model_validate({
        "doc_type": "application",
        "source": {"file": f"{doc_id}.pdf", "sha256": "0" * 64, "page_count": 4,
                   "pages": [{"page": 1, "kind": "scan", "role": "cover"},
                             {"page": 2, "kind": "scan", "role": "basic_info"},
                             {"page": 3, "kind": "scan", "role": "plan"},
                             {"page": 4, "kind": "scan", "role": "appendix2_table2"}]},
        "cover": {"applicant": "杭州智造服务有限公司", "recommender": "浙江省经济和信息化厅", "contact": "王伟",
                  "phone": "0571-88886666", "fill_date": "2026-06-12"},
        "basic_info": {
            "lead_unit": {"name": "杭州智造服务有限公司", "credit_code": "91330100MA2XXXXXX1",
                          "established": "2016-03-18", "is_legal_person": True, "registered_capital": 5000.0,
                          "registered_address": "浙江省杭州市滨江区", "main_industries": ["机械", "汽车"],
                          "unit_type": "服务商"},
            "members": [{"name": "浙江大学", "type": "高校"}, {"name": "之江实验室", "type": "科研院所"}],
            "head": {"name": "李强", "title": "总经理", "mobile": "13800000000", "email": "a@b.cn"},
            "finance": [year(2024, revenue=12000.0, net_margin=8.5, debt_ratio=42.1),
                        year(2025, revenue=13000.0, net_margin=9.0, debt_ratio=40.0)],
            "service": [year(2024, enterprises=3, contract_amount=300.0, trainees=80),
                        year(2025, enterprises=2, contract_amount=250.5, trainees=60)],
            "resources": [year(2024, investors=1, financing=500.0, universities=1, providers=2),
                          year(2025, investors=2, financing=800.0, universities=1, providers=2)],
        },
        "plan": {"sections": [{"key": "foundation", "title": "（一）基础条件", "limit": 1000, "chars": 968},
                              {"key": "goals", "title": "（二）建设目标", "limit": 500, "chars": 471},
                              {"key": "content", "title": "（三）建设内容", "limit": 2500, "chars": 2390},
                              {"key": "guarantee", "title": "（四）组织保障", "limit": 500, "chars": 505}],
                 "content_areas": ["评估咨询", "方案开发", "数据共享"], "goal_years": [2026, 2027, 2028]},
        "appendix": {
            "products": [{"category": "数字化产品", "seq": 1, "name": "设备云"},
                         {"category": "数字化产品", "seq": 2, "name": "质检平台"}],
            "contracts": [{"date": f"2024-0{i}-05", "contract_no": f"HT-2024-00{i}", "enterprise": f"企业{i}",
                           "amount": 100.0} for i in range(1, 4)]
            + [{"date": f"2025-0{i}-05", "contract_no": f"HT-2025-00{i}", "enterprise": f"企业{i}",
                "amount": 125.25} for i in range(1, 3)],
            "trainings": [{"date": "2024-07-01", "name": "数字化培训", "participants": 80},
                          {"date": "2025-07-01", "name": "智能制造培训", "participants": 60}],
            "institutions": [{"category": "投融资机构", "seq": 1, "name": "浙商创投"},
                             {"category": "投融资机构", "seq": 2, "name": "杭州资本"},
                             {"category": "高校科研院所", "seq": 3, "name": "浙江大学"}],
            "providers": [{"seq": 1, "name": "服务商甲", "industries": ["机械"], "capability": "工业软件"},
                          {"seq": 2, "name": "服务商乙", "industries": ["汽车", "机械"], "capability": "数据治理"}],
            "financings": [{"seq": 1, "investor": "浙商创投", "investee": "企业1", "amount": 800.0}],
        },
        "seal_slots": {"cover_applicant": True, "cover_recommender": True, "commitment": True,
                       "appendix2_table1": True, "appendix2_table2": True, "appendix2_table3": True,
                       "appendix3_table1": True, "appendix3_table2": True, "appendix3_table3": False},
        "signatures": {"commitment_legal_rep": True},
        "expected_checks": [{"code": "SEAL_MISSING", "where": "appendix3_table3"},
                            {"code": "WORD_LIMIT_EXCEEDED", "where": "guarantee"}],
        "generator": {"kind": kind},
    })


def recommendation_truth(doc_id: str = "zj-rec") -> RecommendationTruth:
    return RecommendationTruth.model_validate({
        "doc_type": "recommendation",
        "source": {"file": f"{doc_id}.pdf", "sha256": "1" * 64, "page_count": 2,
                   "pages": [{"page": 1, "kind": "text", "role": "recommendation_letter"},
                             {"page": 2, "kind": "text", "role": "recommendation_table"}]},
        "recommendation": {"province": "浙江省", "date": "2026-06-28",
                           "recommended": [{"rank": 1, "name": "杭州智造服务有限公司", "industries": ["机械"],
                                            "policies": "市级配套资金500万元"},
                                           {"rank": 2, "name": "宁波工联有限公司", "industries": ["汽车"]}]},
        "seal_slots": {"recommendation_letter": True, "recommendation_table": True},
        "generator": {"kind": "digital"},
    })


def perfect_prediction(truth: ApplicationTruth | RecommendationTruth) -> dict[str, Any]:
    """The truth as a prediction record (JSON dict), its expected checks as checks."""
    data = truth.model_dump(mode="json", exclude=TRUTH_ONLY)
    data["checks"] = [{"code": c.code, "where": c.where, "severity": "error"} for c in truth.expected_checks]
    return data


def write(truth_dir: Path, pred_dir: Path, truth: ApplicationTruth | RecommendationTruth,
          pred: dict[str, Any] | None) -> None:
    truth_dir.mkdir(parents=True, exist_ok=True)
    pred_dir.mkdir(parents=True, exist_ok=True)
    doc_id = truth.source.file.removesuffix(".pdf")
    (truth_dir / f"{doc_id}.truth.json").write_text(record_json(truth), encoding="utf-8")
    if pred is not None:
        (pred_dir / f"{truth.source.file}.json").write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")


def run(tmp_path: Path, *pairs: tuple[ApplicationTruth | RecommendationTruth, dict[str, Any] | None]) -> EvalReport:
    for truth, pred in pairs:
        write(tmp_path / "truth", tmp_path / "pred", truth, pred)
    return evaluate(tmp_path / "truth", tmp_path / "pred")


def test_perfect_prediction_scores_one_everywhere(tmp_path: Path) -> None:
    app, rec = application_truth(), recommendation_truth()
    report = run(tmp_path, (app, perfect_prediction(app)), (rec, perfect_prediction(rec)))
    s = report.summary
    assert report.docs == 2 and report.missing == [] and report.truth_errors == []
    assert s.fields.total == 38 + 2 * 2  # fixed leaves + two members of two fields
    for value in (s.fields.value, s.table_cells.f1, s.seals.value, s.signatures.value, s.checks.f1,
                  s.chars_within2pct.value, s.content_areas.f1, s.goal_years.f1, s.page_roles.value,
                  s.page_count.value, s.recommendation.value):
        assert value == 1.0
    assert all(t.row_count.value == 1.0 and t.cells.f1 == 1.0 for t in s.tables.values())
    assert s.weakest_fields == []
    assert set(report.by_kind) == {"scan", "digital"}
    assert format_report(report).splitlines()[-1] == (
        "overall fields=1.000 tables_f1=1.000 seals=1.000 checks_f1=1.000 chars_within2pct=1.000 docs=2")


@pytest.mark.parametrize("dropped", [0, 2, 4])
def test_dropped_table_row_costs_exactly_one_row(tmp_path: Path, dropped: int) -> None:
    truth = application_truth()
    pred = perfect_prediction(truth)
    n = len(pred["appendix"]["contracts"])
    del pred["appendix"]["contracts"][dropped]
    contracts = run(tmp_path, (truth, pred)).summary.tables["contracts"]
    assert contracts.cells.recall == pytest.approx((n - 1) / n)
    assert contracts.cells.precision == 1.0
    assert contracts.row_count.value == 0.0


def test_inserted_row_costs_precision_only(tmp_path: Path) -> None:
    truth = application_truth()
    pred = perfect_prediction(truth)
    pred["appendix"]["trainings"].insert(1, {"date": "2024-09-09", "name": "页眉噪声", "participants": 1})
    trainings = run(tmp_path, (truth, pred)).summary.tables["trainings"]
    assert (trainings.cells.precision, trainings.cells.recall) == (pytest.approx(2 / 3), 1.0)


def test_wrong_field_costs_exactly_one_over_n(tmp_path: Path) -> None:
    truth = application_truth()
    pred = perfect_prediction(truth)
    pred["cover"]["phone"] = "0571-88886667"
    # Within the equality rules: not errors.
    pred["basic_info"]["lead_unit"]["registered_capital"] = 5000.005
    pred["basic_info"]["lead_unit"]["registered_address"] = "浙江省 杭州市 滨江区"
    pred["basic_info"]["lead_unit"]["main_industries"] = ["汽车", "机械"]
    report = run(tmp_path, (truth, pred))
    fields = report.summary.fields
    assert fields.correct == fields.total - 1
    assert report.summary.weakest_fields == ["cover.phone"]
    errors = report.documents[0].field_errors
    assert [(e.field, e.truth, e.pred) for e in errors] == [("cover.phone", "0571-88886666", "0571-88886667")]


def test_missing_and_unparsable_predictions_count_as_wrong(tmp_path: Path) -> None:
    a, b, c = application_truth("zj-01"), application_truth("zj-02"), application_truth("zj-03")
    run(tmp_path, (a, perfect_prediction(a)), (b, None), (c, None))
    (tmp_path / "pred" / "zj-03.pdf.json").write_text("{not json", encoding="utf-8")
    report = evaluate(tmp_path / "truth", tmp_path / "pred")
    s = report.summary
    assert [m.id for m in report.missing] == ["zj-02", "zj-03"]
    assert [d.status for d in report.documents] == ["ok", "missing", "unparsable"]
    assert s.fields.value == pytest.approx(1 / 3)
    assert s.table_cells.recall == pytest.approx(1 / 3) and s.table_cells.precision == 1.0
    assert s.checks.recall == pytest.approx(1 / 3)
    assert s.page_count.value == pytest.approx(1 / 3) and s.seals.value == pytest.approx(1 / 3)
    assert s.chars_within2pct.value == pytest.approx(1 / 3)
    assert "zj-02 (zj-02.pdf): no prediction file" in format_report(report)


def test_prediction_found_by_id_and_in_sub_folders(tmp_path: Path) -> None:
    truth = application_truth("zj-07")
    write(tmp_path / "truth" / "zhejiang", tmp_path / "pred", truth, None)
    (tmp_path / "pred" / "zj-07.json").write_text(json.dumps(perfect_prediction(truth)), encoding="utf-8")
    report = evaluate(tmp_path / "truth", tmp_path / "pred")
    assert report.missing == [] and report.summary.fields.value == 1.0


def test_checks_f1_on_a_multiset(tmp_path: Path) -> None:
    truth = application_truth()
    truth.expected_checks = [ExpectedCheck(code="SEAL_MISSING", where="commitment"),
                             ExpectedCheck(code="CONTRACT_TOTAL_MISMATCH", where="2024"),
                             ExpectedCheck(code="CONTRACT_TOTAL_MISMATCH", where="2024")]
    pred = perfect_prediction(truth)
    pred["checks"] = [{"code": "CONTRACT_TOTAL_MISMATCH", "where": "2024", "severity": "error"},
                      {"code": "FIELD_MISSING", "where": "cover.phone", "severity": "error"}]
    s = run(tmp_path, (truth, pred)).summary
    # tp=1, fp=1, fn=2
    assert (s.checks.precision, s.checks.recall, s.checks.f1) == (0.5, pytest.approx(1 / 3), pytest.approx(0.4))
    codes = {code: (c.tp, c.fp, c.fn) for code, c in s.check_codes.items()}
    assert codes == {"CONTRACT_TOTAL_MISMATCH": (1, 0, 1), "FIELD_MISSING": (0, 1, 0), "SEAL_MISSING": (0, 0, 1)}


def test_false_errors_and_doubts_are_counted_so_abstaining_shows(tmp_path: Path) -> None:
    defective = application_truth("zj-01")
    defective.expected_checks = [ExpectedCheck(code="CONTRACT_TOTAL_MISMATCH", where="2024")]
    pred = perfect_prediction(defective)
    pred["checks"] = [{"code": "CONTRACT_TOTAL_MISMATCH", "where": "2024", "severity": "error"},
                      {"code": "FIELD_MISSING", "where": "cover.phone", "severity": "error"},
                      {"code": "TRAINEE_TOTAL_MISMATCH", "where": "2025", "severity": "warning",
                       "doubts": ["appendix.trainings[0].participants"], "confidence": 0.5}]
    clean = application_truth("zj-02")
    clean.expected_checks = []
    clean_pred = perfect_prediction(clean)
    clean_pred["checks"] = [{"code": "SEAL_MISSING", "where": "cover", "severity": "error"},
                            {"code": "LOW_CONFIDENCE", "where": "cover.phone", "severity": "info"}]
    s = run(tmp_path, (defective, pred), (clean, clean_pred)).summary
    assert s.false_errors == 2  # FIELD_MISSING and the clean package's SEAL_MISSING; the true error is not
    assert s.low_confidence_per_doc == 0.5 and s.doubtful_per_doc == 0.5
    assert (s.clean_docs, s.clean_docs_with_errors) == (1, 1)
    assert "false errors 2" in format_report(run(tmp_path, (defective, pred), (clean, clean_pred)))


@pytest.mark.parametrize(("truth_chars", "pred_chars", "within"), [
    (1000, 1020, True), (1000, 980, True), (1000, 1021, False), (50, 51, True), (50, 52, False),
    (0, 0, True), (0, 1, False), (471, None, False),
])
def test_chars_within_two_percent(tmp_path: Path, truth_chars: int, pred_chars: int | None, within: bool) -> None:
    truth = application_truth()
    truth.plan.sections = [PlanSection(key="goals", title="（二）建设目标", limit=500, chars=truth_chars)]
    pred = perfect_prediction(truth)
    pred["plan"]["sections"] = [] if pred_chars is None else [dict(pred["plan"]["sections"][0], chars=pred_chars)]
    s = run(tmp_path, (truth, pred)).summary
    assert s.chars_within2pct.value == float(within)
    assert s.chars_sections["goals"].mean_rel_error == (
        None if pred_chars is None else abs(pred_chars - truth_chars) / max(truth_chars, 1))


def test_recommendation_rank_and_seals(tmp_path: Path) -> None:
    truth = recommendation_truth()
    pred = perfect_prediction(truth)
    pred["recommendation"]["recommended"][1]["rank"] = 3
    pred["seal_slots"]["recommendation_table"] = False
    report = run(tmp_path, (truth, pred))
    s = report.summary
    assert s.recommendation.correct == s.recommendation.total - 1
    assert s.recommendation_fields["recommendation.recommended[].rank"].value == 0.5
    assert s.seal_slots["recommendation_table"].value == 0.0 and s.seals.value == 0.5
    assert s.fields.value is None  # no application: fields are n/a
    assert "overall fields=n/a tables_f1=n/a seals=0.500" in format_report(report)


def test_the_recommendation_table_s_industries_and_policies_are_scored(tmp_path: Path) -> None:
    truth = recommendation_truth()
    pred = perfect_prediction(truth)
    pred["recommendation"]["recommended"][0]["policies"] = "市级配套资金50万元"
    pred["recommendation"]["recommended"][1]["industries"] = ["汽车零部件"]  # an alias: named before comparing
    fields = run(tmp_path, (truth, pred)).summary.recommendation_fields
    assert fields["recommendation.recommended[].policies"].value == 0.5
    assert fields["recommendation.recommended[].industries"].value == 1.0


def test_only_the_prediction_is_named_so_a_truth_alias_shows(tmp_path: Path) -> None:
    truth = recommendation_truth()
    pred = perfect_prediction(truth)
    literal = truth.model_copy(deep=True)
    literal.recommendation.recommended[1].industries = ["汽车零部件"]  # truth as printed: not the contract's name
    fields = run(tmp_path, (literal, pred)).summary.recommendation_fields
    assert fields["recommendation.recommended[].industries"].value == 0.5


def test_page_roles_and_wrong_doc_type(tmp_path: Path) -> None:
    truth = application_truth()
    pred = perfect_prediction(truth)
    pred["source"]["pages"][3]["role"] = "appendix2_table1"
    assert run(tmp_path, (truth, pred)).summary.page_roles.value == 0.75
    unreadable = {"doc_type": "unknown", "source": pred["source"],
                  "checks": [{"code": "INPUT_UNREADABLE", "severity": "error"}]}
    (tmp_path / "pred" / "zj-01.pdf.json").write_text(json.dumps(unreadable), encoding="utf-8")
    report = evaluate(tmp_path / "truth", tmp_path / "pred")
    assert report.documents[0].status == "mismatched" and report.summary.fields.value == 0.0


def test_equality_rules() -> None:
    assert same(1250.5, 1250.51) and not same(1250.5, 1250.52)
    assert same("（一）基础 条件", "(一)基础条件") and not same(None, "")
    assert same(["机械", "汽车"], ["汽车", "机械"]) and same(dt.date(2024, 3, 5), "2024-03-05")
    assert not same(True, 1) and same(None, None)


def test_alignment_keeps_order() -> None:
    truth = [("a", 1), ("b", 2), ("c", 3)]
    assert align_rows(truth, [("a", 1), ("c", 3)]) == [(0, 0), (1, None), (2, 1)]
    assert align_rows(truth, []) == [(0, None), (1, None), (2, None)]


def test_main_prints_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    truth = application_truth()
    run(tmp_path, (truth, perfect_prediction(truth)))
    assert main(tmp_path / "truth", tmp_path / "pred") == 0
    last = capsys.readouterr().out.rstrip("\n").splitlines()[-1]
    assert re.fullmatch(r"overall fields=1\.000 tables_f1=1\.000 seals=1\.000 checks_f1=1\.000 "
                        r"chars_within2pct=1\.000 docs=1", last)
    assert main(tmp_path / "truth", tmp_path / "pred", as_json=True) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["fields"]["value"] == 1.0 and data["docs"] == 1
    assert main(tmp_path / "nowhere", tmp_path / "pred") == 2


def test_the_gate_fails_below_a_minimum_and_above_a_maximum(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    truth = application_truth()
    pred = perfect_prediction(truth)
    pred["cover"]["contact"] = "王伟伟"
    pred["checks"] = [{"code": "SEAL_MISSING", "where": "cover", "severity": "error"}]
    run(tmp_path, (truth, pred))
    truth_dir, pred_dir = tmp_path / "truth", tmp_path / "pred"
    assert main(truth_dir, pred_dir, minimum="fields=0.9,tables_f1=0.99") == 0
    assert main(truth_dir, pred_dir, minimum="fields=0.99") == 1
    assert "fields=" in capsys.readouterr().err
    assert main(truth_dir, pred_dir, maximum="false_errors_per_10=10") == 0
    assert main(truth_dir, pred_dir, maximum="false_errors_per_10=9") == 1
    assert main(truth_dir, pred_dir, minimum="speed=1") == 2  # an unknown measure is a usage error
    assert main(truth_dir, pred_dir, minimum="fields=high") == 2


def test_models_round_trip() -> None:
    """The hand-made records are valid contract records once the truth-only keys are dropped."""
    assert isinstance(ApplicationRecord.model_validate(perfect_prediction(application_truth())), ApplicationRecord)
    assert isinstance(RecommendationRecord.model_validate(perfect_prediction(recommendation_truth())),
                      RecommendationRecord)
    assert Check(code="X", severity="info").where == ""


def test_no_truth_gives_na(tmp_path: Path) -> None:
    report = evaluate(tmp_path, tmp_path / "pred")
    assert format_report(report).splitlines()[-1] == (
        "overall fields=n/a tables_f1=n/a seals=n/a checks_f1=n/a chars_within2pct=n/a docs=0")
    assert main(tmp_path, tmp_path / "pred") == 2


def test_low_confidence_findings_do_not_count_against_checks() -> None:
    from models import Check, ExpectedCheck
    from pipeline.evaluation import check_prf

    scores = check_prf([ExpectedCheck(code="SEAL_MISSING", where="commitment")],
                       [Check(code="SEAL_MISSING", severity="error", where="commitment"),
                        Check(code="LOW_CONFIDENCE", severity="info", where="cover.phone")])
    assert set(scores) == {"SEAL_MISSING"} and scores["SEAL_MISSING"].fp == 0


def test_seal_text_counts_truth_seals_read_exactly_where_they_are(tmp_path: Path) -> None:
    """A seal's name counts once, on its page and over its box; misread, elsewhere or unread seals don't."""
    truth = application_truth()
    name = "杭州智造服务有限公司"
    truth.seals = [Seal(page=1, bbox=[300, 400, 410, 510], text=name),
                   Seal(page=1, bbox=[240, 480, 350, 590], text="浙江省经济和信息化厅"),
                   Seal(page=4, bbox=[380, 590, 490, 700], text=name),
                   Seal(page=4, bbox=[100, 590, 210, 700], text=name)]
    pred = perfect_prediction(truth)
    pred["seals"] = [
        {"page": 1, "bbox": [302, 398, 412, 508], "text": "杭州智造服务 有限公司"},  # read (spaces normalised)
        {"page": 1, "bbox": [240, 480, 350, 590], "text": "浙江省经济和信息化"},  # misread
        {"page": 3, "bbox": [380, 590, 490, 700], "text": name},  # right name, wrong page
        {"page": 4, "bbox": [105, 595, 215, 705], "text": name},  # the second of page 4's seals
    ]
    report = run(tmp_path, (truth, pred))
    assert (report.summary.seal_text.correct, report.summary.seal_text.total) == (2, 4)
    assert report.documents[0].seal_text.value == 0.5
    assert "seal text exact: 0.500 (2/4)" in format_report(report)
    # One reading cannot stand for two stamps of the same name.
    pred["seals"] = [{"page": 4, "bbox": [380, 590, 490, 700], "text": name}]
    truth.seals[3] = Seal(page=4, bbox=[390, 600, 500, 710], text=name)
    assert run(tmp_path / "again", (truth, pred)).summary.seal_text.correct == 1
