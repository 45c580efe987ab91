"""Checks across a batch: quotas and duplicates that no single record can show.

`run_batch_checks` returns the batch-level findings (for the batch summary) and adds each
one to every record involved, with that record's own evidence; `batch_summary` is the dict a
batch command writes as its summary file.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Hamming, LCSseq

from models import ApplicationRecord, Check, CheckedRecord, Evidence, RecommendationRecord
from models.codes import is_valid_credit_code
from pipeline.checks.catalogue import BATCH_CODES
from pipeline.checks.recommendation import recommended_names
from pipeline.checks.registry import apply_severity, finding, reading_in_doubt, role_of
from pipeline.checks.unit_names import garbled_reading_of, name_key, name_score
from pipeline.config import Settings
from pipeline.normalise import PROVINCE_LEVEL

NAME_PATHS = ("basic_info.lead_unit.name", "cover.applicant")


def _applicant_names(record: ApplicationRecord) -> list[str]:
    return list(dict.fromkeys(name for name in (record.basic_info.lead_unit.name, record.cover.applicant) if name))


def _candidate_names(record: ApplicationRecord) -> list[str]:
    """The applicant's names as read and their other readings (a name's `alternatives`: dev32 a02's
    '绍兴新委值息技本看限公司', also read '绍兴新安信息技术有限公司'): a recommended name matching another
    reading of the applicant's name is that applicant, as a total picks among a figure's readings."""
    others = [alternative for path in NAME_PATHS if (origin := record.provenance.get(path)) is not None
              for alternative in origin.alternatives if isinstance(alternative, str) and alternative]
    return list(dict.fromkeys([*_applicant_names(record), *others]))


def _read_names(record: ApplicationRecord) -> list[str]:
    """The applicant's names as read from pixels (OCR), where a slip or a lost character is no other name."""
    names = (record.basic_info.lead_unit.name, record.cover.applicant)
    return [name for name, path in zip(names, NAME_PATHS, strict=True)
            if name and (origin := record.provenance.get(path)) is not None and origin.source == "ocr"]


def _match_score(name: str, record: ApplicationRecord, threshold: float) -> float:
    """How well the application's names match `name`: the best `name_score`, and at least `threshold` (the
    weakest match) where a reading from pixels is `name` with characters lost or misread ('台州祥恒动化在公司')."""
    score = max(name_score(name, candidate) for candidate in _candidate_names(record))
    if score < threshold and any(runs_on(reading, name) for reading in _read_names(record)):
        return threshold
    if score < threshold and any(garbled_reading_of(reading, name) and 2 * len(name_key(reading)) >= len(name_key(name))
                                 for reading in _read_names(record)):
        return threshold  # at least half the name read: '有限公司' alone is any company's
    return score


RUN_ON_SHORTEST = 6  # characters of a name to take a reading beginning with it for it (a place and a legal form)


def runs_on(reading: str, name: str) -> bool:
    """Whether a reading from pixels is the whole of `name` with the text after it on its line run in: the
    cover's '杭州昌云建材有限公司（造单位4', its '（盖章）' read as one with the name on a phone photo. The
    name is there in full; what follows a bracket (（ once NFKC makes it '(') is not a name's."""
    text, unit = ("".join(unicodedata.normalize("NFKC", value).split()) for value in (reading, name))
    rest = text.removeprefix(unit)
    return len(unit) >= RUN_ON_SHORTEST and rest != text and rest.startswith("(")


def _label(record: ApplicationRecord) -> str:
    names = _applicant_names(record)
    return f"{names[0]}（{record.source.file}）" if names else record.source.file


def match_application(name: str, applications: Sequence[ApplicationRecord],
                      threshold: float = 85.0) -> ApplicationRecord | None:
    """The application whose lead unit (or cover applicant) best matches `name`, if close enough."""
    best: tuple[float, ApplicationRecord | None] = (0.0, None)
    for record in applications:
        for candidate in _candidate_names(record):
            score = name_score(name, candidate)
            if score > best[0]:
                best = (score, record)
    return best[1] if best[0] >= threshold else None


