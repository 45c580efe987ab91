"""Realistic 建设方案 prose from phrase templates: the four sections of 二、建设方案.

Every generator returns paragraphs (a list of strings, one per printed paragraph)
sized to a target 字 count. The 建设内容 text mentions exactly the chosen content
areas (by name or synonym) and the 建设目标 text sets targets for exactly the chosen
years; `detect_areas` / `detect_goal_years` check that independently.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from samples.charcount import count_chars

CN_NUM = "一二三四五六七八九十"

# The eight content areas as an applicant may write them: the notice's name first, then
# phrasings of this generator's own. The pipeline's lexicon (pipeline/text/language.py) is
# built from the notice and the form only and never from these, so a plan written with them
# measures whether the pipeline recognises an area it was not told the words for.
AREA_SYNONYMS: dict[str, tuple[str, ...]] = {
    "评估咨询": ("评估咨询", "转型体检与顾问服务", "企业现状摸底和问诊"),
    "方案开发": ("方案开发", "场景化工具研制", "行业应用打磨"),
    "项目实施": ("项目实施", "改造工程交付", "产线升级落地"),
    "供需对接": ("供需对接", "服务商与企业牵线搭桥", "买卖双方撮合"),
    "设施联通": ("设施联通", "工厂网络与设备互连", "车间联网接入"),
    "数据共享": ("数据共享", "数据要素流转", "行业数据互用"),
    "人才培养": ("人才培养", "数字技能提升", "复合型队伍锻造"),
    "政策宣贯": ("政策宣贯", "惠企政策送达", "政策解读辅导"),
}


@dataclass
class Context:
    """What the prose talks about."""

    name: str
    short: str
    province: str
    city: str
    district: str
    industries: list[str]
    founded_year: int
    capital: float
    enterprises: int
    contract_amount: float
    trainees: int
    products: int
    providers: int
    universities: int
    investors: int
    department: str


def _inds(ctx: Context) -> str:
    return "、".join(ctx.industries)


def detect_areas(text: str) -> list[str]:
    """Which content areas the text names (by name or synonym), in the notice's order."""
    return [area for area, words in AREA_SYNONYMS.items() if any(word in text for word in words)]


_YEAR_TARGET = re.compile(r"(?:到|至)?(20[23]\d)年(?:底|末)?(?:前)?[，,：:]")


def detect_goal_years(text: str) -> list[int]:
    """Years 2026–2030 for which the text sets a target ("2027年，…", "到2028年，…")."""
    years = {int(match.group(1)) for match in _YEAR_TARGET.finditer(text)}
    return sorted(year for year in years if 2026 <= year <= 2030)


def _fill(rng: random.Random, template: str, ctx: Context) -> str:
    n = rng.randint
    values = {
        "name": ctx.name, "short": ctx.short, "province": ctx.province, "city": ctx.city,
        "district": ctx.district, "inds": _inds(ctx), "ind0": ctx.industries[0], "year": ctx.founded_year,
        "cap": f"{ctx.capital:g}", "ent": ctx.enterprises, "amt": f"{ctx.contract_amount:g}",
        "trainees": ctx.trainees, "products": ctx.products, "providers": ctx.providers,
        "univ": ctx.universities, "inv": ctx.investors, "dept": ctx.department,
        "area": n(8, 60) * 100, "staff": n(60, 600), "labs": n(2, 6), "pct": n(35, 72),
        "ms": n(20, 160), "senior": n(8, 60), "cert": n(6, 40), "sme": n(40, 400), "disc": n(15, 40),
        "eff": n(12, 35), "defect": n(10, 40), "energy": n(5, 18), "cases": n(5, 30), "std": n(2, 12),
        "pat": n(10, 120), "soft": n(20, 180), "demo": n(3, 20), "hours": n(2, 12) * 1000,
        "x1": n(60, 150), "x2": n(160, 260), "x3": n(300, 500), "m1": n(800, 2000), "m2": n(2200, 4000),
        "m3": n(4500, 8000), "t1": n(500, 1500), "t2": n(1600, 3000), "t3": n(3200, 6000),
        "fund": n(3, 20) * 100, "k": n(3, 8),
    }
    return template.format(**values)


