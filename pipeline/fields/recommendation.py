"""The province's recommendation (附件2): the letter's names and date, and the 推荐表's rows."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from models import (
    Provenance,
    Recommendation,
    Recommended,
)
from models.page import Page
from pipeline import normalise
from pipeline.config import Settings
from pipeline.fields.common import Sink
from pipeline.fields.cover import labelled_value
from pipeline.fields.unit_name import ALIKE  # two readings this alike are one unit's name misread
from pipeline.ocr import OcrEngine
from pipeline.result import Extracted
from pipeline.tables.appendix import Layout, iter_rows, ocr_engine
from pipeline.tables.cells import Table, lines_of
from pipeline.tables.finder import NOTE_MARKS, find_tables, text_table
from pipeline.tables.headers import SEQ, Column, TableSpec, find_header
from pipeline.tables.values import (
    FieldValue,
)

# --- the recommendation (附件2) -----------------------------------------------------------

RECOMMENDED = TableSpec(
    "recommended", "recommendation_table", ("制造业数字化转型促进中心推荐表",),
    (SEQ, Column("name", ("申报对象名称", "对象名称")),
     Column("industries", ("所服务的主要行业", "所服务的行业", "服务的主要行业", "行业"), "industries"),
     Column("policies", ("省市两级给予建设主体的相关政策", "相关政策", "政策"))),
)
_TABLE_TITLE = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:[（(]区[、,，]?市[)）])?制造业数字化转型促进中心推荐表")
_LETTER_NAMES = re.compile(r"现推荐(.+?)(?:[（(]数促中心申报对象名称[)）])?(?:建设|作为|申报)")
_MISREAD_SEPARATORS = ".．·。, "
_NAME_SEPARATORS = re.compile(r"[、，,；;]|(?<=[司院心所校])和|(?<=[司院心所校])及")


def _page_text(page: Page) -> str:
    return "\n".join("".join(w.text for w in line) for line in lines_of(page.words))


def province_of(text: str) -> str | None:
    """The recommending province (or city) named in the 推荐表 title: 浙江省, 宁波市 …"""
    match = _TABLE_TITLE.search(re.sub(r"\s+", "", normalise.nfkc_keep_cjk_punctuation(text)))
    if match is None:
        return None
    name = re.sub(r"^(附表?[:：]?|附件\d*[:：]?)", "", match.group(1))
    # The line above run in ('2026年6月29日' · '宁波市…推荐表' read '日宁波市'): a place the notice goes to
    # that ends what was read is the place.
    return next((place for place in normalise.NOTICE_PLACES if name.endswith(place)), None) or _slipped_place(name) or name or None


def _slipped_place(name: str) -> str | None:
    """The one place the notice goes to that ends `name` but for one character misread ('宁滚市' for 宁波市, a phone
    photo): the places are a closed list; where two are that near ('湖?省': 湖北省, 湖南省) neither is taken."""
    near = {place for place in normalise.NOTICE_PLACES
            if len(name) >= len(place) and sum(a != b for a, b in zip(name[-len(place):], place, strict=True)) == 1}
    return near.pop() if len(near) == 1 else None


def letter_names(text: str) -> list[str]:
    """Names in the letter's 现推荐 A、B 建设… sentence, as printed."""
    match = _LETTER_NAMES.search(re.sub(r"\s+", "", text))
    if match is None:
        return []
    names = (normalise.clean_name(part) for part in _NAME_SEPARATORS.split(match.group(1)))
    # A 、 misread as a point leaves it on the next name once `run_together` has parted the two.
    parts = (part.strip(_MISREAD_SEPARATORS) for name in names if name and name != "XX" for part in run_together(name))
    return [part.removesuffix("等") for part in parts if part]


# The end of a unit's name: where two names run together (their 、 lost in reading), one ends here. Not
# 大学, 学院 or 集团: "…大学…研究院" and "…集团…有限公司" are most often one unit's name.
_UNIT_END = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|研究院|研究所|中心)")
_ENDS_AS_UNIT = re.compile(f"(?:{_UNIT_END.pattern})$")
MIN_UNIT_NAME = 6  # characters of the shortest unit name (place + trade + legal form)