def match_names(names: Sequence[str], applications: Sequence[ApplicationRecord],
                threshold: float) -> dict[int, ApplicationRecord]:
    """Each recommended name (by position) to an application, one application per name, best pairs first.

    Tolerant to OCR slips and to 有限公司/有限责任公司, but one application is never claimed by two
    names: a second name close to an already matched application is not found.
    """
    pairs = sorted(((_match_score(name, record, threshold), i, j) for i, name in enumerate(names)
                    for j, record in enumerate(applications) if _applicant_names(record)),
                   reverse=True)
    matched: dict[int, ApplicationRecord] = {}
    taken: set[int] = set()
    for score, i, j in pairs:
        if score < threshold:
            break
        if i not in matched and j not in taken:
            matched[i] = applications[j]
            taken.add(j)
    return matched


@dataclass
class _Batch:
    settings: Settings
    summary: list[Check] = field(default_factory=list)

    def add(self, check: Check, records: Sequence[tuple[CheckedRecord, list[Evidence]]]) -> None:
        """`check` into the summary, and onto each record with that record's evidence."""
        [check] = apply_severity([check], self.settings)
        self.summary.append(check)
        for record, evidence in records:
            if all((c.code, c.where) != (check.code, check.where) for c in record.checks):
                record.checks.append(check.model_copy(update={"evidence": evidence}))


def _evidence(record: CheckedRecord, *paths: str) -> list[Evidence]:
    """Where `paths` were read on this record; else the first page of the part they belong to."""
    found = [Evidence(page=origin.page, bbox=origin.bbox) for path in paths
             if (origin := record.provenance.get(path)) is not None]
    if found or not paths:
        return found
    role = role_of(paths[0])
    return [Evidence(page=page.page) for page in record.source.pages if page.role == role][:1]


@dataclass
class _Letter:
    """One recommendation's names (in order, each once), where each was read, and the applications matched."""

    record: RecommendationRecord
    in_order: list[str]
    names: list[str]
    read_rows: int
    from_table: bool
    matched: dict[int, ApplicationRecord]
    by_elimination: set[int] = field(default_factory=set)  # matched only as the one application left (a doubt)

    def path(self, index: int) -> str:
        at = self.in_order.index(self.names[index])
        return f"recommendation.recommended[{at}].name" if self.from_table else "recommendation.province"

    def reported(self, index: int) -> bool:
        # A name only the letter gave (its table row lost) counts where it finds its application; unfound,
        # it is not reported: as before, the letter's names are looked up only where no table was read.
        return not self.from_table or self.in_order.index(self.names[index]) < self.read_rows


def _letter(recommendation: RecommendationRecord, applications: Sequence[ApplicationRecord], threshold: float) -> _Letter:
    in_order = recommended_names(recommendation, threshold)
    names = list(dict.fromkeys(in_order))  # a unit listed twice (or one row read twice) is one unit
    return _Letter(recommendation, in_order, names,
                   read_rows=sum(1 for entry in recommendation.recommendation.recommended if entry.name),
                   from_table=bool(recommendation.recommendation.recommended),
                   matched=match_names(names, applications, threshold))