def _assemble(rng: random.Random, ctx: Context, core: list[str], extra: list[str], target: int) -> list[str]:
    """Core paragraphs, then extra sentences appended to random paragraphs until `target` 字 is reached."""
    paragraphs = [_fill(rng, t, ctx) for t in core]
    pool: list[str] = []
    for _ in range(200):
        if sum(count_chars(p) for p in paragraphs) >= target:
            break
        if not pool:
            pool = list(extra)
            rng.shuffle(pool)
        sentence = _fill(rng, pool.pop(), ctx)
        i = rng.randrange(len(paragraphs))
        paragraphs[i] += sentence
    # Trim whole sentences from the longest paragraph while clearly above target.
    while sum(count_chars(p) for p in paragraphs) > target * 1.06:
        longest = max(range(len(paragraphs)), key=lambda j: len(paragraphs[j]))
        sentences = re.findall(r"[^。]+。", paragraphs[longest])
        if len(sentences) <= 1:
            break
        paragraphs[longest] = "".join(sentences[:-1])
    return paragraphs


FOUNDATION_CORE = (
    ("{name}成立于{year}年，注册资本{cap}万元，位于{city}{district}，是{city}重点培育的{inds}领域数字化转型服务机构。"
     "现有办公及服务场地{area}平方米，建有数字化转型体验中心、工业互联网实训基地和{labs}个行业应用实验室。",
     "{short}于{year}年注册成立，注册资本{cap}万元，总部位于{city}{district}，长期深耕{inds}行业。"
     "中心现有服务场地{area}平方米，配置边缘计算、工业网络、视觉检测等演示验证设备，可同时开展多场次线下服务活动。"),
    ("现有员工{staff}人，其中技术研发人员占比{pct}%，硕士及以上学历{ms}人，高级职称{senior}人，"
     "持证数字化转型诊断师{cert}名，形成了覆盖咨询规划、软件开发、系统集成和运营服务的专业团队。",
     "在人才结构方面，团队共有{staff}人，研发及工程人员占比{pct}%，其中高级工程师{senior}人、"
     "硕士以上学历{ms}人，另有行业专家顾问二十余名。"),
    ("近两年，{short}面向{inds}等重点行业开展评估咨询、方案开发、项目实施、供需对接等服务，累计服务企业{ent}家，"
     "签订数字化改造实施服务合同金额{amt}万元，组织人才培训{trainees}人次；面向制造业中小微企业提供优惠服务{sme}家次，"
     "服务费用较市场价格平均降低{disc}%。",
     "2024年以来，{short}累计为{ent}家制造企业提供数字化转型服务，合同金额{amt}万元，培训企业管理和技术人员{trainees}人次。"
     "对中小微企业实行“先诊断、后改造、按效果付费”的优惠服务模式，累计减免服务费用{fund}万元。"),
    ("围绕行业共性需求，已形成契合行业特点的数字化产品和解决方案{products}项，推出面向中小企业的“小快轻准”解决方案，"
     "沉淀设备运行、工艺参数、质量检测等行业数据集和模型库，并在工业智能体方面开展了探索应用。",
     "在产品与方案方面，累计形成数字化产品、解决方案、数据集、模型库等成果{products}项，"
     "获得发明专利和软件著作权{soft}项，参与制定国家及行业标准{std}项。"),
    ("从服务成效看，所服务企业平均生产效率提升{eff}%，产品不良品率下降{defect}%，单位产值能耗降低{energy}%，"
     "形成可复制推广的典型案例{cases}个。",
     "经跟踪评估，服务企业设备综合效率平均提高{eff}%，订单交付周期缩短{defect}%，综合能耗下降{energy}%，"
     "{cases}家企业入选省级数字化车间或智能工厂。"),
    ("{short}参与了{province}制造业数字化转型实施方案、中小企业数字化转型城市试点等政策的研究制定与落实工作，"
     "承担{city}“智改数转”诊断服务任务，与{univ}家高校及科研院所、{providers}家服务商建立了稳定合作关系。",
     "此外，{short}作为{city}中小企业数字化转型城市试点的服务支撑单位，参与相关政策的研究、解读和落实，"
     "已汇聚服务商{providers}家、投融资机构{inv}家、高校及科研院所{univ}家。"),
)
FOUNDATION_EXTRA = (
    "中心建立了标准化的服务流程和质量管理体系，通过了ISO9001质量管理体系认证和信息安全管理体系认证。",
    "中心设有线上服务平台，已注册企业用户{sme}家，累计发布服务产品{demo}类。",
    "近两年承担省级以上工业互联网和智能制造相关项目{demo}项。",
    "与{city}经信部门、行业协会和重点园区建立了常态化协作机制，定期开展企业走访与需求摸排。",
    "每年投入研发经费占营业收入比例保持在{energy}%以上。",
    "中心服务团队平均从业年限超过{labs}年，多人具有大型制造企业信息化部门工作经历。",
    "建成行业共性技术验证平台，可为企业提供设备联网测试、软件适配验证等服务，累计服务时长{hours}小时。",
    "围绕{ind0}行业，建立了覆盖研发设计、生产制造、经营管理、运维服务等环节的知识库。",
    "获评国家级专精特新“小巨人”企业、省级工业互联网平台等荣誉称号。",
)

