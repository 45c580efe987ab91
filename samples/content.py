"""The data of one generated document: coherent figures, tables and prose, plus how they are printed.

`make_application` builds an internally consistent application (the basic-info
figures agree with the appendix tables); `samples.defects` then breaks it on
purpose. Values are held in the contract's own pydantic models, so what is
printed and what the truth file says come from one place.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from models import (
    CONTENT_AREAS,
    ContractRow,
    Cover,
    FinanceYear,
    FinancingRow,
    Head,
    InstitutionRow,
    LeadUnit,
    Member,
    ProductRow,
    ProviderRow,
    ResourceYear,
    ServiceYear,
    TrainingRow,
)
from models.codes import CANONICAL_INDUSTRIES, CREDIT_CODE_ALPHABET, credit_code_check_char
from samples import data, prose
from samples.charcount import count_chars

SECTION_TITLES = {"foundation": ("（一）基础条件", 1000), "goals": ("（二）建设目标", 500),
                  "content": ("（三）建设内容", 2500), "guarantee": ("（四）组织保障", 500)}
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass
class Fmt:
    """How one document prints numbers, dates and checkboxes."""

    amount_style: str = "plain"  # comma | fixed2 | plain
    amount_unit: bool = False  # "1250.5万元" in appendix cells
    date_style: str = "iso"  # slash | dot | cn | iso
    checkbox: str = "☑"  # ☑ | ■ | √ | hand
    space_before_unit: bool = False


def fmt_amount(value: float, fmt: Fmt, unit: bool = False) -> str:
    if fmt.amount_style == "comma":
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    elif fmt.amount_style == "fixed2":
        text = f"{value:.2f}"
    else:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text + (" 万元" if fmt.space_before_unit else "万元") if unit else text


def fmt_date(day: dt.date, fmt: Fmt) -> str:
    match fmt.date_style:
        case "slash":
            return f"{day.year}/{day.month}/{day.day}"
        case "dot":
            return f"{day.year}.{day.month:02d}.{day.day:02d}"
        case "cn":
            return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


@dataclass
class Application:
    """Everything printed in one application package, and the page-level facts."""

    doc_id: str
    province: str
    city: str
    district: str
    department: str
    cover: Cover
    lead: LeadUnit
    industries_written: list[str]
    members: list[Member]
    head: Head
    legal_rep: str
    finance: list[FinanceYear]
    service: list[ServiceYear]
    resources: list[ResourceYear]
    sections: dict[str, list[str] | None]
    content_areas: list[str]
    goal_years: list[int]
    goal_kinds: list[str]
    products: list[ProductRow]
    contracts: list[ContractRow]
    trainings: list[TrainingRow]
    institutions: list[InstitutionRow]
    providers: list[ProviderRow]
    provider_industries_written: list[list[str]]
    financings: list[FinancingRow]
    fmt: Fmt = field(default_factory=Fmt)
    # Page-level facts the defects change.
    missing_roles: set[str] = field(default_factory=set)
    unsealed_slots: set[str] = field(default_factory=set)
    signature_missing: bool = False
    seal_override: dict[str, str] = field(default_factory=dict)  # slot -> the (wrong) unit on that seal
    agreement_page: bool = False
    other_pages: list[str] = field(default_factory=list)
    shuffle: bool = False
    defects: list[str] = field(default_factory=list)
    blank_paths: list[str] = field(default_factory=list)


@dataclass
class RecommendedEntry:
    name: str
    industries_written: list[str]
    policies: str
    is_consortium: bool = False


@dataclass
class Recommendation:
    doc_id: str
    province: str  # as printed in the table title: 浙江省, or a plan city such as 宁波市
    department: str
    date: dt.date
    contact: str
    entries: list[RecommendedEntry]
    fmt: Fmt = field(default_factory=Fmt)
    unsealed_slots: set[str] = field(default_factory=set)
    single_page: bool = False
    defects: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- names and codes


def person(rng: random.Random) -> str:
    given = "".join(rng.choice(data.GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(data.SURNAMES) + given


def brand(rng: random.Random) -> str:
    first = rng.choice(data.NAME_CHARS)
    second = rng.choice([c for c in data.NAME_CHARS if c != first])
    return first + second


def company(rng: random.Random, city: str, domain: str | None = None) -> str:
    return city.removesuffix("市") + brand(rng) + (domain or rng.choice(data.TECH_DOMAINS)) + rng.choice(
        data.COMPANY_SUFFIXES)


def org_code(rng: random.Random) -> str:
    if rng.random() < 0.6:
        body = "MA" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum((int(c, 36)) * w for c, w in zip(body, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, admin: str, prefix: str = "91") -> str:
    first17 = prefix + admin + org_code(rng)
    check = credit_code_check_char(first17)
    assert check is not None
    return first17 + check


def mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "17", "18", "19")) + str(rng.randint(0, 9)) + "".join(
        rng.choice("0123456789") for _ in range(8))


def landline(rng: random.Random, city: str) -> str:
    area = {"杭州市": "0571", "宁波市": "0574", "苏州市": "0512", "广州市": "020", "济南市": "0531",
            "武汉市": "027", "成都市": "028", "长沙市": "0731", "郑州市": "0371"}.get(city, "0" + str(rng.randint(310, 999)))
    return f"{area}-{rng.randint(55000000, 89999999)}"


def email(rng: random.Random) -> str:
    user = "".join(rng.choice("abcdefghjklmnpqrstwxyz") for _ in range(rng.randint(2, 4))) + str(rng.randint(1, 2025))
    return f"{user}@{rng.choice(data.EMAIL_DOMAINS)}"


def rand_date(rng: random.Random, year: int, start_month: int = 1, end_month: int = 12) -> dt.date:
    month = rng.randint(start_month, end_month)
    return dt.date(year, month, rng.randint(1, 28))


def money(rng: random.Random, low: float, high: float) -> float:
    value = rng.uniform(low, high)
    return round(value, rng.choice((0, 1, 1, 2)))


# ---------------------------------------------------------------- the application


def make_fmt(rng: random.Random, scanned: bool) -> Fmt:
    boxes = ["☑", "■", "√"] + (["hand", "hand"] if scanned else [])
    return Fmt(amount_style=rng.choice(("comma", "fixed2", "plain")), amount_unit=rng.random() < 0.3,
               date_style=rng.choice(("slash", "dot", "cn", "iso")), checkbox=rng.choice(boxes),
               space_before_unit=rng.random() < 0.3)


def make_application(rng: random.Random, doc_id: str, province: str | None, scanned: bool,
                     members: int | None = None) -> Application:
    places = [p for p in data.PLACES if province is None or p[0] == province] or list(data.PLACES)
    prov, city, district, admin = rng.choice(places)
    department = data.DEPARTMENTS[prov]
    n_ind = rng.choice((1, 2, 2, 3, 3))
    industries = rng.sample(CANONICAL_INDUSTRIES, n_ind)
    written = [rng.choice(data.INDUSTRY_WRITTEN[i]) for i in industries]
    unit_type = rng.choice(("服务商", "服务商", "服务商", "制造业企业", "其它"))
    unit_other = rng.choice(data.OTHER_UNIT_TYPES) if unit_type == "其它" else None
    if unit_type == "其它":
        name = f"{city.removesuffix('市')}{rng.choice(('产业数字化研究院', '智能制造研究院', '工业互联网创新中心'))}"
        prefix = "12" if unit_other == "事业单位" else "52"
    elif unit_type == "制造业企业":
        name = company(rng, city, rng.choice(data.INDUSTRY_WORDS[industries[0]]))
        prefix = "91"
    else:
        name = company(rng, city)
        prefix = "91"
    established = dt.date(rng.randint(2003, 2021), rng.randint(1, 12), rng.randint(1, 28))
    lead = LeadUnit(name=name, credit_code=credit_code(rng, admin, prefix), established=established,
                    is_legal_person=True, registered_capital=float(rng.choice((500, 1000, 2000, 3000, 5000, 8000,
                                                                                10000, 1258.6, 2680))),
                    registered_address=f"{prov}{city}{district}" if prov != city else f"{city}{district}",
                    main_industries=list(written), unit_type=unit_type, unit_type_other=unit_other)
    n_members = rng.choice((0, 0, 0, 1, 2, 3, 4, 6)) if members is None else members
    member_rows = [_member(rng, city, prov) for _ in range(n_members)]
    head_name = person(rng)
    head = Head(name=head_name, title=rng.choice(data.HEAD_TITLES), mobile=mobile(rng), email=email(rng))
    legal_rep = head_name if head.title and ("董事长" in head.title or rng.random() < 0.3) else person(rng)
    contact = person(rng)
    phone = mobile(rng) if rng.random() < 0.6 else landline(rng, city)
    fill_date = dt.date(2026, 5, 27) + dt.timedelta(days=rng.randint(0, 24))  # the 5-27 … 6-20 window
    cover = Cover(applicant=name, recommender=department, contact=contact, phone=phone, fill_date=fill_date)

    contracts = _contracts(rng, city, industries)
    trainings = _trainings(rng)
    products = _products(rng)
    institutions = _institutions(rng, city)
    providers, prov_written = _providers(rng, city)
    financings = _financings(rng, city, industries)
    service = []
    for year in (2024, 2025):
        rows = [c for c in contracts if c.date and c.date.year == year]
        service.append(ServiceYear(year=year, enterprises=len({c.enterprise for c in rows}),
                                   contract_amount=round(sum(c.amount or 0 for c in rows), 2),
                                   trainees=sum(t.participants or 0 for t in trainings if t.date and t.date.year == year)))
    n_inv = sum(1 for r in institutions if r.category == "投融资机构")
    n_uni = len(institutions) - n_inv
    fin25 = round(sum(f.amount or 0 for f in financings), 2)
    resources = [
        ResourceYear(year=2024, investors=max(1, n_inv - rng.randint(0, 3)), financing=round(fin25 * rng.uniform(0.4, 0.8), 1),
                     universities=max(1, n_uni - rng.randint(0, 2)), providers=max(1, len(providers) - rng.randint(0, 4))),
        ResourceYear(year=2025, investors=n_inv, financing=fin25, universities=n_uni, providers=len(providers)),
    ]
    revenue = money(rng, 1500, 60000)
    finance = [FinanceYear(year=2024, revenue=revenue, net_margin=round(rng.uniform(1.5, 18), 1),
                           debt_ratio=round(rng.uniform(18, 68), 1)),
               FinanceYear(year=2025, revenue=round(revenue * rng.uniform(0.95, 1.35), 1),
                           net_margin=round(rng.uniform(1.5, 18), 1), debt_ratio=round(rng.uniform(18, 68), 1))]
    app = Application(
        doc_id=doc_id, province=prov, city=city, district=district, department=department, cover=cover, lead=lead,
        industries_written=written, members=member_rows, head=head, legal_rep=legal_rep, finance=finance,
        service=service, resources=resources, sections={}, content_areas=[], goal_years=[], goal_kinds=[],
        products=products, contracts=contracts, trainings=trainings, institutions=institutions, providers=providers,
        provider_industries_written=prov_written, financings=financings, fmt=make_fmt(rng, scanned),
        agreement_page=bool(member_rows),
    )
    areas = sorted(rng.sample(CONTENT_AREAS, rng.randint(3, 6)), key=CONTENT_AREAS.index)
    write_plan(rng, app, areas=areas, goal_years=[2026, 2027, 2028] + ([2030] if rng.random() < 0.15 else []))
    if rng.random() < 0.5:
        app.other_pages.append(rng.choice(("licence", "finance")))
    if rng.random() < 0.2:
        app.shuffle = True
    return app


def context(app: Application) -> prose.Context:
    s25 = app.service[1]
    total_ent = (app.service[0].enterprises or 0) + (s25.enterprises or 0)
    total_amt = round((app.service[0].contract_amount or 0) + (s25.contract_amount or 0), 1)
    return prose.Context(
        name=app.lead.name or "", short=rng_short(app), province=app.province, city=app.city, district=app.district,
        industries=[i for i in app.lead.main_industries if i in CANONICAL_INDUSTRIES][:3] or ["机械"],
        founded_year=app.lead.established.year if app.lead.established else 2015,
        capital=app.lead.registered_capital or 1000, enterprises=total_ent, contract_amount=total_amt,
        trainees=(app.service[0].trainees or 0) + (s25.trainees or 0), products=len(app.products),
        providers=len(app.providers), universities=app.resources[1].universities or 0,
        investors=app.resources[1].investors or 0, department=app.department)


def rng_short(app: Application) -> str:
    name = app.lead.name or ""
    if name.endswith("公司"):
        return "公司"
    return "本单位" if len(name) % 2 else "我院" if "研究院" in name else "中心"


def write_plan(rng: random.Random, app: Application, areas: list[str], goal_years: list[int],
               over: str | None = None, synonyms: bool | None = None) -> None:
    """(Re)write the four plan sections; `over` names a section to push over its 字 limit."""
    ctx = context(app)
    kinds = ["服务成效", "经济效益", "社会效益"]
    if rng.random() < 0.1:
        kinds.remove(rng.choice(kinds[1:]))

    def target(key: str, low: float, high: float) -> int:
        limit = SECTION_TITLES[key][1]
        return int(limit * (rng.uniform(1.08, 1.3) if key == over else rng.uniform(low, high)))

    use_syn = rng.random() < 0.5 if synonyms is None else synonyms
    app.sections = {
        "foundation": prose.foundation(rng, ctx, target("foundation", 0.7, 0.92)),
        "goals": prose.goals(rng, ctx, goal_years, kinds, target("goals", 0.65, 0.9)),
        "content": prose.content(rng, ctx, areas, use_syn, target("content", 0.62, 0.92)),
        "guarantee": prose.guarantee(rng, ctx, target("guarantee", 0.6, 0.9)),
    }
    # The prose must say what the truth will say: checked here, independently of the templates.
    content_text = "".join(app.sections["content"] or [])
    assert prose.detect_areas(content_text) == areas, (prose.detect_areas(content_text), areas)
    goals_text = "".join(app.sections["goals"] or [])
    assert prose.detect_goal_years(goals_text) == goal_years, (prose.detect_goal_years(goals_text), goal_years)
    for key, paragraphs in app.sections.items():
        chars = sum(count_chars(p) for p in paragraphs or [])
        assert (chars > SECTION_TITLES[key][1]) == (key == over), (key, chars, over)
    app.content_areas, app.goal_years = areas, goal_years
    app.goal_kinds = [k for k in ("服务成效", "经济效益", "社会效益") if k in goals_text]


def _member(rng: random.Random, city: str, prov: str) -> Member:
    kind = rng.choice(data.MEMBER_TYPES)
    if kind in ("高校", "科研院所"):
        name = rng.choice([u for u in data.UNIVERSITIES if ("大学" in u) == (kind == "高校")])
    elif kind == "行业协会":
        name = f"{city}{rng.choice(('机械工业', '纺织工业', '软件行业', '智能制造'))}协会"
    elif kind == "投融资机构":
        name = f"{city.removesuffix('市')}{brand(rng)}{rng.choice(data.INVESTOR_KINDS)}"
    elif kind == "制造业企业":
        name = company(rng, city, rng.choice(rng.choice(list(data.INDUSTRY_WORDS.values()))))
    else:
        name = company(rng, city)
    return Member(name=name, type=kind)


def _contracts(rng: random.Random, city: str, industries: list[str]) -> list[ContractRow]:
    rows: list[ContractRow] = []
    style = rng.choice(("HT-{y}-{n:03d}", "{abbr}{y}{n:04d}", "{abbr}-FW-{y}{n:03d}", "SZZX{y}{n:03d}"))
    abbr = "".join(rng.choice("ABCDEFGHJKLMNPQRSTWXYZ") for _ in range(rng.randint(2, 4)))
    pool = [company(rng, rng.choice((city, city, rng.choice(data.PLACES)[1])),
                    rng.choice(data.INDUSTRY_WORDS[rng.choice(industries)])) for _ in range(30)]
    serial = rng.randint(1, 40)
    for year in (2024, 2025):
        count = rng.randint(4, 13)
        dates = sorted(rand_date(rng, year) for _ in range(count))
        clients = rng.sample(pool, min(len(pool), count))
        for i, day in enumerate(dates):
            # Some enterprises sign twice in a year: distinct names < rows.
            enterprise = clients[i] if i == 0 or rng.random() > 0.12 else rows[-1].enterprise
            serial += rng.randint(1, 6)
            rows.append(ContractRow(date=day, contract_no=style.format(y=year, n=serial, abbr=abbr),
                                    enterprise=enterprise, amount=money(rng, 6, 320)))
    return rows


def _trainings(rng: random.Random) -> list[TrainingRow]:
    rows = []
    for year in (2024, 2025):
        for day in sorted(rand_date(rng, year) for _ in range(rng.randint(2, 6))):
            rows.append(TrainingRow(date=day, name=f"{year}年" * (rng.random() < 0.3) + rng.choice(data.TRAINING_NAMES),
                                    participants=rng.randint(25, 320)))
    return rows


def _products(rng: random.Random) -> list[ProductRow]:
    rows = []
    restart = rng.random() < 0.5
    seq = 0
    for category in data.PRODUCT_CATEGORIES:
        if rng.random() < 0.12 and category in ("数据集", "模型库"):
            continue
        seq = 0 if restart else seq
        for name in rng.sample(data.PRODUCT_NAMES[category], rng.randint(1, 3)):
            seq += 1
            rows.append(ProductRow(category=category, seq=seq, name=name))
    return rows


def _institutions(rng: random.Random, city: str) -> list[InstitutionRow]:
    rows = []
    investors: set[str] = set()
    while len(investors) < rng.randint(3, 7):
        if rng.random() < 0.35:
            investors.add(rng.choice(data.BANKS) + city.removesuffix("市") + "分行")
        else:
            investors.add(city.removesuffix("市") + brand(rng) + rng.choice(data.INVESTOR_KINDS))
    restart = rng.random() < 0.7
    for i, name in enumerate(sorted(investors), start=1):
        rows.append(InstitutionRow(category="投融资机构", seq=i, name=name))
    offset = 0 if restart else len(rows)
    for i, name in enumerate(rng.sample(data.UNIVERSITIES, rng.randint(2, 6)), start=1):
        rows.append(InstitutionRow(category="高校科研院所", seq=i + offset, name=name))
    return rows


def _providers(rng: random.Random, city: str) -> tuple[list[ProviderRow], list[list[str]]]:
    rows, written = [], []
    for i in range(1, rng.randint(4, 11) + 1):
        inds = rng.sample(CANONICAL_INDUSTRIES, rng.randint(1, 3))
        printed = [rng.choice(data.INDUSTRY_WRITTEN[x]) for x in inds]
        rows.append(ProviderRow(seq=i, name=company(rng, rng.choice((city, rng.choice(data.PLACES)[1]))),
                                industries=printed, capability=rng.choice(data.PROVIDER_CAPABILITIES)))
        written.append(printed)
    return rows, written


def _financings(rng: random.Random, city: str, industries: list[str]) -> list[FinancingRow]:
    rows = []
    for i in range(1, rng.randint(2, 7) + 1):
        investor = rng.choice(data.BANKS) + city.removesuffix("市") + "分行" if rng.random() < 0.5 else (
            city.removesuffix("市") + brand(rng) + rng.choice(data.INVESTOR_KINDS))
        investee = company(rng, city, rng.choice(data.INDUSTRY_WORDS[rng.choice(industries)]))
        rows.append(FinancingRow(seq=i, investor=investor, investee=investee, amount=money(rng, 50, 3000)))
    return rows


# ---------------------------------------------------------------- the recommendation


def policies(rng: random.Random, city: str) -> str:
    return rng.choice(data.POLICY_TEMPLATES).format(a=rng.choice((200, 300, 500, 800, 1000)), b=rng.choice((100, 200, 300)),
                                                    c=rng.choice((500, 1000, 2000)), d=rng.choice((1, 2, 5)),
                                                    city=city)


def make_recommendation(rng: random.Random, doc_id: str, province: str, apps: list[Application],
                        scanned: bool) -> Recommendation:
    entries = [RecommendedEntry(name=a.cover.applicant or "", industries_written=list(a.industries_written[:3]),
                                policies=policies(rng, a.city), is_consortium=bool(a.members)) for a in apps]
    department = data.DEPARTMENTS.get(province) or data.PLAN_CITIES[province][1]
    date = dt.date(2026, 6, rng.randint(21, 30))
    contact = f"{person(rng)} {landline(rng, rng.choice(data.PLACES)[1])}"
    return Recommendation(doc_id=doc_id, province=province, department=department, date=date, contact=contact,
                          entries=entries, fmt=make_fmt(rng, scanned))