def _recommendation_checks(batch: _Batch, recommendations: Sequence[RecommendationRecord],
                           applications: Sequence[ApplicationRecord]) -> None:
    rules = batch.settings.checks
    letters = [_letter(recommendation, applications, rules.name_match_threshold) for recommendation in recommendations]
    _match_by_elimination(letters, applications, batch.settings)
    by_province: dict[str, list[tuple[_Letter, int]]] = defaultdict(list)
    for letter in letters:
        recommendation = letter.record
        for index, name in enumerate(letter.names):
            if index in letter.matched:
                if letter.matched[index].basic_info.members:
                    by_province[_letter_province(letter) or ""].append((letter, index))
            elif letter.reported(index):
                path = letter.path(index)
                check = finding("RECOMMENDED_NOT_FOUND", name,
                                f"{recommendation.recommendation.province or '推荐单位'}推荐的“{name}”"
                                f"与本批 {len(applications)} 份申报材料的申报单位均不匹配，请核对名称或补充申报材料",
                                found=name)
                if (why := _name_in_doubt(name)) is not None:
                    check = _unfound_name_doubt(check, path, why)
                batch.add(check, [(recommendation, _evidence(recommendation, path))])
    for province, pairs in by_province.items():
        consortia = list({id(letter.matched[index]): letter.matched[index] for letter, index in pairs}.values())
        if len(consortia) <= rules.max_consortia_per_province:
            continue
        listed = "、".join(_label(app) for app in consortia)
        records = list({id(letter.record): letter.record for letter, _ in pairs}.values())
        check = finding("CONSORTIUM_QUOTA_EXCEEDED", province,
                        f"{province or '同一推荐单位'}推荐了 {len(consortia)} 个联合体（{listed}），"
                        f"超过每省 {rules.max_consortia_per_province} 个的上限",
                        expected=rules.max_consortia_per_province, found=len(consortia))
        guessed = [(letter, index) for letter, index in pairs if index in letter.by_elimination]
        if guessed and len(consortia) - len(guessed) <= rules.max_consortia_per_province:
            # The quota is exceeded only with an application a name read in doubt was matched to as the one
            # left: a doubt (its message says which), never an error.
            read = "、".join(f"“{letter.names[index]}”视为{_label(letter.matched[index])}" for letter, index in guessed)
            check = check.model_copy(update={
                "severity": "warning", "doubts": [letter.path(index) for letter, index in guessed],
                "message": f"{check.message}。但所依据的推荐名称读数存疑，请人工核对：{read}"})
        batch.add(check, [*((rec, _evidence(rec, "recommendation.province")) for rec in records),
                          *((app, _evidence(app, *(f"basic_info.members[{i}]" for i in range(len(app.basic_info.members)))))
                            for app in consortia)])


# The 计划单列市 and the province each lies in (public fact): a city's recommendation is of that province's units.
PLAN_CITY_PROVINCES = {"大连": "辽宁省", "青岛": "山东省", "宁波": "浙江省", "厦门": "福建省", "深圳": "广东省"}


def _province_of(place: str | None) -> str | None:
    """The province-level division a department's or an address's text opens with (a plan city's province)."""
    if not place:
        return None
    text = "".join(place.split())
    for city, province in PLAN_CITY_PROVINCES.items():
        if text.startswith(city):
            return province
    return next((province for province in PROVINCE_LEVEL if text.startswith(province)), None)


def _application_province(record: ApplicationRecord) -> str | None:
    """Where an application is from: the department its cover names as recommender, else its address."""
    return _province_of(record.cover.recommender) or _province_of(record.basic_info.lead_unit.registered_address)


def _letter_province(letter: _Letter) -> str | None:
    """The recommendation's province as read; where it was not read, the one province of every application its
    names matched (a photographed letter whose title did not read, dev36 r13: its consortia are that
    province's)."""
    if letter.record.recommendation.province:
        return letter.record.recommendation.province
    provinces = {_application_province(app) for app in letter.matched.values()}
    return provinces.pop() if len(provinces) == 1 and None not in provinces else None


# Characters a unit's name opens with for its place (宁波, 绍兴): a trade name follows.
PLACE_CHARS = 2
# How a unit's name ends (its legal form), longest first: what is left between place and form is its own.
NAME_ENDINGS = ("股份有限公司", "集团有限公司", "有限责任公司", "有限公司", "创新中心", "研究院", "研究所", "中心", "公司")
# Characters of a name's own part (between place and legal form) two readings must share, in order, to be one
# unit's: one industry word ('自动化') is shared by many units, a trade name and a word by one.
MIN_OWN_SHARED = 3


def _own_part(name: str, ending: str) -> str:
    key = name_key(name)
    return key[PLACE_CHARS:max(PLACE_CHARS, len(key) - len(ending))]


def _own_shared(reading: str, name: str) -> int:
    """Characters of `name`'s own part (its place and legal form left out) that `reading`'s holds in order,
    where at least `MIN_OWN_SHARED` and half of the own part; else 0. Two units of one place and form share
    none of it but by chance ('宁波航德自动化有限公司' and '宁波汇祥精密机械集团有限公司'), a garbled reading of
    the unit most of it ('中途选天数字科技有限公司' of '宁波达天数字科技有限公司': 天数字科技)."""
    shared = _own_share(reading, name)
    return shared if shared >= MIN_OWN_SHARED and 2 * shared >= len(_own_part(name, _ending(name))) else 0