GOAL_POSITIONING = (
    "发展定位：立足{city}、辐射{province}，聚焦{inds}行业，打造集诊断、改造、运营于一体的区域性数字化转型公共服务平台，"
    "成为中小企业数字化转型的“引路人”和“服务员”。",
    "数促中心以服务{inds}行业中小企业为主线，定位为{province}{ind0}行业数字化转型的赋能中心、资源汇聚中心和示范推广中心。",
)
GOAL_BY_KIND = {
    "服务成效": ("服务成效目标：{y0}服务企业{x1}家，完成数字化改造项目{k}0个；{y1}累计服务企业{x2}家；"
              "{y2}累计服务企业{x3}家，带动{demo}家企业达到数字化转型成熟度二级以上。"),
    "经济效益": ("经济效益目标：{y0}实现服务收入{m1}万元；{y1}服务收入达到{m2}万元；"
              "{y2}服务收入突破{m3}万元，带动服务企业新增产值{fund}亿元。"),
    "社会效益": ("社会效益目标：{y0}培训数字化人才{t1}人次；{y1}累计培训{t2}人次，形成典型案例{cases}个；"
              "{y2}累计培训{t3}人次，推动区域行业整体数字化水平明显提升。"),
}
GOAL_BY_YEAR = (
    "{y0}服务成效方面服务企业{x1}家，经济效益方面实现服务收入{m1}万元，社会效益方面培训人才{t1}人次。",
    "{y1}服务成效方面累计服务企业{x2}家，经济效益方面服务收入达到{m2}万元，社会效益方面累计培训{t2}人次。",
    "{y2}服务成效方面累计服务企业{x3}家，经济效益方面服务收入突破{m3}万元，社会效益方面累计培训{t3}人次，"
    "形成行业典型案例{cases}个。",
)
GOAL_EXTRA = (
    "服务企业满意度保持在95%以上。",
    "带动区域内规上工业企业数字化转型覆盖率明显提升。",
    "推动形成一批行业级数据集和模型库。",
    "培育一批专业化的数字化转型服务商队伍。",
    "力争服务中小企业数量占比不低于80%。",
    "推动服务企业平均降低运营成本{energy}%。",
    "形成一批可推广的“小快轻准”产品和解决方案。",
    "带动社会资本投入数字化改造{k}亿元以上。",
    "同时，推动服务企业生产效率平均提升{eff}%以上。",
    "力争培育省级数字化转型标杆企业{demo}家。",
    "逐步形成可复制、可推广的行业转型路径。",
)


def goals(rng: random.Random, ctx: Context, years: list[int], kinds: list[str], target: int) -> list[str]:
    """建设目标 text setting targets for `years` (three years = by-year plan; fewer = not by year)."""
    paragraphs = [_fill(rng, rng.choice(GOAL_POSITIONING), ctx)]
    if len(years) >= 3:
        labels = [f"{y}年，" for y in years[:3]]
        labels[-1] = f"到{years[2]}年，"
    elif len(years) == 1:
        labels = ["近期", "中期", f"到{years[0]}年，"]
    else:
        labels = ["近期", "中期", "远期"]
    slots = {"y0": labels[0], "y1": labels[1], "y2": labels[2]}
    if len(years) >= 3 and rng.random() < 0.4:
        # Broken down year by year instead of kind by kind.
        chosen = [t.format_map(_Partial(slots)) for t in GOAL_BY_YEAR]
        kinds_text = "主要目标包括服务成效目标、经济效益目标、社会效益目标，按年度分解如下："
        paragraphs.append(kinds_text)
        paragraphs.extend(_fill(rng, t, ctx) for t in chosen)
    else:
        paragraphs.extend(_fill(rng, GOAL_BY_KIND[kind].format_map(_Partial(slots)), ctx) for kind in kinds)
    if len(years) > 3:
        paragraphs.append(f"展望{years[3]}年，力争建成全国有影响力的行业数字化转型服务高地。")
    return _pad(rng, ctx, paragraphs, GOAL_EXTRA, target)


