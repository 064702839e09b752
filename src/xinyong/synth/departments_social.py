"""Records of the other departments: police, courts, human resources, civil affairs, volunteering, finance.

Owns what ``psb``, ``court``, ``hrss``, ``civil``, ``volunteer`` and
``finance`` report about a subject and how often: the person base file, money
judgments and judgment defaulters (the six SPC 2017 circumstances),
social-insurance arrears and professional qualifications, social-organisation
registrations, donations and commendations, volunteer hours, procurement
contract fulfilment and breach. This module must not write files nor inject
noise; it hands rows in header order to ``emit``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from xinyong.synth.dates import add_years
from xinyong.synth.noise import Cell
from xinyong.synth.organisations import LegalPerson
from xinyong.synth.people import Person
from xinyong.synth.records import Context, Emit, Subject, serial

DEFAULTER_CIRCUMSTANCES = (
    "有履行能力而拒不履行生效法律文书确定义务",
    "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
    "违反财产报告制度",
    "违反限制消费令",
    "无正当理由拒不履行执行和解协议",
)
CAUSES = (
    "民间借贷纠纷",
    "买卖合同纠纷",
    "金融借款合同纠纷",
    "房屋租赁合同纠纷",
    "建设工程施工合同纠纷",
)
QUALIFICATIONS = {
    "teacher": "教师资格",
    "doctor": "医师资格",
    "accountant": "注册会计师",
    "pharmacist": "执业药师职业资格",
    "lawyer": "法律职业资格",
    "tour_guide": "导游资格",
}
SKILLS = ("职业技能等级证书（电工）", "职业技能等级证书（焊工）", "职业技能等级证书（育婴员）")
INSURANCES = ("企业职工基本养老保险", "失业保险", "工伤保险")
DONATION_PROJECTS = ("慈善一日捐", "助学帮困", "抗灾救灾", "乡村振兴", "关爱困境儿童")
PERSON_HONOURS = ("见义勇为先进个人", "道德模范", "优秀志愿者", "诚信之星")
ORG_HONOURS = ("5A级社会组织", "4A级社会组织", "先进社会组织")
VOLUNTEER_PROJECTS = ("社区环境清洁", "关爱空巢老人", "文明交通劝导", "海滩环保行动", "应急救援培训",
                      "图书馆志愿服务", "助残服务")  # fmt: skip
PROCUREMENTS = (
    "办公设备",
    "物业管理服务",
    "医疗设备",
    "校园食堂食材",
    "道路维修工程",
    "信息化平台",
)
BREACHES = ("逾期交付且经催告后仍未履行", "提供虚假材料谋取中标", "中标后无正当理由拒不签订合同")
SOCIAL_ORG_TYPES = {"51": "社会团体", "52": "民办非企业单位", "53": "基金会"}


def person_row(ctx: Context, person: Person, emit: Emit) -> None:
    """The police base file: one row per person."""
    by = ctx.authority("psb", person.county)
    row: list[Cell] = [f"HJ{person.county.code}{serial(person.index, 0, 0):010d}", person.name, person.code,
           person.sex, person.birth, person.address, person.county.name, by.name]  # fmt: skip
    emit("psb-persons", row, True, False)


def social_records(ctx: Context, rng: random.Random, subject: Subject, emit: Emit) -> None:
    """court, hrss, civil, volunteer and finance records of one subject."""
    _court(ctx, rng, subject, emit)
    _hrss(ctx, rng, subject, emit)
    _civil(ctx, rng, subject, emit)
    if isinstance(subject, Person):
        _volunteer(ctx, rng, subject, emit)
    elif subject.type_code == "91":
        _finance(ctx, rng, subject, emit)


def _court(ctx: Context, rng: random.Random, subject: Subject, emit: Emit) -> None:
    person = isinstance(subject, Person)
    judged = rng.random() < (0.01 if person else 0.02)
    defaulter = rng.random() < (0.004 if person else 0.006)
    if not (judged or defaulter):
        return
    since = add_years(subject.birth, 18) if isinstance(subject, Person) else subject.established
    court = ctx.authority("court", subject.county if rng.random() < 0.85 else None)
    amount = rng.randint(20, 5000) * 100 if person else rng.randint(50, 50_000) * 100
    cause = rng.choice(CAUSES)
    judgment_day = ctx.day(rng, since)
    filed = max(since, judgment_day - timedelta(days=rng.randint(30, 300)))
    court_no = f"{ctx.region.province_abbreviation}{court.code[4:8]}"
    kind, sex, rep = ("自然人", subject.sex, "") if isinstance(subject, Person) else (
        "法人或非法人组织", "", subject.representative.name)  # fmt: skip
    duty = f"偿还{cause[:-2]}款项{amount}元及利息"
    if judged or rng.random() < 0.7:  # most defaulters were sued first
        case = f"（{filed.year}）{court_no}民初{serial(subject.index, 0, 0)}号"
        emit("court-cases", ["民事判决", case, court.name, kind, subject.name, subject.code, sex, rep,
                             cause, duty, str(amount), "", filed, judgment_day], person, False)  # fmt: skip
    if defaulter:
        listed = ctx.day(rng, judgment_day)
        case = f"（{listed.year}）{court_no}执{serial(subject.index, 0, 1)}号"
        emit("court-cases", ["失信被执行人", case, court.name, kind, subject.name, subject.code, sex,
                             rep, cause, duty, str(amount), rng.choice(DEFAULTER_CIRCUMSTANCES),
                             judgment_day, listed], person, False)  # fmt: skip


def _hrss(ctx: Context, rng: random.Random, subject: Subject, emit: Emit) -> None:
    county = subject.county
    if isinstance(subject, Person):
        name = next((QUALIFICATIONS[p] for p in subject.professions if p in QUALIFICATIONS), None)
        if name is None and rng.random() < 0.03 and add_years(subject.birth, 18) <= ctx.as_of:
            name = rng.choice(SKILLS)
        if name is None:
            return
        day = ctx.day(rng, add_years(subject.birth, 22))
        doc = f"{day.year}{county.code}{serial(subject.index, 0, 0):010d}"
        by = ctx.authority("hrss", None)
        emit("hrss-records", ["专业技术人员职业资格", doc, "个人", subject.name, subject.code, name, "",
                              day, by.name], True, False)  # fmt: skip
        return
    rate = {"91": 0.02, "52": 0.01, "12": 0.002}.get(subject.type_code, 0.0)
    if rng.random() < rate:
        day = ctx.day(rng, add_years(subject.established, 1))
        doc = f"{ctx.initial}人社欠〔{day.year}〕{serial(subject.index, 0, 0)}号"
        amount = f"{rng.randint(1_000, 900_000) + rng.randint(0, 99) / 100:.2f}"
        by = ctx.authority("hrss", county)
        emit("hrss-records", ["社会保险费欠费", doc, "单位", subject.name, subject.code,
                              rng.choice(INSURANCES), amount, day, by.name], False, False)  # fmt: skip


def _civil(ctx: Context, rng: random.Random, subject: Subject, emit: Emit) -> None:
    person = isinstance(subject, Person)
    type_code = subject.type_code if isinstance(subject, LegalPerson) else ""
    social = type_code in SOCIAL_ORG_TYPES
    if social and isinstance(subject, LegalPerson):
        _social_org_row(ctx, subject, emit)
    k, kind = 0, "个人" if person else "单位"
    giving = 0.02 if person else (0.03 if type_code == "91" else 0.0)
    if rng.random() < giving:
        day = ctx.day(rng, _civil_since(subject))
        amount = rng.randint(1, 100) * 100 if person else rng.randint(1, 100) * 10_000
        doc = f"{ctx.initial}慈捐〔{day.year}〕{serial(subject.index, 1, k)}号"
        emit("civil-records", ["慈善捐赠", doc, kind, subject.name, subject.code,
                               rng.choice(DONATION_PROJECTS), str(amount), day,
                               f"{ctx.region.prefecture_name}慈善总会"], person, False)  # fmt: skip
        k += 1
    if rng.random() < (0.005 if person else 0.1 if social else 0.0):
        day = ctx.day(rng, _civil_since(subject))
        doc = f"{ctx.initial}民表〔{day.year}〕{serial(subject.index, 1, k)}号"
        honour = rng.choice(PERSON_HONOURS if person else ORG_HONOURS)
        by = ctx.authority("civil", None)
        emit("civil-records", ["表彰奖励", doc, kind, subject.name, subject.code, honour, "", day,
                               by.name], person, False)  # fmt: skip


def _civil_since(subject: Subject) -> date:
    return add_years(subject.birth, 16) if isinstance(subject, Person) else subject.established


def _social_org_row(ctx: Context, org: LegalPerson, emit: Emit) -> None:
    rep = org.representative
    by = ctx.authority("civil", org.county)
    doc = f"{ctx.initial}民证字第{serial(org.index, 0, 0)}号"
    supervisor = (
        "无" if org.type_code == "51" and org.index % 3 == 0 else f"{org.county.name}教育和体育局"
    )
    emit("civil-orgs", [doc, org.name, org.code, SOCIAL_ORG_TYPES[org.type_code], rep.name, rep.code,
                        org.established, org.capital, supervisor, org.address, by.name], False,
         False)  # fmt: skip


def _volunteer(ctx: Context, rng: random.Random, person: Person, emit: Emit) -> None:
    if rng.random() >= 0.12:
        return
    team = f"{person.county.name}新时代文明实践志愿服务队"
    since = add_years(person.birth, 14)
    for k in range(rng.randint(1, 6)):
        day = ctx.day(rng, since)
        hours = f"{rng.randint(2, 16) / 2:g}"
        doc = f"ZY{day.year}{serial(person.index, 0, k):010d}"
        emit("volunteer-service", [doc, person.name, person.code, rng.choice(VOLUNTEER_PROJECTS),
                                   team, day, hours], True, False)  # fmt: skip


def _finance(ctx: Context, rng: random.Random, lp: LegalPerson, emit: Emit) -> None:
    fulfilled = rng.random() < 0.03
    breached = rng.random() < 0.003
    for k, (label, happened) in enumerate((("履约验收", fulfilled), ("违约失信", breached))):
        if not happened:
            continue
        day = ctx.day(rng, lp.established)
        buyer = f"{lp.county.name}{rng.choice(('人民医院', '第一中学', '机关事务服务中心', '住房和城乡建设局'))}"
        project = f"{buyer}{rng.choice(PROCUREMENTS)}采购项目"
        amount = f"{rng.randint(50, 20_000) * 100}.00"
        outcome = "按期履约，验收合格" if label == "履约验收" else rng.choice(BREACHES)
        doc = f"{ctx.initial}财采〔{day.year}〕{serial(lp.index, 0, k)}号"
        contract = f"HT{day.year}{serial(lp.index, 0, k):010d}"
        emit("finance-procurement", [label, doc, lp.name, lp.code, project, contract, amount, outcome,
                                     day, buyer], False, False)  # fmt: skip