def run_together(name: str) -> list[str]:
    """`name` as the unit names it holds: '…研究院台州…有限公司' is two when both parts end as a unit's
    name ends and are long enough to be one; one name otherwise."""
    for match in _UNIT_END.finditer(name):
        left, right = name[:match.end()], name[match.end():]
        if len(left) >= MIN_UNIT_NAME and len(right) >= MIN_UNIT_NAME and _ENDS_AS_UNIT.search(right):
            return [left, *run_together(right)]
    return [name]


# A colon introduces what follows a short heading ('省级：…'); one closing a whole clause this long
# ('…给予300万元补助：太原市…') is the policies' '；' misread (the two differ only in the lower dot's tail).
CLAUSE_MIN = 10
_COLON = re.compile(r"(?<!\d)[:：](?!\d)")


def semicolons_restored(text: str) -> str:
    """`text` with each colon that closes a clause of `CLAUSE_MIN` characters or more read as '；' (as ';'
    where the text's own semicolons are half-width, as NFKC leaves them)."""
    mark = "；" if "；" in text else ";"
    out, start = [], 0
    for match in _COLON.finditer(text):
        clause = re.split(r"[;；。]", text[start:match.start()])[-1]
        out.append(text[start:match.start()])
        out.append(mark if len(clause.strip()) >= CLAUSE_MIN else match.group())
        start = match.end()
    return "".join(out) + text[start:]


def _letter_date(page: Page) -> tuple[object, Provenance] | None:
    """The last date on the letter (the one under the seal), with where it is."""
    for line in reversed(lines_of(page.words)):
        text = "".join(w.text for w in line)
        date = normalise.parse_date(text)
        if date is not None:
            _, provenance = labelled_value(text, line, page.number)
            return date, provenance
    return None


def _recommended_rows(pages: Sequence[Page], engine: OcrEngine | None, sink: Sink, settings: Settings) -> list[Recommended]:
    rows: list[Recommended] = []
    layout: Layout | None = None
    for page in pages:
        for table in _page_tables(page, engine, settings):
            header = find_header(table, page.role, (RECOMMENDED,))
            start = 0
            if header is not None:
                layout, start = Layout.of(table, header), header.row + 1
            elif layout is None or layout.fit(table) is None:
                continue
            fitted = layout if header is not None else layout.fit(table)
            assert fitted is not None
            for values in iter_rows(table, fitted, start):
                name = values.get("name")
                if name is None or not name.value:
                    continue
                index = len(rows)
                path = f"recommendation.recommended[{index}]"
                seq = values.get("seq")
                rank = seq.value if seq is not None and isinstance(seq.value, int) and seq.value > 0 else index + 1
                for key, value in values.items():
                    sink.put(f"{path}.{'rank' if key == 'seq' else key}", value)
                policies, industries = values.get("policies"), values.get("industries")
                rows.append(Recommended(rank=rank, name=str(name.value),
                                        industries=industries.value if industries and industries.value else [],
                                        policies=semicolons_restored(str(policies.value))
                                        if policies and policies.value else None))
    return rows


def _page_tables(page: Page, engine: OcrEngine | None, settings: Settings) -> list[Table]:
    """The page's tables; below a 推荐表 title with no ruled table under it that names the 推荐表's
    columns (rules too faint to find on a small phone photo, or found as scraps), a table made from
    the text alone."""
    # A list table (each row opens with its 序号): rows the rules left joined are cut at them.
    tables = find_tables(page, engine, settings.low_confidence, keyed_rows=True).tables
    region = _below_title(page)
    if region is None or any(table.bbox[1] >= region[1] - 1 and find_header(table, page.role, (RECOMMENDED,))
                             for table in tables):
        return tables
    fallback = text_table(page, region)
    return tables if fallback is None else [*tables, fallback]


