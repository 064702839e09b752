"""Records of the regulators: market regulation, tax, ecology and environment, transport.

Owns what ``samr``, ``tax``, ``eco`` and ``transport`` report about a subject
and how often: registrations, double-publicity licences and penalties (food
safety among them, with a minor/general/serious mix), abnormal-operations
listings, commendations, tax grades and arrears. Rates are per subject over
the five-year window. This module must not write files nor inject noise; it
hands rows in header order to ``emit``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from xinyong.synth.dates import add_years
from xinyong.synth.noise import Cell
from xinyong.synth.organisations import LegalPerson
from xinyong.synth.people import Person
from xinyong.synth.records import (
    LONG_TERM,
    Context,
    Emit,
    Licence,
    Penalty,
    Subject,
    dp_license_row,
    dp_penalty_row,
    draw_penalty_terms,
    serial,
)

MARKET_TYPES = frozenset({"91", "92", "93"})
# Violations: (违法行为类型, 违法事实, 处罚依据); food safety is the largest share in samr.
SAMR_VIOLATIONS = (
    ("食品安全", "经营超过保质期的食品", "《中华人民共和国食品安全法》第一百二十四条第一款"),
    ("食品安全", "未按规定查验并记录进货票据", "《中华人民共和国食品安全法》第一百二十六条第一款"),
    ("食品安全", "餐具、饮具未按规定清洗消毒", "《中华人民共和国食品安全法》第一百二十六条第一款"),
    (
        "食品安全",
        "未取得食品经营许可从事食品经营活动",
        "《中华人民共和国食品安全法》第一百二十二条",
    ),
    ("产品质量", "销售不合格产品", "《中华人民共和国产品质量法》第四十九条"),
    ("广告违法", "发布虚假广告", "《中华人民共和国广告法》第五十五条"),
    ("价格违法", "不按规定明码标价", "《明码标价和禁止价格欺诈规定》第二十一条"),
    ("计量违法", "使用未经检定的计量器具", "《中华人民共和国计量法实施细则》第四十三条"),
)
TAX_VIOLATIONS = (
    ("税务违法", "未按照规定期限办理纳税申报", "《中华人民共和国税收征收管理法》第六十二条"),
    ("税务违法", "未按照规定开具发票", "《中华人民共和国发票管理办法》第三十五条"),
    ("偷税", "进行虚假纳税申报，不缴少缴税款", "《中华人民共和国税收征收管理法》第六十三条"),
)
ECO_VIOLATIONS = (
    ("环境污染", "超过排放标准排放大气污染物", "《中华人民共和国大气污染防治法》第九十九条"),
    ("环境污染", "未依法取得排污许可证排放污染物", "《排污许可管理条例》第三十三条"),
    ("环境影响评价", "建设项目未依法报批环境影响评价文件擅自开工建设",
     "《中华人民共和国环境影响评价法》第三十一条"),
    ("固体废物", "未按规定贮存危险废物", "《中华人民共和国固体废物污染环境防治法》第一百一十二条"),
)  # fmt: skip
TRANSPORT_VIOLATIONS = (
    ("道路运输", "未取得道路运输经营许可擅自从事道路运输经营", "《中华人民共和国道路运输条例》第六十三条"),
    ("超限运输", "车辆违法超限运输", "《公路安全保护条例》第六十四条"),
    ("网约车", "未取得网络预约出租汽车运输证从事网约车经营",
     "《网络预约出租汽车经营服务管理暂行办法》第三十四条"),
)  # fmt: skip
# Licences: (许可证书名称, 许可类别, years valid or 0 for long-term, 许可编号 prefix)
SAMR_LICENCES = (("食品经营许可证", "普通", 5, "JY"), ("食品生产许可证", "普通", 5, "SC"),
                 ("特种设备使用登记证", "登记", 0, "TS"))  # fmt: skip
ECO_LICENCES = (("排污许可证", "普通", 5, "PW"), ("辐射安全许可证", "普通", 5, "FS"),
                ("建设项目环境影响报告表批复", "核准", 0, "HP"))  # fmt: skip
TRANSPORT_LICENCES = (("道路运输经营许可证", "普通", 4, "YS"),)
TRANSPORT_PERSON_LICENCES = (("网络预约出租汽车驾驶员证", "认可", 6, "WY"),
                             ("道路运输从业资格证", "认可", 6, "CY"))  # fmt: skip
TAX_GRADES = (("A", 0.25), ("B", 0.55), ("M", 0.07), ("C", 0.10), ("D", 0.03))
TAX_KINDS = ("增值税", "企业所得税", "城镇土地使用税", "房产税", "个人所得税（代扣代缴）")
ABNORMAL_REASONS = (
    "未按照规定期限公示年度报告",
    "通过登记的住所或者经营场所无法联系",
    "公示企业信息隐瞒真实情况、弄虚作假",
)
_SHORT = {"samr": "市监", "tax": "税", "eco": "环", "transport": "交"}


def _penalty(ctx: Context, rng: random.Random, subject: Subject, dept: str, slot: int,
             catalog: tuple[tuple[str, str, str], ...], not_before: date) -> Penalty:  # fmt: skip
    person = isinstance(subject, Person)
    violation, fact, basis = rng.choice(catalog)
    decided = ctx.day(rng, not_before)
    category, content, fine, confiscated, until, remark = draw_penalty_terms(rng, person, decided)
    revoked = ""
    if "吊销" in category:
        revoked = f"许可证编号{subject.county.code}{serial(subject.index, slot, 0):09d}"
    doc = f"{ctx.initial}{_SHORT[dept]}罚〔{decided.year}〕{serial(subject.index, slot, 0)}号"
    return Penalty(doc, violation, f"经查，当事人{fact}，违反了{basis}的规定。", basis, category,
                   content, fine, confiscated, revoked, decided, until, remark)  # fmt: skip


def _licence(ctx: Context, rng: random.Random, subject: Subject, dept: str, slot: int,
             catalog: tuple[tuple[str, str, int, str], ...], not_before: date) -> Licence:  # fmt: skip
    certificate, category, years, prefix = rng.choice(catalog)
    decided = ctx.day(rng, not_before)
    number = serial(subject.index, slot, 0)
    return Licence(
        doc=f"{ctx.initial}{_SHORT[dept]}许〔{decided.year}〕{number}号",
        certificate=certificate,
        category=category,
        number=f"{prefix}{subject.county.code}{number:09d}",
        content=f"准予核发{certificate}",
        decided=decided,
        valid_to=add_years(decided, years) if years else LONG_TERM,
    )


@dataclass(frozen=True)
class Channel:
    """A department's double-publicity output: its two files, their slots and catalogs."""

    department: str
    licence_key: str | None
    penalty_key: str
    licence_slot: int
    penalty_slot: int
    licences: tuple[tuple[str, str, int, str], ...]
    violations: tuple[tuple[str, str, str], ...]


