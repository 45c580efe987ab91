"""Defects injected on purpose, one function per CHECKS.md rule the corpus must exercise.

Each defect changes the document data (what will be printed, or which pages,
seals and signatures exist) and returns whether it applied; the expected checks
are then computed from the resulting truth by `samples.rules`, not recorded here,
so a defect that also triggers another rule is caught honestly.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from models import ContractRow, Member, TrainingRow
from samples import content as c
from samples import data

Defect = Callable[[random.Random, c.Application], bool]
TABLE_ROLES = ("appendix2_table1", "appendix2_table2", "appendix2_table3",
               "appendix3_table1", "appendix3_table2", "appendix3_table3")
SEAL_SLOTS = ("cover_applicant", "cover_recommender", "commitment", *TABLE_ROLES)


def _year(app: c.Application, rng: random.Random) -> int:
    return rng.choice((0, 1))


def contract_total(rng: random.Random, app: c.Application) -> bool:
    row = app.service[_year(app, rng)]
    if row.contract_amount is None or "appendix2_table2" in app.missing_roles:
        return False
    row.contract_amount = round(row.contract_amount + rng.choice((-1, 1)) * c.money(rng, 12, 300), 2)
    row.contract_amount = abs(row.contract_amount)
    return True


def enterprise_count(rng: random.Random, app: c.Application) -> bool:
    row = app.service[_year(app, rng)]
    if row.enterprises is None or "appendix2_table2" in app.missing_roles:
        return False
    row.enterprises += rng.choice((-2, -1, 1, 3, 5)) if row.enterprises > 2 else 4
    return True


def trainee_total(rng: random.Random, app: c.Application) -> bool:
    row = app.service[_year(app, rng)]
    if row.trainees is None or "appendix2_table3" in app.missing_roles:
        return False
    row.trainees += rng.choice((-40, -10, 20, 100, 350))
    return True


def _resource_count(field: str) -> Defect:
    def inject(rng: random.Random, app: c.Application) -> bool:
        role = "appendix3_table2" if field == "providers" else "appendix3_table1"
        r24, r25 = app.resources
        if role in app.missing_roles or getattr(r25, field) is None:
            return False
        setattr(r25, field, getattr(r25, field) + rng.randint(1, 4))
        setattr(r24, field, min(getattr(r24, field), getattr(r25, field)))
        return True

    return inject


def financing_total(rng: random.Random, app: c.Application) -> bool:
    r25 = app.resources[1]
    if "appendix3_table3" in app.missing_roles or r25.financing is None:
        return False
    r25.financing = round(r25.financing + c.money(rng, 100, 2000), 1)
    return True


def cumulative_decrease(rng: random.Random, app: c.Application) -> bool:
    r24, r25 = app.resources
    field = rng.choice(("investors", "financing", "universities", "providers"))
    value = getattr(r25, field)
    if value is None:
        return False
    setattr(r24, field, round(value * 1.3 + 2, 1) if field == "financing" else value + rng.randint(1, 5))
    return True


def contract_date_out_of_range(rng: random.Random, app: c.Application) -> bool:
    # An extra contract outside 2024–2025: the yearly totals are unaffected.
    day = rng.choice((dt.date(2023, rng.randint(9, 12), rng.randint(1, 28)), dt.date(2026, rng.randint(1, 3), 15)))
    template = app.contracts[-1]
    no = f"{template.contract_no}-B" if template.contract_no else "HT-2023-001"
    row = ContractRow(date=day, contract_no=no, enterprise=c.company(rng, app.city), amount=c.money(rng, 10, 90))
    if day.year == 2023:
        app.contracts.insert(0, row)
    else:
        app.contracts.append(row)
    return True


def training_date_out_of_range(rng: random.Random, app: c.Application) -> bool:
    row = TrainingRow(date=dt.date(2023, rng.randint(10, 12), rng.randint(1, 28)), name=rng.choice(data.TRAINING_NAMES),
                      participants=rng.randint(30, 120))
    app.trainings.insert(0, row)
    return True


def duplicate_contract_no(rng: random.Random, app: c.Application) -> bool:
    years = [r.date.year if r.date else None for r in app.contracts]
    same_year = [i for i in range(1, len(years)) if years[i] is not None and years[i] == years[i - 1]]
    if not same_year:
        return False
    i = rng.choice(same_year)
    app.contracts[i].contract_no = app.contracts[i - 1].contract_no
    return True


def invalid_credit_code(rng: random.Random, app: c.Application) -> bool:
    code = app.lead.credit_code or ""
    if len(code) != 18:
        return False
    if rng.random() < 0.5:
        wrong = [ch for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY" if ch != code[17]]
        app.lead.credit_code = code[:17] + rng.choice(wrong)
    else:
        app.lead.credit_code = code[:-1]  # 17 characters: a digit left off
    return True


def not_legal_person(rng: random.Random, app: c.Application) -> bool:
    app.lead.is_legal_person = False
    return True


def too_many_industries(rng: random.Random, app: c.Application) -> bool:
    extra = [i for i in data.INDUSTRY_WRITTEN if i not in app.lead.main_industries]
    while len(app.industries_written) < 4:
        app.industries_written.append(extra.pop(rng.randrange(len(extra))))
    app.lead.main_industries = list(app.industries_written)
    return True


def unknown_industry(rng: random.Random, app: c.Application) -> bool:
    app.industries_written[-1] = rng.choice(data.UNKNOWN_INDUSTRIES)
    app.lead.main_industries = list(app.industries_written)
    return True


def too_many_members(rng: random.Random, app: c.Application) -> bool:
    while len(app.members) < 7:
        app.members.append(Member(name=c.company(rng, app.city), type=rng.choice(("服务商", "制造业企业"))))
    app.agreement_page = True
    return True


def insufficient_experience(rng: random.Random, app: c.Application) -> bool:
    app.lead.established = dt.date(rng.choice((2024, 2025)), rng.randint(6, 12), rng.randint(1, 28))
    return True


def word_limit(rng: random.Random, app: c.Application) -> bool:
    if any(v is None for v in app.sections.values()):
        return False
    c.write_plan(rng, app, app.content_areas, app.goal_years, over=rng.choice(("foundation", "goals", "content",
                                                                                 "guarantee")))
    return True


def section_missing(rng: random.Random, app: c.Application) -> bool:
    key = rng.choice(("foundation", "goals", "guarantee", "content"))
    app.sections[key] = None
    return True


def few_areas(rng: random.Random, app: c.Application) -> bool:
    if app.sections.get("content") is None:
        return False
    areas = sorted(rng.sample(c.CONTENT_AREAS, 2), key=c.CONTENT_AREAS.index)
    c.write_plan(rng, app, areas, app.goal_years)
    return True


def goals_not_by_year(rng: random.Random, app: c.Application) -> bool:
    if app.sections.get("goals") is None:
        return False
    c.write_plan(rng, app, app.content_areas, rng.choice(([2028], [])))
    return True


def provider_industries(rng: random.Random, app: c.Application) -> bool:
    i = rng.randrange(len(app.providers))
    inds = rng.sample(list(data.INDUSTRY_WRITTEN), 4)
    app.providers[i].industries = inds
    app.provider_industries_written[i] = inds
    return True


def provider_capability(rng: random.Random, app: c.Application) -> bool:
    app.providers[rng.randrange(len(app.providers))].capability = rng.choice(data.LONG_CAPABILITIES)
    return True


def invalid_phone(rng: random.Random, app: c.Application) -> bool:
    if rng.random() < 0.6 and app.head.mobile:
        app.head.mobile = app.head.mobile[:-1] if rng.random() < 0.5 else "2" + app.head.mobile[1:]
    elif app.cover.phone:
        app.cover.phone = app.cover.phone.replace("-", "")[:6]
    else:
        return False
    return True


def invalid_email(rng: random.Random, app: c.Application) -> bool:
    if not app.head.email:
        return False
    app.head.email = app.head.email.replace("@", rng.choice(("", "#", " at ")), 1)
    return True


def fill_date_late(rng: random.Random, app: c.Application) -> bool:
    app.cover.fill_date = dt.date(2026, rng.choice((6, 7)), rng.randint(21, 30))
    return True


def seal_missing(rng: random.Random, app: c.Application) -> bool:
    choices = [s for s in SEAL_SLOTS if s not in app.missing_roles and s not in app.unsealed_slots
               and s not in app.seal_override]
    app.unsealed_slots.add(rng.choice(choices))
    return True


def seal_name_mismatch(rng: random.Random, app: c.Application) -> bool:
    """A seal of another unit (a member, or a sister company) where the applicant's should be."""
    choices = [s for s in SEAL_SLOTS if s not in app.missing_roles and s not in app.unsealed_slots
               and s != "cover_recommender" and s not in app.seal_override]
    other = app.members[0].name if app.members else c.company(rng, app.city)
    app.seal_override[rng.choice(choices)] = other
    return True