def _below_title(page: Page) -> tuple[float, float, float, float] | None:
    """The band between the 推荐表's title (the last line naming it: the letter above names it
    too, in its 附：… line) and the notes under the table (注：…), or None without a title."""
    lines = [(re.sub(r"\s+", "", normalise.nfkc_keep_cjk_punctuation("".join(w.text for w in line))), line)
             for line in lines_of(page.words)]
    titles = [i for i, (text, _) in enumerate(lines) if _TABLE_TITLE.search(text)]
    if not titles:
        return None
    top = max(w.bbox[3] for w in lines[titles[-1]][1])
    # The notes run across the columns' gaps: inside the band they would close them.
    notes = [min(w.bbox[1] for w in line) for text, line in lines[titles[-1] + 1:] if text.startswith(NOTE_MARKS)]
    return 0.0, top, page.width, notes[0] if notes else page.height


def extract_recommendation(pages: list[Page], settings: Settings) -> Extracted[Recommendation]:
    """附件2: province, date, the 推荐表 rows in priority order, and the names the letter recommends."""
    sink = Sink(settings)
    readable = [p for p in pages if not p.error]
    letters = [p for p in readable if p.role == "recommendation_letter" or "现推荐" in p.text]
    # A one-page scan holds the letter and the 推荐表 under it: a letter page is searched for the table too.
    tables = [p for p in readable if p.role == "recommendation_table" or "推荐表" in p.text]
    recommendation = Recommendation()
    for page in [*tables, *(p for p in letters if p not in tables)]:
        province = province_of(_page_text(page))
        if province:
            recommendation.province = province
            sink.provenance["recommendation.province"] = Provenance(page=page.number, source=_source(page))
            break
    for page in letters:
        names = letter_names(_page_text(page))
        if names and not recommendation.letter_names:
            recommendation.letter_names = names
        dated = _letter_date(page)
        if dated is not None and recommendation.date is None:
            recommendation.date = sink.put("recommendation.date", FieldValue(dated[0], "", dated[1]))  # type: ignore[assignment]
    recommendation.recommended = _recommended_rows(tables, ocr_engine(tables, settings), sink, settings)
    agree_with_letter(recommendation, sink.provenance)
    return Extracted(recommendation, sink.provenance, sink.checks)


LETTER_RULE = "LETTER_NAMES_TABLE"
_STRAY = re.compile(r"[0-9A-Za-z.,:;!?'\"|_~]")


def _trust(name: str, from_letter: bool) -> tuple[bool, bool, bool]:
    """Which reading of a name to trust: one that ends as a unit's name, one without stray digits or
    Latin marks inside, then the letter's (a line of prose, read whole, where the table's cell is a
    narrow one its name wraps in)."""
    return bool(_ENDS_AS_UNIT.search(name)), not _STRAY.search(name), from_letter


def agree_with_letter(recommendation: Recommendation, provenance: dict[str, Provenance]) -> None:
    """A 推荐表 row's name and the letter's name of the same unit made one reading where they are
    one name misread; the other reading and the rule are recorded in the row's provenance."""
    letter = list(recommendation.letter_names)
    for index, entry in enumerate(recommendation.recommended):
        if not entry.name or entry.name in letter:
            continue
        alike = [name for name in letter if fuzz.ratio(name, entry.name) / 100.0 >= ALIKE]
        if len(alike) != 1 or any(other.name == alike[0] for other in recommendation.recommended):
            continue
        path = f"recommendation.recommended[{index}].name"
        origin = provenance.get(path)
        # A text layer's name is as printed: a letter that spells it otherwise is the applicant's own.
        if origin is None or origin.source == "text" or _trust(alike[0], True) <= _trust(entry.name, False):
            continue
        provenance[path] = origin.model_copy(update={"alternatives": [entry.name], "resolved_by": LETTER_RULE})
        entry.name = alike[0]


def _source(page: Page) -> str:
    return "text" if page.kind == "text" else "ocr"