SAMR = Channel("samr", "samr-license", "samr-penalty", 1, 2, SAMR_LICENCES, SAMR_VIOLATIONS)
SAMR_PERSONS = Channel("samr", None, "samr-penalty", 1, 2, (), SAMR_VIOLATIONS[3:4])
TAX = Channel("tax", None, "tax-penalty", 0, 1, (), TAX_VIOLATIONS)
ECO = Channel("eco", "eco-license", "eco-penalty", 1, 0, ECO_LICENCES, ECO_VIOLATIONS)
TRANSPORT = Channel("transport", "transport-license", "transport-penalty", 1, 0,
                    TRANSPORT_LICENCES, TRANSPORT_VIOLATIONS)  # fmt: skip
TRANSPORT_PERSONS = Channel("transport", "transport-license", "transport-penalty", 1, 0,
                            TRANSPORT_PERSON_LICENCES, TRANSPORT_VIOLATIONS)  # fmt: skip


def _double_publicity(ctx: Context, rng: random.Random, subject: Subject, emit: Emit,
                      channel: Channel, rates: tuple[float, float], not_before: date) -> None:  # fmt: skip
    """Maybe one licence and maybe one penalty of ``channel`` at (licence, penalty) ``rates``."""
    person = isinstance(subject, Person)
    placeholder = isinstance(subject, LegalPerson) and subject.placeholder
    dept = channel.department
    if channel.licence_key and rng.random() < rates[0]:
        lic = _licence(ctx, rng, subject, dept, channel.licence_slot, channel.licences, not_before)
        by = ctx.local_authority(dept, subject.county, rng)
        emit(channel.licence_key, dp_license_row(ctx, subject, lic, by), person, placeholder)
    if rng.random() < rates[1]:
        pen = _penalty(
            ctx, rng, subject, dept, channel.penalty_slot, channel.violations, not_before
        )
        by = ctx.local_authority(dept, subject.county, rng)
        emit(channel.penalty_key, dp_penalty_row(ctx, subject, pen, by), person, placeholder)