class _Partial(dict[str, str]):
    """format_map helper leaving unknown {fields} in place for a second pass."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _pad(rng: random.Random, ctx: Context, paragraphs: list[str], extra: tuple[str, ...], target: int) -> list[str]:
    pool: list[str] = []
    for _ in range(200):
        if sum(count_chars(p) for p in paragraphs) >= target:
            break
        if not pool:
            pool = list(extra)
            rng.shuffle(pool)
        i = rng.randrange(1, len(paragraphs)) if len(paragraphs) > 1 else 0
        paragraphs[i] += _fill(rng, pool.pop(), ctx)
    return paragraphs


AREA_TITLES: dict[str, tuple[str, ...]] = {
    "评估咨询": ("做深{syn}", "开展{syn}行动", "提升{syn}水平"),
    "方案开发": ("推进{syn}", "加快{syn}步伐", "聚焦{syn}"),
    "项目实施": ("推动{syn}", "抓好{syn}", "做实{syn}"),
    "供需对接": ("深化{syn}", "打造{syn}平台", "常态化开展{syn}"),
    "设施联通": ("推进{syn}", "夯实{syn}底座"),
    "数据共享": ("促进{syn}", "构建{syn}机制"),
    "人才培养": ("强化{syn}", "开展{syn}行动", "健全{syn}体系"),
    "政策宣贯": ("做好{syn}", "推进{syn}进园区"),
}
AREA_SENTENCES: dict[str, tuple[str, ...]] = {
    "评估咨询": (
        "面向{ind0}行业中小企业开展{syn}，由专家上门查看产线、盘点系统，每年覆盖企业不少于{x1}家。",
        "每家企业出具一份转型现状画像，列明短板、优先事项和投入估算，供企业决策参考。",
        "开发线上问卷工具，企业先行自测，再由顾问到厂复核并给出改进次序。",
        "对多家企业暴露的共性短板进行归纳，编制行业转型难点清单，指导后续服务安排。",
        "按照企业规模和信息化基础，分档提供快速体检、专题问诊和中长期规划三类服务。",
    ),
    "方案开发": (
        "围绕{inds}行业共性痛点推进{syn}，重点形成设备监控、质量追溯、能耗看板等轻量化工具。",
        "每年新增面向细分场景的工具包不少于{k}套，建立工具目录并滚动更新。",
        "联合高校院所共建联合实验室，把工艺机理与算法模型结合起来，研制行业工业智能体。",
        "新工具先在典型企业试用打磨，验证成效后再向同类企业推广。",
        "推动工具按订阅方式提供，降低中小企业一次性投入，让企业“用得起、用得好”。",
    ),
    "项目实施": (
        "组建专业工程团队推动{syn}，按照“摸底—改造—验收”闭环推进车间升级。",
        "计划三年内完成改造工程{x2}个，其中面向中小企业的轻量化工程占比不低于七成。",
        "对每个工程实行节点管控和第三方验收，确保进度、质量和成效可追溯。",
        "选树一批成效显著的标杆工程，总结形成可复制的升级模式。",
        "针对中小企业资金压力，探索“先改造、后付费”和效果分成等合作方式。",
    ),
    "供需对接": (
        "搭建线上线下结合的{syn}平台，汇聚优质服务商和产品，帮助企业找到合适的服务。",
        "每季度举办行业专场活动，组织服务商与企业面对面交流，促成合作签约。",
        "建立服务商评价与准入退出机制，定期发布优质服务商名录。",
        "联合金融机构推出“转型贷”，为企业升级改造提供融资支持。",
        "建立企业诉求库和服务资源库，实现诉求发布、智能推荐、跟踪反馈的闭环管理。",
    ),
    "设施联通": (
        "推进{syn}，在重点园区部署工业互联网标识解析节点和5G专网，降低企业网络接入成本。",
        "建设共享算力中心和边缘计算节点，为中小企业提供低成本的计算与存储资源。",
        "推动企业生产设备接入网络，计划三年新增接入设备{t1}台套。",
        "开放检测验证设备和中试环境，为企业新技术应用提供测试条件。",
    ),
    "数据共享": (
        "在保障安全的前提下推动{syn}，建设行业数据资源目录和可信数据空间。",
        "制定数据采集、治理和使用规范，推动供应链上下游数据安全有序流动。",
        "汇聚行业样本与算法资源，向中小企业开放调用，促进行业知识经验沉淀与复用。",
        "探索数据资产登记和收益分配办法，激发企业参与的积极性。",
    ),
    "人才培养": (
        "实施{syn}计划，面向企业经营者、技术骨干和一线员工分层分类开设课程。",
        "联合高校共建实训基地，开发课程{k}0门，每年参训学员不少于{t1}人次。",
        "建立专家库和讲师库，推动企业首席数据官制度落地。",
        "组织标杆企业现场观摩和经验交流，以案例教学提升学习实效。",
    ),
    "政策宣贯": (
        "做好国家和省市转型支持政策的{syn}工作，通过解读会、线上专栏等方式扩大覆盖面。",
        "协助主管部门开展项目申报辅导，帮助企业用足用好各类扶持措施。",
        "及时收集企业诉求并向主管部门反馈，为政策完善提供参考。",
        "编印政策汇编和办事指南，深入园区和企业开展“送政策上门”活动。",
    ),
}
CONTENT_INTRO = (
    "围绕{inds}行业中小企业数字化转型需求，数促中心将聚焦以下重点任务，细化为可落地、可执行、可考核的具体项目。",
    "结合{city}产业基础和自身优势，数促中心确定如下建设重点，建设期为2026年至2028年。",
)
CONTENT_PROJECT = (
    "具体项目：{title}专项，总投资{fund}万元，2027年底前完成建设并投入运行，考核指标为服务企业{x1}家。",
    "具体项目：实施{title}工程，计划投资{fund}万元，分两期建设，形成年服务{x2}家次的能力。",
)
CONTENT_EXTRA = (
    "各项任务均明确责任部门、完成时限和考核指标，纳入年度工作计划统筹推进。",
    "建立任务台账，按季度跟踪进展并动态调整。",
    "对服务中小微企业的项目给予费用优惠，降低企业转型门槛。",
    "注重与园区、行业协会协同，形成服务合力。",
    "每项任务设置量化考核指标，由第三方机构开展年度评估。",
)


GENERIC_AREA = (
    "围绕{syn}，制定三年行动计划，明确年度目标、责任人和考核指标，2026年完成基础能力建设，2027年形成规模化服务能力。",
    "在{syn}方面，重点面向{ind0}行业中小企业，按照“标准化服务+个性化定制”的模式提供服务，服务价格较市场平均水平优惠{disc}%以上。",
    "建立{syn}服务标准和流程规范，编制服务指南和操作手册，确保服务质量可控、成效可评。",
    "配备专职团队{k}0人，其中行业专家{k}人，建立服务质量回访和持续改进机制。",
    "依托{city}产业集群优势，以点带面推动{syn}工作在重点园区全覆盖，计划覆盖园区{k}个。",
    "建设期内，相关投入不少于{fund}万元，形成年服务企业{x1}家次的能力。",
    "强化与高校院所和行业协会的合作，整合各方资源，提升{syn}服务的专业化水平。",
    "建立线上服务窗口，企业可通过平台提交需求、跟踪进度和评价服务，实现全过程数字化管理。",
    "针对{ind0}行业“不会转、不能转、不敢转”等问题，分行业、分规模提供差异化服务。",
    "每年形成{syn}工作总结报告，向主管部门报送服务数据和典型案例。",
)


def content(rng: random.Random, ctx: Context, areas: list[str], synonyms: bool, target: int) -> list[str]:
    """建设内容 text covering exactly `areas` (some named by synonym when `synonyms`)."""
    paragraphs = [_fill(rng, rng.choice(CONTENT_INTRO), ctx)]
    per_area = max(120, (target - 60) // max(1, len(areas)))
    generic = list(GENERIC_AREA)
    rng.shuffle(generic)
    numbering = rng.choice(("（{cn}）", "{n}.", "（{n}）", "{n}、"))
    for i, area in enumerate(areas):
        syn = rng.choice(AREA_SYNONYMS[area][1:]) if synonyms and rng.random() < 0.6 else area
        title = rng.choice(AREA_TITLES[area]).format(syn=syn)
        specific = list(AREA_SENTENCES[area])
        rng.shuffle(specific)
        pool = specific[:1] + [g for g in generic[i::len(areas)]] + specific[1:]
        body = ""
        for sentence in pool:
            if count_chars(body) > per_area * 0.85:
                break
            body += _fill(rng, sentence.replace("{syn}", syn), ctx)
        if rng.random() < 0.6 and count_chars(body) < per_area:
            body += _fill(rng, rng.choice(CONTENT_PROJECT).replace("{title}", title), ctx)
        paragraphs.append(numbering.format(cn=CN_NUM[i], n=i + 1) + title)
        paragraphs.append(body)
    return _pad_body(rng, ctx, paragraphs, target)


def _pad_body(rng: random.Random, ctx: Context, paragraphs: list[str], target: int) -> list[str]:
    """Pad the body paragraphs with neutral sentences (each used once) up to `target`."""
    extra = list(CONTENT_EXTRA)
    rng.shuffle(extra)
    bodies = list(range(2, len(paragraphs), 2)) or [0]
    serial = 0
    while sum(count_chars(p) for p in paragraphs) < target and serial < 60:
        i = rng.choice(bodies)
        if extra:
            paragraphs[i] += _fill(rng, extra.pop(), ctx)
        else:
            # Out of neutral sentences: itemise further projects under the section's own heading.
            serial += 1
            title = re.sub(r"^[（(]?[一二三四五六七八九十0-9]+[）)、.]?", "", paragraphs[i - 1])
            paragraphs[i] += _fill(rng, PROJECT_DETAIL.format(n=serial, title=title, fund="{fund}", k="{k}",
                                                              x1="{x1}"), ctx)
    return paragraphs


PROJECT_DETAIL = "重点项目{n}：{title}配套工程，总投资{fund}万元，建设周期{k}个月，建成后新增服务能力{x1}家次/年。"


GUARANTEE_CORE = (
    ("一是健全管理机制。成立数促中心建设领导小组，由{short}主要负责人任组长，下设综合管理部、技术服务部和运营推广部，"
     "实行主任负责制。",
     "一是完善组织管理。数促中心实行理事会领导下的主任负责制，设立专家咨询委员会，负责重大事项决策和技术把关。"),
    ("二是规范资金管理。设立专项账户，实行专款专用，严格执行财务管理制度，接受审计和主管部门监督。",
     "二是强化资金保障。{short}计划三年投入建设资金{fund}万元，建立预算管理和资金使用绩效评价制度。"),
    ("三是建立收益分配机制。联合体各方按照协议约定的投入比例和任务分工分享收益，优先保障公益性服务投入。",
     "三是明确收益分配。服务收入在扣除运营成本后，按约定比例用于能力建设和团队激励。"),
    ("四是完善考核与人才机制。将服务企业数量、合同金额、企业满意度等纳入年度考核，建立核心人才股权激励和引进培养机制。",
     "四是落实任务考核与人才保障。建立季度调度、年度考核制度，计划新增专业人才{k}0名。"),
    ("五是争取地方支持。{dept}将数促中心纳入全省数字化转型服务体系，{city}在资金、场地和政策方面给予支持，"
     "提供办公场地{area}平方米。",
     "在地方支持方面，{dept}给予专项资金支持，{city}提供服务场地{area}平方米并在项目申报、宣传推广等方面给予倾斜。"),
)
GUARANTEE_EXTRA = (
    "数促中心实行年度工作报告制度，主动接受主管部门和社会监督。",
    "建立重大事项集体决策和信息公开制度。",
    "对核心技术骨干实施项目分红和股权激励，稳定人才队伍。",
    "与高校合作设立联合培养基地，持续引进高层次人才。",
    "建立风险防控机制，防范资金使用和项目实施风险。",
    "每年安排不低于服务收入{energy}%的资金用于公益性服务。",
    "联合体各方定期召开联席会议，协调解决建设中的重大问题。",
    "建立绩效评价结果与资金拨付、收益分配挂钩机制。",
    "{city}将数促中心纳入重点服务机构名录，在人才落户、子女入学等方面给予支持。",
    "定期向主管部门报送建设进展。",
    "建立服务质量投诉与回访制度。",
    "引入第三方机构开展绩效评价。",
    "强化数据安全和信息保密管理。",
)


def foundation(rng: random.Random, ctx: Context, target: int) -> list[str]:
    return _assemble(rng, ctx, [rng.choice(pair) for pair in FOUNDATION_CORE], list(FOUNDATION_EXTRA) * 2, target)


def guarantee(rng: random.Random, ctx: Context, target: int) -> list[str]:
    return _assemble(rng, ctx, [rng.choice(pair) for pair in GUARANTEE_CORE], list(GUARANTEE_EXTRA), target)