def _match_by_elimination(letters: Sequence[_Letter], applications: Sequence[ApplicationRecord],
                          settings: Settings) -> None:
    """A recommended name read in doubt that matched no application, matched to the one application of its
    province no letter's name matched whose name's own part it shares (`_own_shared`), where no other such
    application shares as much and the name is that application's best: a name garbled on a photographed letter
    (dev30 r14's '中途选天数字科技有限公司') is the unit of its province left over, not a unit absent from the
    batch. A name read surely is as written (a unit truly absent stays RECOMMENDED_NOT_FOUND), and a match so
    made is a doubt wherever it decides a finding."""
    taken = {id(app) for letter in letters for app in letter.matched.values()}
    proposals: list[tuple[int, _Letter, int, ApplicationRecord]] = []
    for letter in letters:
        province = _province_of(_letter_province(letter))
        for index, name in enumerate(letter.names):
            if index in letter.matched or not _read_in_doubt(letter, index, settings):
                continue
            scored = sorted(((max(_own_shared(name, candidate) for candidate in _candidate_names(app)), position)
                             for position, app in enumerate(applications)
                             if id(app) not in taken and _applicant_names(app)
                             and (province is None or _application_province(app) in (province, None))),
                            reverse=True)
            if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
                proposals.append((scored[0][0], letter, index, applications[scored[0][1]]))
    claimed = Counter(id(app) for _, _, _, app in proposals)
    for _, letter, index, app in proposals:
        if claimed[id(app)] == 1:  # two names left over for one application: neither is surely it
            letter.matched[index] = app
            letter.by_elimination.add(index)
    _last_left_over(letters, applications, settings)


def _last_left_over(letters: Sequence[_Letter], applications: Sequence[ApplicationRecord], settings: Settings) -> None:
    """The one application of a province no letter's name matched, given to the one letter of that province
    whose unmatched names include readings no unit's name could be (`_name_in_doubt`: marks, digits), where no
    name shares enough of it to be matched by its own part (dev30 r14: '中波《理数医性术有限公司' for 宁波卓星数据
    技术有限公司, two characters of its own part, beside a third name garbled with digits): those are misreadings,
    and the application left over is the one they can be. A name of Chinese characters alone is as read (a unit
    in no application stays RECOMMENDED_NOT_FOUND, and an application no one recommended stays so). Given to the
    garbled name sharing most of its own part (the first of equals); a doubt wherever it decides a finding, as
    any match by elimination."""
    taken = {id(app) for letter in letters for app in letter.matched.values()}
    open_names: dict[str, list[tuple[_Letter, list[int]]]] = defaultdict(list)
    for letter in letters:
        unread = [index for index in range(len(letter.names))
                  if index not in letter.matched and _read_in_doubt(letter, index, settings)
                  and _name_in_doubt(letter.names[index]) is not None]
        if unread and (province := _province_of(_letter_province(letter))) is not None:
            open_names[province].append((letter, unread))
    for province, waiting in open_names.items():
        left = [app for app in applications if id(app) not in taken and _applicant_names(app)
                and _application_province(app) == province]
        if len(waiting) != 1 or len(left) != 1:
            continue
        (letter, unread), [app] = waiting[0], left
        index = max(unread, key=lambda at: (max(_own_share(letter.names[at], name) for name in _candidate_names(app)),
                                            -at))
        letter.matched[index] = app
        letter.by_elimination.add(index)


def _own_share(reading: str, name: str) -> int:
    """Characters of `name`'s own part (place and legal form left out) that `reading`'s holds in order."""
    ending = _ending(name)
    return int(LCSseq.similarity(_own_part(reading, ending), _own_part(name, ending)))


def _ending(name: str) -> str:
    """The legal form or kind `name` ends with (`NAME_ENDINGS`), or ''."""
    key = name_key(name)
    return next((end for end in NAME_ENDINGS if key.endswith(end)), "")


