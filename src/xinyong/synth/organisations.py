"""Legal persons (法人和非法人组织) of the synthetic city, regenerated from (seed, index) alone.

Owns a legal person's identity: USCC (authority and type weighted as in a real
city, division of one of the city's counties, a GB 11714 organisation code
numbered through a keyed permutation so codes never collide), a name fitting
its type (Faker zh_CN company prefixes and suffixes, with our own words for
shops, cooperatives, associations, foundations, law firms …), establishment
date, registered capital and a legal representative who is one of the
generated persons. This module must not write files nor know about departments.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import date, timedelta

from faker.providers.company.zh_CN import Provider as FakerCompany

from xinyong.synth.dates import add_years
from xinyong.synth.ids import (
    USCC_ALPHABET,
    Permutation,
    make_uscc,
    mix64,
    to_base,
)
from xinyong.synth.people import People, Person, person_at_or_before
from xinyong.synth.regions import County, Region

# (authority + type code, type name, weight); 92 and 91 dominate as in the registry.
TYPES: tuple[tuple[str, str, float], ...] = (
    ("92", "个体工商户", 0.55),
    ("91", "企业", 0.33),
    ("93", "农民专业合作社", 0.03),
    ("12", "事业单位", 0.03),
    ("51", "社会团体", 0.02),
    ("52", "民办非企业单位", 0.02),
    ("11", "机关", 0.01),
    ("31", "律师事务所", 0.005),
    ("53", "基金会", 0.003),
)
_ENTERPRISE_FORMS = (
    ("有限责任公司（自然人投资或控股）", "有限公司", 0.70),
    ("有限责任公司（自然人独资）", "有限公司", 0.10),
    ("股份有限公司（非上市）", "股份有限公司", 0.05),
    ("个人独资企业", "经营部", 0.08),
    ("普通合伙企业", "中心（普通合伙）", 0.04),
    ("有限责任公司分公司", "有限公司{county}分公司", 0.03),
)
_INDUSTRIES = (
    "食品",
    "海洋食品",
    "水产",
    "商贸",
    "建筑工程",
    "物流",
    "机械",
    "电子",
    "餐饮管理",
    "房地产开发",
    "纺织",
    "轮胎",
    "渔业",
    "医药",
    "旅游开发",
    "汽车销售",
    "家具",
    "环保科技",
)
_SHOPS = (
    "便利店",
    "小吃店",
    "五金店",
    "理发店",
    "水果店",
    "服装店",
    "汽车修理部",
    "海鲜排档",
    "烟酒店",
    "农家乐",
    "干洗店",
    "建材经营部",
    "手机维修部",
    "早餐店",
)
_COOP_TRADES = ("果蔬种植", "苹果种植", "海参养殖", "花生种植", "农机服务", "茶叶种植", "生猪养殖")
_INSTITUTIONS = (
    "中心小学",
    "中学",
    "卫生院",
    "人民医院",
    "中医院",
    "图书馆",
    "文化馆",
    "疾病预防控制中心",
    "综合行政执法大队",
    "农业技术推广站",
    "幼儿园",
)
_ORGANS = ("镇人民政府", "街道办事处", "司法所", "财政所", "自然资源所")
_SOCIETIES = ("协会", "商会", "学会", "联合会", "促进会")
_NON_ENTERPRISES = ("培训学校", "养老服务中心", "幼儿园", "社会工作服务中心", "康复中心")
_FOUNDATIONS = ("慈善基金会", "教育基金会", "助学基金会", "公益基金会")
_ZIHAO_CHARS = ("鑫瑞华泰海丰达盛源恒鸿宏信诚德嘉润福祥和兴隆安康远洋通宝金晟昌荣益佳顺腾凯博新正宇"
                "辰东蓝天利宁成浩明星光峰阳中汇联创科")  # fmt: skip
_NOT_A_FIRM_NAME = ("公司", "济南", "黄石", "襄樊", "开发区", "浙大", "MBP")
REPRESENTATIVE_WINDOW = 100
_NEW_CODES_FROM = date(2015, 10, 1)
"""From then on new registrations got "MA…" organisation codes; older ones kept 8 digits."""


@dataclass(frozen=True, slots=True)
class LegalPerson:
    """法人 (legal person or unincorporated organisation), keyed by its USCC (GB 32100)."""

    index: int
    code: str
    type_code: str
    type_name: str
    name: str
    county: County
    address: str
    established: date
    capital: str  # 万元
    representative: Person
    placeholder: bool  # reported under the standard placeholder code in double-publicity files


class Organisations:
    """Makes legal person ``index`` of a city; the same (seed, index) always gives the same one."""

    PLACEHOLDER_SHARE = 0.08
    """Share of individual businesses that departments report without their code."""

    def __init__(self, region: Region, people: People, seed: int, as_of: date):
        self._region = region
        self._people = people
        self._as_of = as_of
        self._digits = Permutation(10**8, mix64(seed) ^ 2)
        self._new = Permutation(len(USCC_ALPHABET) ** 6, mix64(seed) ^ 3)
        self._firms = tuple(
            p for p in FakerCompany.company_prefixes if not any(w in p for w in _NOT_A_FIRM_NAME)
        )
        self._types_cum = _cumulative([w for *_, w in TYPES])
        self._forms_cum = _cumulative([w for *_, w in _ENTERPRISE_FORMS])

    def make(self, index: int, rng: random.Random) -> LegalPerson:
        """Legal person ``index``; ``rng`` must be the subject's fresh stream (``subject_rng``)."""
        type_code, type_name, _ = TYPES[bisect.bisect(self._types_cum, rng.random())]
        county = rng.choice(self._region.counties)
        representative = self._representative(index, rng)
        established = self._established(rng, representative.birth)
        form = type_name
        if type_code == "91":
            form, suffix, _ = _ENTERPRISE_FORMS[bisect.bisect(self._forms_cum, rng.random())]
        else:
            suffix = ""
        return LegalPerson(
            index=index,
            code=make_uscc(type_code, county.code, self._org_body(index, type_code, established)),
            type_code=type_code,
            type_name=form,
            name=self._name(rng, type_code, county, suffix),
            county=county,
            address=f"{self._region.province_name}{self._region.prefecture_name}{county.name}"
            f"{rng.choice(('青岛', '文化', '海滨', '世昌', '渔港'))}路{rng.randint(1, 399)}号",
            established=established,
            capital=self._capital(rng, type_code),
            representative=representative,
            placeholder=type_code == "92" and rng.random() < self.PLACEHOLDER_SHARE,
        )

    def _representative(self, index: int, rng: random.Random) -> Person:
        """A person of age among the ``REPRESENTATIVE_WINDOW`` subjects before ``index``.

        Persons' identities are random permutations of their index, so a
        nearby index is as random a choice as any, and the person was most
        likely just made and is still in the people cache.
        """
        adult_by = add_years(self._as_of, -19)
        low = max(0, index - REPRESENTATIVE_WINDOW)
        for _ in range(20):  # prefer someone of age; a tiny city may have none
            chosen = person_at_or_before(low + int(rng.random() * (index - low)))
            if self._people.birth_of(chosen) <= adult_by:
                break
        return self._people.get(chosen)

    def _established(self, rng: random.Random, representative_birth: date) -> date:
        of_age = date(representative_birth.year + 18, representative_birth.month, 1)
        earliest = max(date(1985, 1, 1), of_age)
        latest = self._as_of - timedelta(days=1)
        age = int(rng.expovariate(1 / (8 * 365.25)))
        return max(earliest, min(latest, self._as_of - timedelta(days=age + 1)))

    def _org_body(self, index: int, type_code: str, established: date) -> str:
        # Two disjoint numbering schemes (8 digits vs "MA" + 6) keep every code unique.
        if type_code[0] == "9" and established >= _NEW_CODES_FROM:
            return "MA" + to_base(self._new(index), USCC_ALPHABET, 6)
        return to_base(self._digits(index), "0123456789", 8)

    def _zihao(self, rng: random.Random) -> str:
        if rng.random() < 0.3:
            return rng.choice(self._firms)
        return rng.choice(_ZIHAO_CHARS) + rng.choice(_ZIHAO_CHARS)

    def _name(self, rng: random.Random, type_code: str, county: County, suffix: str) -> str:
        city, place = self._region.short_name, county.name
        zihao = self._zihao(rng)
        if type_code == "91":
            if rng.random() < 0.15:  # Faker's own suffixes: 科技/网络/信息/传媒有限公司
                return f"{city}{zihao}{rng.choice(FakerCompany.company_suffixes)}"
            industry = rng.choice(_INDUSTRIES)
            return f"{city}{zihao}{industry}{suffix.format(county=place)}"
        if type_code == "92":
            return f"{place}{zihao}{rng.choice(_SHOPS)}"
        if type_code == "93":
            return f"{place}{zihao}{rng.choice(_COOP_TRADES)}专业合作社"
        if type_code == "12":
            return f"{place}{zihao}{rng.choice(_INSTITUTIONS)}"
        if type_code == "11":
            return f"{place}{zihao}{rng.choice(_ORGANS)}"
        if type_code == "51":
            return f"{city}{rng.choice(_INDUSTRIES)}{rng.choice(_SOCIETIES)}"
        if type_code == "52":
            return f"{place}{zihao}{rng.choice(_NON_ENTERPRISES)}"
        if type_code == "53":
            return f"{city}{zihao}{rng.choice(_FOUNDATIONS)}"
        province = self._region.province_short
        return f"{province}{zihao}律师事务所" if rng.random() < 0.5 else f"{city}{zihao}律师事务所"

    @staticmethod
    def _capital(rng: random.Random, type_code: str) -> str:
        if type_code in ("11",):
            return ""
        scale = {"91": 200.0, "92": 5.0, "93": 50.0, "12": 100.0, "31": 30.0}.get(type_code, 10.0)
        return f"{max(0.1, round(rng.lognormvariate(0, 1.2) * scale, 1)):g}"


def _cumulative(weights: list[float]) -> list[float]:
    """Cumulative shares scaled to end below 1.0, for ``bisect`` on ``random()``."""
    total, running, out = sum(weights), 0.0, []
    for weight in weights[:-1]:
        running += weight
        out.append(running / total)
    return out