def market_records(ctx: Context, rng: random.Random, lp: LegalPerson, emit: Emit) -> None:
    """samr, tax, eco and transport records of one legal person."""
    t, since = lp.type_code, lp.established
    if t in MARKET_TYPES:
        _registry_row(ctx, rng, lp, emit)
        _double_publicity(ctx, rng, lp, emit, SAMR, (0.30 if t == "92" else 0.2, 0.04), since)
        _samr_credit(ctx, rng, lp, emit)
        _tax(ctx, rng, lp, emit)
        _double_publicity(ctx, rng, lp, emit, TAX, (0.0, 0.02), since)
    if t in ("91", "12"):
        _double_publicity(ctx, rng, lp, emit, ECO, (0.04, 0.01 if t == "91" else 0.002), since)
    if t in ("91", "92"):
        rates = (0.03 if t == "91" else 0.015, 0.01)
        _double_publicity(ctx, rng, lp, emit, TRANSPORT, rates, since)


def person_market_records(ctx: Context, rng: random.Random, person: Person, emit: Emit) -> None:
    """Transport and market-regulation decisions about a natural person (drivers, unlicensed trade)."""
    adult = add_years(person.birth, 18)
    if adult > ctx.as_of:
        return
    _double_publicity(ctx, rng, person, emit, TRANSPORT_PERSONS, (0.01, 0.02), adult)
    _double_publicity(ctx, rng, person, emit, SAMR_PERSONS, (0.0, 0.003), adult)


def _registry_row(ctx: Context, rng: random.Random, lp: LegalPerson, emit: Emit) -> None:
    rep = lp.representative
    by = ctx.authority("samr", lp.county)
    state = "存续（在营、开业、在册）" if rng.random() < 0.93 else "注销"
    doc = f"（{ctx.initial}）登记内设字〔{lp.established.year}〕第{serial(lp.index, 0, 0)}号"
    row: list[Cell] = [doc, lp.code, lp.name, lp.type_name, rep.name, rep.code, lp.established, lp.capital,
           lp.address, by.name, state]  # fmt: skip
    emit("samr-registry", row, False, False)


def _samr_credit(ctx: Context, rng: random.Random, lp: LegalPerson, emit: Emit) -> None:
    k = 0
    if rng.random() < (0.08 if lp.type_code == "93" else 0.04):
        day = ctx.day(rng, add_years(lp.established, 1))
        by = ctx.authority("samr", lp.county)
        doc = f"{ctx.initial}市监异〔{day.year}〕{serial(lp.index, 3, k)}号"
        row: list[Cell] = ["经营异常名录", doc, lp.name, lp.code, lp.representative.name,
               rng.choice(ABNORMAL_REASONS), day, by.name]  # fmt: skip
        emit("samr-credit", row, False, False)
        k += 1
    if lp.type_code == "91" and rng.random() < 0.01:
        day = ctx.day(rng, add_years(lp.established, 2))
        by = ctx.authority("samr", None)
        doc = f"{ctx.initial}市监字〔{day.year}〕{serial(lp.index, 3, k)}号"
        row = ["守合同重信用企业", doc, lp.name, lp.code, lp.representative.name,
               f"{day.year - 1}年度守合同重信用企业", day, by.name]  # fmt: skip
        emit("samr-credit", row, False, False)


def _tax(ctx: Context, rng: random.Random, lp: LegalPerson, emit: Emit) -> None:
    rep, by = lp.representative, ctx.authority("tax", lp.county)
    k = 0
    if lp.type_code != "92":
        for year in range(ctx.as_of.year - 3, ctx.as_of.year):
            published = date(year + 1, 4, rng.randint(10, 28))
            if lp.established > date(year, 12, 31) or published > ctx.as_of:
                continue
            grade = _grade(rng, year - lp.established.year)
            doc = f"{ctx.initial}税信〔{year + 1}〕{serial(lp.index, 0, k)}号"
            row: list[Cell] = ["纳税信用等级评价", doc, lp.name, lp.code, rep.name, rep.code, str(year), grade,
                   "", "", published, by.name]  # fmt: skip
            emit("tax-credit", row, False, False)
            k += 1
    if rng.random() < 0.02:
        day = ctx.day(rng, lp.established)
        amount = f"{rng.randint(500, 2_000_000) + rng.randint(0, 99) / 100:.2f}"
        doc = f"{ctx.initial}税欠〔{day.year}〕{serial(lp.index, 0, k)}号"
        row = ["欠税公告", doc, lp.name, lp.code, rep.name, rep.code, "", "",
               rng.choice(TAX_KINDS), amount, day, by.name]  # fmt: skip
        emit("tax-credit", row, False, False)


def _grade(rng: random.Random, years_operating: int) -> str:
    if years_operating < 1:
        return "M"  # newly established
    draw = rng.random()
    for grade, share in TAX_GRADES:
        draw -= share
        if draw < 0:
            return "B" if grade == "A" and years_operating < 3 else grade
    return "B"