def _read_in_doubt(letter: _Letter, index: int, settings: Settings) -> bool:
    """A recommended name not read surely: its table cell's reading in doubt (`reading_in_doubt`: a cell without
    provenance is taken as read), or a name only the letter's text gave, which has no confidence of its own."""
    if not letter.from_table:
        return True
    return reading_in_doubt(letter.record.provenance.get(letter.path(index)), settings.checks)


# Characters a unit's name holds besides Chinese ones: its brackets (a branch's, a place's).
_NAME_MARKS = frozenset("()（）")


def _name_in_doubt(name: str) -> str | None:
    """Why a recommended name found in no application may be a misreading rather than a unit's name (for the
    message), or None: a name no unit's could be, holding digits, Latin letters or marks besides a name's brackets
    ('中速障联管能制值技术有架公司参8工:9理细0线8装10）…', a photographed table's cells run together). Whether
    a name of Chinese characters alone is a unit's the reader cannot tell: it is reported as read."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    strange = "".join(dict.fromkeys(char for char in text if not "\u4e00" <= char <= "\u9fff" and char not in _NAME_MARKS))
    return f"该名称含有单位名称不会有的字符（{strange}），多半是误读" if strange else None


def _unfound_name_doubt(check: Check, path: str, why: str) -> Check:
    """LOW_CONFIDENCE for a recommended name found nowhere that is no plausible unit's name: a reading to look
    at, not a unit missing from the batch."""
    return check.model_copy(update={
        "code": "LOW_CONFIDENCE", "severity": "warning", "where": path, "confidence": 0.3, "doubts": [path],
        "message": f"{UNFOUND_NAME_DOUBT}{check.message}。但{why}，请人工核对"})


# How the doubt `_unfound_name_doubt` makes opens: a batch's own finding, which a later batch run replaces.
UNFOUND_NAME_DOUBT = "RECOMMENDED_NOT_FOUND 未能核对："


CREDIT_CODE_PATH = "basic_info.lead_unit.credit_code"


def _duplicate_applicants(batch: _Batch, applications: Sequence[ApplicationRecord]) -> None:
    by_code: dict[str, list[ApplicationRecord]] = defaultdict(list)
    for record in applications:
        code = record.basic_info.lead_unit.credit_code
        if code:
            by_code[code].append(record)
    misread = _misread_codes(batch, by_code)
    for record in (record for records in misread.values() for record in records):
        # One cause, one finding: the duplicate's warning names the reading and its failed check character.
        record.checks = [check for check in record.checks if check.code != "INVALID_CREDIT_CODE"]
    for code, records in by_code.items():
        records = [*records, *misread.get(code, [])]
        if len(records) > 1:
            names = "、".join(_label(record) for record in records)
            check = finding("DUPLICATE_APPLICANT", code,
                            f"统一社会信用代码 {code} 在本批 {len(records)} 份申报材料中重复出现：{names}；同一单位只应申报一次",
                            found=len(records), expected=1)
            if misread.get(code):  # resting on a code read with a character wrong: a doubt, never an error
                read = "、".join(f"{_label(r)} 读作 {r.basic_info.lead_unit.credit_code}" for r in misread[code])
                check = check.model_copy(update={
                    "severity": "warning", "doubts": [CREDIT_CODE_PATH],
                    "message": f"{check.message}。但所依据的读数存疑，请人工核对：{read}（校验位不符，与 {code} 仅差一个字符）"})
            batch.add(check, [(record, _evidence(record, CREDIT_CODE_PATH)) for record in records])


def _misread_codes(batch: _Batch, by_code: dict[str, list[ApplicationRecord]]) -> dict[str, list[ApplicationRecord]]:
    """Applications whose credit code, read in doubt, fails its check character one character away from
    another application's valid code in the batch, by that code: the check character says a character is
    wrong and the batch says which (dev23 a12, a drawn photo: '91331003NA8X7AN548' beside a02's
    '91331003MA8X7AN548'). Two valid codes a character apart are two units; a code read surely is as written."""
    valid = [code for code in by_code if is_valid_credit_code(code)]
    found: dict[str, list[ApplicationRecord]] = defaultdict(list)
    for code, records in by_code.items():
        near = [other for other in valid if len(other) == len(code) and Hamming.distance(code, other) == 1]
        if is_valid_credit_code(code) or len(near) != 1:
            continue
        for record in records:
            if reading_in_doubt(record.provenance.get(CREDIT_CODE_PATH), batch.settings.checks):
                found[near[0]].append(record)
    return found


def _shared_contracts(batch: _Batch, applications: Sequence[ApplicationRecord]) -> None:
    """The same contract number and (fuzzily) the same enterprise in two applicants' 附2表2."""
    threshold = batch.settings.checks.name_match_threshold
    by_number: dict[str, list[tuple[ApplicationRecord, int, str]]] = defaultdict(list)
    for record in applications:
        for index, row in enumerate(record.appendix.contracts):
            if row.contract_no and row.enterprise:
                by_number[name_key(row.contract_no).upper()].append((record, index, row.enterprise))
    for claims in by_number.values():
        # Claims of one enterprise (names alike), each cluster judged on its own.
        clusters: list[list[tuple[ApplicationRecord, int, str]]] = []
        for claim in claims:
            home = next((c for c in clusters if name_score(c[0][2], claim[2]) >= threshold), None)
            if home is None:
                clusters.append([claim])
            else:
                home.append(claim)
        for cluster in clusters:
            applicants = {record.basic_info.lead_unit.credit_code or record.source.file for record, _, _ in cluster}
            if len(applicants) < 2:
                continue  # one applicant's own rows: DUPLICATE_CONTRACT_NO or DUPLICATE_APPLICANT says it
            record, index, enterprise = cluster[0]
            number = record.appendix.contracts[index].contract_no or ""
            rows: dict[int, tuple[ApplicationRecord, list[int]]] = {}
            for claimant, position, _ in cluster:
                rows.setdefault(id(claimant), (claimant, []))[1].append(position)
            names = "、".join(_label(claimant) for claimant, _ in rows.values())
            batch.add(finding("SHARED_CONTRACT", number,
                              f"合同 {number}（服务企业“{enterprise}”）被 {len(applicants)} 个申报单位同时填报：{names}，请核实合同归属",
                              found=len(applicants), expected=1),
                      [(claimant, _evidence(claimant, *(f"appendix.contracts[{i}].contract_no" for i in indexes)))
                       for claimant, indexes in rows.values()])


