"""Databases (SQLite and PostgreSQL, through SQLAlchemy) and analysts' tables (Parquet, CSV, Excel).

Records come from the sample corpus's truth files (their expected checks become checks with
evidence), so the tests need neither OCR nor an out/ folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import models
from dtpc.cli import app
from models import parse_record, parse_truth
from pipeline.export import (
    ENTITIES,
    DatabaseSink,
    DatabaseWriteError,
    JsonSink,
    SchemaMismatchError,
    database_url,
    entity_rows,
    export_tables,
    public_url,
    read_records,
)
from tests import pg
from tests.test_checks import clean_application, recommendation

CORPUS = Path(__file__).resolve().parents[1] / "samples" / "corpus"
TRUTH_ONLY = {"expected_checks", "page_text", "generator"}


def truth_record(path: Path) -> models.OutputRecord:
    truth = parse_truth(path.read_text(encoding="utf-8"))
    record = parse_record(truth.model_dump(mode="json", exclude=TRUTH_ONLY))
    record.checks = [models.Check(code=expected.code, severity="error", where=expected.where, message=f"{expected.code} 检查",
                                  expected=1.5, found="一", evidence=[models.Evidence(page=1, bbox=[1, 2, 3, 4]),
                                                                   models.Evidence(page=2)])
                     for expected in truth.expected_checks]
    return record


@pytest.fixture(scope="module")
def corpus() -> list[models.OutputRecord]:
    return [truth_record(path) for path in sorted(CORPUS.glob("*.truth.json"))]


def application(records: list[models.OutputRecord], file: str = "a01-scan.pdf") -> models.ApplicationRecord:
    [record] = [r for r in records if r.source.file == file]
    assert isinstance(record, models.ApplicationRecord)
    return record.model_copy(deep=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'dtpc.sqlite'}"
        return
    with pg.scratch_schema() as url:
        yield url


def query(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = sa.create_engine(database_url(url))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def counts(url: str, sha256: str | None = None) -> dict[str, int]:
    """Rows per entity table (of one file, when given), over one connection."""
    where = " WHERE sha256 = :sha" if sha256 else ""
    engine = sa.create_engine(database_url(url))
    try:
        with engine.connect() as connection:
            return {name: connection.execute(sa.text(f'SELECT count(*) FROM "{name}"{where}'), {"sha": sha256}).scalar_one()
                    for name in ENTITIES}
    finally:
        engine.dispose()


def counts_by_file(url: str) -> dict[str, dict[str, int]]:
    """Rows per sha256 per entity table, over one connection."""
    found: dict[str, dict[str, int]] = {}
    engine = sa.create_engine(database_url(url))
    try:
        with engine.connect() as connection:
            for name in ENTITIES:
                for sha256, count in connection.execute(sa.text(f'SELECT sha256, count(*) FROM "{name}" GROUP BY sha256')):
                    found.setdefault(sha256, dict.fromkeys(ENTITIES, 0))[name] = count
    finally:
        engine.dispose()
    return found


def expected_counts(record: models.OutputRecord) -> dict[str, int]:
    found = {name: 0 for name in ENTITIES}
    found.update(submissions=1, pages=len(record.source.pages), seals=len(record.seals), checks=len(record.checks),
                 provenance=len(record.provenance))
    if isinstance(record, models.ApplicationRecord):
        found.update(members=len(record.basic_info.members), finance=2, service=2, resources=2,
                     plan_sections=len(record.plan.sections),
                     **{name: len(getattr(record.appendix, name)) for name in
                        ("products", "contracts", "trainings", "institutions", "providers", "financings")})
    if isinstance(record, models.RecommendationRecord):
        found.update(recommendations=1, recommended=len(record.recommendation.recommended))
    return found


# Rows per entity


def test_every_row_carries_key_and_file(corpus: list[models.OutputRecord]) -> None:
    tables = entity_rows(corpus)
    assert list(tables) == list(ENTITIES)
    for name, rows in tables.items():
        for row in rows:
            assert len(row["sha256"]) == 64 and row["file"], name
            assert list(row) == [column.name for column in ENTITIES[name].columns]
    record = application(corpus)
    assert [row for row in tables["finance"] if row["file"] == record.source.file][1]["year"] == 2025
    assert sum(expected_counts(r)["contracts"] for r in corpus) == len(tables["contracts"])


def test_rows_flatten_lists_boxes_and_evidence() -> None:
    tables = entity_rows([clean_application(), recommendation("浙江省", ["a", "b"])])
    assert tables["submissions"][0]["lead_main_industries"] == "机械、汽车"
    assert tables["submissions"][0]["slot_commitment"] is True and tables["submissions"][1]["slot_commitment"] is None
    assert tables["contracts"][0]["date"].isoformat() == "2024-03-05" and tables["contracts"][2]["position"] == 3
    assert [row["name"] for row in tables["recommended"]] == ["a", "b"]
    assert tables["recommendations"][0]["province"] == "浙江省"


# Databases: SQLite and PostgreSQL alike


def test_schema_is_created_on_first_use(db_url: str, corpus: list[models.OutputRecord]) -> None:
    where = DatabaseSink(db_url).write(corpus[:1])
    assert ":dtpc_test@" not in where  # the password is not shown
    engine = sa.create_engine(database_url(db_url))
    try:
        names = set(sa.inspect(engine).get_table_names())
        assert set(ENTITIES) | {"dtpc_schema"} <= names
        keys = sa.inspect(engine).get_pk_constraint("contracts")["constrained_columns"]
        assert keys == ["sha256", "position"]
        assert {fk["referred_table"] for fk in sa.inspect(engine).get_foreign_keys("finance")} == {"submissions"}
    finally:
        engine.dispose()
    assert query(db_url, "SELECT value FROM dtpc_schema WHERE key = 'version'") == [("1",)]


def test_rows_are_present_with_the_right_counts(db_url: str, corpus: list[models.OutputRecord]) -> None:
    DatabaseSink(db_url).write(corpus)
    stored = counts_by_file(db_url)
    for record in corpus:
        assert stored[record.source.sha256] == expected_counts(record), record.source.file
    record = application(corpus)
    sha = record.source.sha256
    [(name, established, members)] = query(
        db_url, "SELECT lead_name, lead_established, member_count FROM submissions WHERE sha256 = :sha", sha=sha)
    lead = record.basic_info.lead_unit
    assert (name, str(established), members) == (lead.name, str(lead.established), len(record.basic_info.members))
    assert query(db_url, "SELECT name FROM members WHERE sha256 = :sha ORDER BY position", sha=sha) == [
        (member.name,) for member in record.basic_info.members]
    assert query(db_url, "SELECT year, contract_amount FROM service WHERE sha256 = :sha ORDER BY year", sha=sha) == [
        (entry.year, entry.contract_amount) for entry in record.basic_info.service]
    first = record.appendix.contracts[0]
    [(date, enterprise, amount)] = query(
        db_url, "SELECT date, enterprise, amount FROM contracts WHERE sha256 = :sha AND position = 1", sha=sha)
    assert (str(date), enterprise, amount) == (str(first.date), first.enterprise, first.amount)
    [(stored,)] = query(db_url, "SELECT record FROM submissions WHERE sha256 = :sha", sha=sha)
    assert parse_record(stored if isinstance(stored, dict) else json.loads(stored)) == record


def test_checks_keep_their_evidence(db_url: str, corpus: list[models.OutputRecord]) -> None:
    record = next(r for r in corpus if r.checks)
    DatabaseSink(db_url).write([record])
    rows = query(db_url, 'SELECT code, "where", expected, found, evidence, evidence_pages FROM checks '
                 "WHERE sha256 = :sha ORDER BY position", sha=record.source.sha256)
    code, _, expected, found, evidence, pages = rows[0]
    evidence = evidence if isinstance(evidence, list) else json.loads(evidence)
    assert (code, expected, found, pages) == (record.checks[0].code, "1.5", "一", "1、2")
    assert evidence == [{"page": 1, "bbox": [1.0, 2.0, 3.0, 4.0], "image": None},
                        {"page": 2, "bbox": None, "image": None}]


def test_writing_the_same_record_twice_duplicates_nothing(db_url: str, corpus: list[models.OutputRecord]) -> None:
    DatabaseSink(db_url).write(corpus)
    once = counts(db_url)
    DatabaseSink(db_url).write(corpus)
    DatabaseSink(db_url).write(corpus[:2])
    assert counts(db_url) == once
    assert once["submissions"] == len(corpus)


def test_a_changed_record_replaces_its_rows(db_url: str, corpus: list[models.OutputRecord]) -> None:
    record, other = application(corpus), application(corpus, "a02-digital.pdf")
    DatabaseSink(db_url).write([record, other])
    before_other = counts(db_url, other.source.sha256)
    record.appendix.contracts = record.appendix.contracts[:1]
    record.basic_info.members = []
    record.cover.applicant = "新名称有限公司"
    record.checks = [models.Check(code="X", severity="warning")]
    DatabaseSink(db_url).write([record])
    assert counts(db_url, record.source.sha256) == expected_counts(record)
    assert counts(db_url, record.source.sha256)["contracts"] == 1
    assert query(db_url, "SELECT cover_applicant, warnings, errors FROM submissions WHERE sha256 = :sha",
                 sha=record.source.sha256) == [("新名称有限公司", 1, 0)]
    assert counts(db_url, other.source.sha256) == before_other


def test_a_failing_write_leaves_the_previous_rows(db_url: str, corpus: list[models.OutputRecord]) -> None:
    record, other = application(corpus), application(corpus, "a02-digital.pdf")
    DatabaseSink(db_url).write([record, other])
    before = counts(db_url, record.source.sha256)
    broken = record.model_copy(deep=True)
    broken.appendix.contracts = []
    broken.source.pages.append(broken.source.pages[0])  # the same page twice: the pages key refuses it
    changed = other.model_copy(deep=True)
    changed.appendix.contracts = changed.appendix.contracts[:2]
    sink = DatabaseSink(db_url)
    with pytest.raises(DatabaseWriteError) as raised:
        sink.write([broken, changed])
    assert [file for file, _ in raised.value.failures] == [record.source.file]
    assert counts(db_url, record.source.sha256) == before  # rolled back: old rows, not a half-written file
    assert counts(db_url, other.source.sha256)["contracts"] == 2  # its own transaction went through


def test_text_with_nul_characters_is_stored(db_url: str) -> None:
    record = clean_application()
    record.cover.applicant = "某某\x00科技"
    record.plan.sections[0].text = "正文\x00"
    DatabaseSink(db_url).write([record])
    assert query(db_url, "SELECT cover_applicant FROM submissions") == [("某某科技",)]
    assert query(db_url, "SELECT text FROM plan_sections WHERE position = 1") == [("正文",)]


def test_a_foreign_table_of_the_same_name_is_refused(tmp_path: Path, corpus: list[models.OutputRecord]) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE dtpc_schema (key TEXT, value TEXT)"))
        connection.execute(sa.text("CREATE TABLE seals (id INTEGER)"))
    engine.dispose()
    with pytest.raises(SchemaMismatchError, match="seals"):
        DatabaseSink(url).write(corpus[:1])


def test_what_flattening_did_to_a_page_is_stored(tmp_path: Path, corpus: list[models.OutputRecord]) -> None:
    record = corpus[0].model_copy(deep=True)
    record.source.pages[0].flattening = models.PageFlattening(
        quad=[[10.0, 12.0], [1200.0, 8.0], [1210.0, 1700.0], [6.0, 1705.0]], curl=14.5, dewarped=True)
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    DatabaseSink(url).write([record])
    [(stored,)] = query(url, "SELECT flattening FROM pages WHERE page = 1")
    assert json.loads(stored)["curl"] == 14.5 and json.loads(stored)["dewarped"] is True


def test_columns_a_later_dtpc_declares_are_added_to_an_earlier_database(
        tmp_path: Path, corpus: list[models.OutputRecord]) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    DatabaseSink(url).write(corpus[:1])
    engine = sa.create_engine(url)
    with engine.begin() as connection:  # the checks table as dtpc made it before findings had a confidence
        connection.execute(sa.text("ALTER TABLE checks DROP COLUMN confidence"))
    engine.dispose()
    DatabaseSink(url).write(corpus[:2])
    assert query(url, "SELECT count(*) FROM checks WHERE confidence IS NOT NULL")[0][0] > 0


def test_an_older_dtpc_database_is_rebuilt(tmp_path: Path, corpus: list[models.OutputRecord]) -> None:
    path = tmp_path / "dtpc.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE documents (file TEXT, record TEXT)"))
        connection.execute(sa.text("CREATE TABLE checks (file TEXT, position INTEGER, code TEXT)"))
    engine.dispose()
    DatabaseSink(path).write(corpus)
    assert counts(f"sqlite:///{path}")["submissions"] == len(corpus)
    assert query(f"sqlite:///{path}", "SELECT name FROM sqlite_master WHERE name = 'documents'") == []


def test_urls_use_psycopg_and_hide_the_password() -> None:
    url = database_url("postgresql://dtpc:secret@127.0.0.1:5432/dtpc")
    assert url.drivername == "postgresql+psycopg"
    assert database_url("postgres://u@h/d").drivername == "postgresql+psycopg"
    assert public_url(url) == "postgresql+psycopg://dtpc@127.0.0.1:5432/dtpc"
    assert database_url("out/dtpc.sqlite").render_as_string() == "sqlite:///out/dtpc.sqlite"
    assert str(DatabaseSink("sqlite:///x.sqlite")) == "sqlite:///x.sqlite"


# Files: JSON, Parquet, CSV, Excel


@pytest.fixture
def out_dir(tmp_path: Path, corpus: list[models.OutputRecord]) -> Path:
    out = tmp_path / "out"
    JsonSink(out).write(corpus[:6])
    JsonSink(out / "more").write(corpus[6:])
    (out / "batch_summary.json").write_text(json.dumps({"files": 12}), encoding="utf-8")
    (out / "batch.json").write_text("[1, 2]", encoding="utf-8")
    (out / "broken.json").write_text("{", encoding="utf-8")
    return out


def test_json_sink_writes_contract_json_atomically(tmp_path: Path) -> None:
    record = clean_application("x.pdf")
    JsonSink(tmp_path).write([record])
    assert parse_record((tmp_path / "x.pdf.json").read_text(encoding="utf-8")) == record
    assert [path.name for path in tmp_path.iterdir()] == ["x.pdf.json"]


def test_records_are_read_back_skipping_other_json(out_dir: Path, corpus: list[models.OutputRecord]) -> None:
    assert sorted(r.source.file for r in read_records(out_dir)) == sorted(r.source.file for r in corpus)


def test_parquet_has_one_typed_file_per_entity(out_dir: Path, corpus: list[models.OutputRecord]) -> None:
    import pyarrow.parquet as pq

    written = export_tables(out_dir, "parquet")
    assert sorted(path.name for path in written) == sorted(f"{name}.parquet" for name in ENTITIES)
    assert all(path.parent == out_dir / "tables" for path in written)
    contracts = pq.read_table(out_dir / "tables" / "contracts.parquet")
    assert str(contracts.schema.field("date").type) == "date32[day]"
    assert str(contracts.schema.field("amount").type) == "double"
    assert contracts.num_rows == sum(expected_counts(r)["contracts"] for r in corpus)
    submissions = pd.read_parquet(out_dir / "tables" / "submissions.parquet")
    assert "record" not in submissions.columns and len(submissions) == len(corpus)
    record = application(corpus)
    row = submissions[submissions["file"] == record.source.file].iloc[0]
    assert row["lead_name"] == record.basic_info.lead_unit.name and "公司" in row["lead_name"]
    recommended = pd.read_parquet(out_dir / "tables" / "recommended.parquet")
    assert len(recommended) == sum(expected_counts(r)["recommended"] for r in corpus)


def test_csv_is_utf8_with_bom_for_excel(out_dir: Path, tmp_path: Path, corpus: list[models.OutputRecord]) -> None:
    target = tmp_path / "csv"
    export_tables(out_dir, "csv", target)
    raw = (target / "members.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    members = pd.read_csv(target / "members.csv", encoding="utf-8-sig")
    assert list(members.columns) == ["sha256", "position", "file", "name", "type"]
    record = application(corpus)
    assert list(members[members["file"] == record.source.file]["name"]) == [m.name for m in record.basic_info.members]
    contracts = pd.read_csv(target / "contracts.csv", encoding="utf-8-sig", dtype=str)
    assert contracts["date"].dropna().str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_xlsx_has_a_sheet_per_entity_and_flags(out_dir: Path, corpus: list[models.OutputRecord]) -> None:
    [path] = export_tables(out_dir, "xlsx")
    assert path == out_dir / "dtpc.xlsx"
    sheets = pd.read_excel(path, sheet_name=None)
    assert set(sheets) == set(ENTITIES) | {"flags"}
    assert list(sheets)[:2] == ["submissions", "flags"]
    flags = sheets["flags"]
    assert len(flags) == sum(len(r.checks) for r in corpus)
    assert {"file", "applicant", "severity", "code", "message", "evidence_pages"} <= set(flags.columns)
    assert flags["message"].str.endswith("检查").all()
    record = application(corpus)
    assert record.cover.applicant in set(sheets["submissions"]["cover_applicant"])
    assert len(sheets["provenance"]) == sum(len(r.provenance) for r in corpus)
    assert list(sheets["recommendations"].columns) == [c.name for c in ENTITIES["recommendations"].columns]


def test_xlsx_drops_characters_excel_refuses(tmp_path: Path) -> None:
    record = clean_application()
    record.cover.applicant = "某某\x0c科技"
    [path] = export_tables(tmp_path, "xlsx", records=[record])
    assert pd.read_excel(path, sheet_name="submissions")["cover_applicant"][0] == "某某科技"


def test_export_command(out_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["export", str(out_dir), "--format", "csv", "-o", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t" / "checks.csv").exists()
    result = runner.invoke(app, ["export", str(out_dir), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    assert (out_dir / "dtpc.xlsx").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(app, ["export", str(empty), "--format", "parquet"]).exit_code == 1
