"""The declared, normalised schema every tabular output shares (databases, Parquet, CSV, Excel).

One row per file in `submissions`, keyed by the file's sha256; every other table hangs off it by
`sha256` plus its position in the record's list (or the year, page number or provenance path).
Every row also carries the file's name, so a table read on its own still says where it came from.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

SCHEMA_VERSION = "1"

metadata = sa.MetaData()

# JSON in the database (JSONB on PostgreSQL, text on SQLite); a JSON string in files.
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _sha256(primary_key: bool = True) -> sa.Column[str]:
    return sa.Column("sha256", sa.String(64), sa.ForeignKey("submissions.sha256", ondelete="CASCADE"),
                     primary_key=primary_key)


def _file() -> sa.Column[str]:
    return sa.Column("file", sa.Text, nullable=False)


def _position() -> sa.Column[int]:
    return sa.Column("position", sa.Integer, primary_key=True, autoincrement=False)


def _year() -> sa.Column[int]:
    return sa.Column("year", sa.Integer, primary_key=True, autoincrement=False)


def _box() -> list[sa.Column[float]]:
    return [sa.Column(name, sa.Float) for name in ("x0", "top", "x1", "bottom")]


APPLICATION_SLOTS = ("cover_applicant", "cover_recommender", "commitment", "appendix2_table1", "appendix2_table2",
                     "appendix2_table3", "appendix3_table1", "appendix3_table2", "appendix3_table3")
RECOMMENDATION_SLOTS = ("recommendation_letter", "recommendation_table")

submissions = sa.Table(
    "submissions", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("file", sa.Text, nullable=False, index=True),
    sa.Column("doc_type", sa.String(16), nullable=False),
    sa.Column("schema_version", sa.String(8), nullable=False),
    sa.Column("page_count", sa.Integer, nullable=False),
    sa.Column("errors", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    sa.Column("infos", sa.Integer, nullable=False),
    # Application: cover, lead unit, head, plan summary, seal slots, signature (null for other kinds).
    sa.Column("cover_applicant", sa.Text),
    sa.Column("cover_recommender", sa.Text),
    sa.Column("cover_contact", sa.Text),
    sa.Column("cover_phone", sa.Text),
    sa.Column("cover_fill_date", sa.Date),
    sa.Column("lead_name", sa.Text),
    sa.Column("lead_credit_code", sa.Text),
    sa.Column("lead_established", sa.Date),
    sa.Column("lead_is_legal_person", sa.Boolean),
    sa.Column("lead_registered_capital", sa.Float),
    sa.Column("lead_registered_address", sa.Text),
    sa.Column("lead_main_industries", sa.Text),
    sa.Column("lead_unit_type", sa.Text),
    sa.Column("lead_unit_type_other", sa.Text),
    sa.Column("head_name", sa.Text),
    sa.Column("head_title", sa.Text),
    sa.Column("head_mobile", sa.Text),
    sa.Column("head_email", sa.Text),
    sa.Column("member_count", sa.Integer),
    sa.Column("content_areas", sa.Text),
    sa.Column("goal_years", sa.Text),
    sa.Column("goal_kinds", sa.Text),
    *[sa.Column(f"slot_{name}", sa.Boolean) for name in APPLICATION_SLOTS + RECOMMENDATION_SLOTS],
    sa.Column("signature_legal_rep", sa.Boolean),
    sa.Column("signature_crop", sa.Text),
    # The whole record as the contract's JSON (databases only; too large for a spreadsheet cell).
    sa.Column("record", Json, nullable=False),
)

members = sa.Table(
    "members", metadata, _sha256(), _position(), _file(),
    sa.Column("name", sa.Text), sa.Column("type", sa.Text),
)

finance = sa.Table(
    "finance", metadata, _sha256(), _year(), _file(),
    sa.Column("revenue", sa.Float), sa.Column("net_margin", sa.Float), sa.Column("debt_ratio", sa.Float),
)

service = sa.Table(
    "service", metadata, _sha256(), _year(), _file(),
    sa.Column("enterprises", sa.Integer), sa.Column("contract_amount", sa.Float), sa.Column("trainees", sa.Integer),
)

resources = sa.Table(
    "resources", metadata, _sha256(), _year(), _file(),
    sa.Column("investors", sa.Integer), sa.Column("financing", sa.Float),
    sa.Column("universities", sa.Integer), sa.Column("providers", sa.Integer),
)

# The six appendix tables (附2表1–3, 附3表1–3), rows in document order.
products = sa.Table(
    "products", metadata, _sha256(), _position(), _file(),
    sa.Column("category", sa.Text), sa.Column("seq", sa.Integer), sa.Column("name", sa.Text),
)

contracts = sa.Table(
    "contracts", metadata, _sha256(), _position(), _file(),
    sa.Column("date", sa.Date), sa.Column("contract_no", sa.Text), sa.Column("enterprise", sa.Text),
    sa.Column("amount", sa.Float),
)

trainings = sa.Table(
    "trainings", metadata, _sha256(), _position(), _file(),
    sa.Column("date", sa.Date), sa.Column("name", sa.Text), sa.Column("participants", sa.Integer),
)

institutions = sa.Table(
    "institutions", metadata, _sha256(), _position(), _file(),
    sa.Column("category", sa.Text), sa.Column("seq", sa.Integer), sa.Column("name", sa.Text),
)

providers = sa.Table(
    "providers", metadata, _sha256(), _position(), _file(),
    sa.Column("seq", sa.Integer), sa.Column("name", sa.Text), sa.Column("industries", sa.Text),
    sa.Column("capability", sa.Text),
)

financings = sa.Table(
    "financings", metadata, _sha256(), _position(), _file(),
    sa.Column("seq", sa.Integer), sa.Column("investor", sa.Text), sa.Column("investee", sa.Text),
    sa.Column("amount", sa.Float),
)

plan_sections = sa.Table(
    "plan_sections", metadata, _sha256(), _position(), _file(),
    sa.Column("key", sa.Text, nullable=False), sa.Column("title", sa.Text), sa.Column("limit", sa.Integer),
    sa.Column("chars", sa.Integer), sa.Column("text", sa.Text),
)

seals = sa.Table(
    "seals", metadata, _sha256(), _position(), _file(),
    sa.Column("page", sa.Integer, nullable=False), *_box(), sa.Column("shape", sa.Text), sa.Column("text", sa.Text),
    sa.Column("slot", sa.Text), sa.Column("confidence", sa.Float), sa.Column("crop", sa.Text),
)

checks = sa.Table(
    "checks", metadata, _sha256(), _position(), _file(),
    sa.Column("code", sa.Text, nullable=False, index=True), sa.Column("severity", sa.String(8), nullable=False),
    sa.Column("where", sa.Text), sa.Column("message", sa.Text),
    # `expected`/`found` may be a number, text or a truth value: kept as text (numbers as written in JSON).
    sa.Column("expected", sa.Text), sa.Column("found", sa.Text),
    sa.Column("evidence", Json, nullable=False), sa.Column("evidence_pages", sa.Text),
    # How sure the finding is, and the readings in doubt it rests on (a doubtful comparison is a warning).
    sa.Column("confidence", sa.Float), sa.Column("doubts", Json), sa.Column("rests_on", Json),
    sa.Column("reason", sa.String(16)),  # INPUT_UNREADABLE: why, in one word
)

pages = sa.Table(
    "pages", metadata, _sha256(), sa.Column("page", sa.Integer, primary_key=True, autoincrement=False), _file(),
    sa.Column("kind", sa.Text), sa.Column("rotation", sa.Integer), sa.Column("skew_deg", sa.Float),
    sa.Column("role", sa.Text),
    sa.Column("flattening", Json),  # what page flattening did (quadrilateral, curl, light), null when nothing
    sa.Column("colour", sa.Boolean),  # the page image holds colour; null for a text layer
)

provenance = sa.Table(
    "provenance", metadata, _sha256(), sa.Column("path", sa.Text, primary_key=True), _file(),
    sa.Column("page", sa.Integer), *_box(), sa.Column("confidence", sa.Float), sa.Column("source", sa.Text),
    sa.Column("repaired_from", sa.Text),
    # The reader's other readings, the rule that picked among them, and whether an unread place was blank.
    sa.Column("alternatives", Json), sa.Column("resolved_by", sa.Text), sa.Column("blank", sa.Boolean),
    sa.Column("confirmed_by", Json),  # engines that read the same value again on its crop
)

recommendations = sa.Table(
    "recommendations", metadata, _sha256(), _file(),
    sa.Column("province", sa.Text), sa.Column("date", sa.Date), sa.Column("count", sa.Integer),
    sa.Column("letter_names", sa.Text),
)

recommended = sa.Table(
    "recommended", metadata, _sha256(), _position(), _file(),
    sa.Column("rank", sa.Integer), sa.Column("name", sa.Text), sa.Column("industries", sa.Text),
    sa.Column("policies", sa.Text),
)

# Which layout a database holds; not an entity.
schema_info = sa.Table(
    "dtpc_schema", metadata,
    sa.Column("key", sa.String(32), primary_key=True), sa.Column("value", sa.Text, nullable=False),
)

ENTITIES: dict[str, sa.Table] = {table.name: table for table in (
    submissions, members, finance, service, resources, products, contracts, trainings, institutions, providers,
    financings, plan_sections, seals, checks, pages, provenance, recommendations, recommended)}
APPENDIX_TABLES = ("products", "contracts", "trainings", "institutions", "providers", "financings")
YEAR_TABLES = ("finance", "service", "resources")
# Columns kept out of file exports (Parquet/CSV/Excel): the whole record is the JSON file itself.
DATABASE_ONLY = {"submissions": ("record",)}