def run_batch_checks(records: Sequence[object], settings: Settings | None = None) -> list[Check]:
    """Add batch findings to the records involved (replacing any from an earlier run); return them all
    for the batch summary. Severities follow `settings.checks.severity`."""
    batch = _Batch(settings or Settings())
    for record in records:
        # Batch findings are this function's alone: a record checked in an earlier batch run loses them first.
        if isinstance(record, (ApplicationRecord, RecommendationRecord)):
            record.checks = [check for check in record.checks if check.code not in BATCH_CODES
                             and not check.message.startswith(UNFOUND_NAME_DOUBT)]
    applications = [record for record in records if isinstance(record, ApplicationRecord)]
    recommendations = [record for record in records if isinstance(record, RecommendationRecord)]
    _recommendation_checks(batch, recommendations, applications)
    _duplicate_applicants(batch, applications)
    _shared_contracts(batch, applications)
    return batch.summary


def _involved(check: Check, records: Sequence[Any]) -> list[str]:
    return [record.source.file for record in records
            if any((c.code, c.where) == (check.code, check.where) for c in getattr(record, "checks", []))]


def batch_summary(records: Sequence[Any], batch_checks: Sequence[Check]) -> dict[str, Any]:
    """For OUT/batch.json: each batch finding with the files it is on, and counts of every record's findings
    by severity (batch findings included, as they are on the records)."""
    severities = ("error", "warning", "info")
    totals = Counter(check.severity for record in records for check in record.checks)
    return {
        "files": len(records),
        "batch_findings": [{**check.model_dump(mode="json", exclude={"evidence"}), "files": _involved(check, records)}
                           for check in batch_checks],
        "totals": {severity: totals.get(severity, 0) for severity in severities},
    }