def signature_missing(rng: random.Random, app: c.Application) -> bool:
    app.signature_missing = True
    return True


def attachment_missing(rng: random.Random, app: c.Application) -> bool:
    choices = [r for r in ("commitment", *TABLE_ROLES) if r not in app.missing_roles]
    app.missing_roles.add(rng.choice(choices))
    return True


def agreement_missing(rng: random.Random, app: c.Application) -> bool:
    if not app.members:
        app.members.append(Member(name=rng.choice(data.UNIVERSITIES), type="科研院所"))
    app.agreement_page = False
    return True


BLANKABLE: dict[str, Callable[[c.Application], tuple[object, str]]] = {
    "cover.contact": lambda a: (a.cover, "contact"),
    "cover.phone": lambda a: (a.cover, "phone"),
    "basic_info.head.email": lambda a: (a.head, "email"),
    "basic_info.head.title": lambda a: (a.head, "title"),
    "basic_info.lead_unit.registered_address": lambda a: (a.lead, "registered_address"),
    "basic_info.lead_unit.registered_capital": lambda a: (a.lead, "registered_capital"),
    "basic_info.finance[1].revenue": lambda a: (a.finance[1], "revenue"),
    "basic_info.resources[0].financing": lambda a: (a.resources[0], "financing"),
    "basic_info.service[0].trainees": lambda a: (a.service[0], "trainees"),
}


def blank_field(rng: random.Random, app: c.Application) -> bool:
    path = rng.choice(sorted(set(BLANKABLE) - set(app.blank_paths)))
    obj, attr = BLANKABLE[path](app)
    setattr(obj, attr, None)
    app.blank_paths.append(path)
    return True


DEFECTS: dict[str, Defect] = {
    "contract_total": contract_total, "enterprise_count": enterprise_count, "trainee_total": trainee_total,
    "investor_count": _resource_count("investors"), "university_count": _resource_count("universities"),
    "provider_count": _resource_count("providers"), "financing_total": financing_total,
    "cumulative_decrease": cumulative_decrease, "contract_date": contract_date_out_of_range,
    "training_date": training_date_out_of_range, "duplicate_contract_no": duplicate_contract_no,
    "invalid_credit_code": invalid_credit_code, "not_legal_person": not_legal_person,
    "too_many_industries": too_many_industries, "unknown_industry": unknown_industry,
    "too_many_members": too_many_members, "insufficient_experience": insufficient_experience,
    "word_limit": word_limit, "section_missing": section_missing, "few_areas": few_areas,
    "goals_not_by_year": goals_not_by_year, "provider_industries": provider_industries,
    "provider_capability": provider_capability, "invalid_phone": invalid_phone, "invalid_email": invalid_email,
    "fill_date_late": fill_date_late, "seal_missing": seal_missing, "signature_missing": signature_missing,
    "seal_name_mismatch": seal_name_mismatch,
    "attachment_missing": attachment_missing, "agreement_missing": agreement_missing, "blank_field": blank_field,
}


def inject(rng: random.Random, app: c.Application, names: list[str]) -> list[str]:
    """Apply the named defects in order; returns those that applied (also recorded on the app)."""
    applied = []
    for name in names:
        if DEFECTS[name](rng, app):
            applied.append(name)
    app.defects.extend(applied)
    return applied


# ---------------------------------------------------------------- recommendation defects


def rec_quota(rng: random.Random, rec: c.Recommendation, extra_names: list[str]) -> None:
    """Recommend one more than allowed, padding with names not in the batch if needed."""
    allowed = 3 if rec.province in data.BIG_PROVINCES else 2
    for name in extra_names:
        if len(rec.entries) > allowed:
            break
        rec.entries.append(c.RecommendedEntry(name=name, industries_written=[rng.choice(list(data.INDUSTRY_WRITTEN))],
                                              policies=c.policies(rng, "市级")))
    rec.defects.append("quota_exceeded")


def rec_seal_missing(rng: random.Random, rec: c.Recommendation) -> None:
    rec.unsealed_slots.add(rng.choice(("recommendation_letter", "recommendation_table")))
    rec.defects.append("seal_missing")
