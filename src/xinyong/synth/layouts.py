"""The department files: names, formats, encodings and each department's own column names.

Owns the layout of every output file (headers in order, which column holds the
subject's code, the main date, the item label, the document number) and the
double-publicity layouts (行政许可 28 fields, 行政处罚 30 fields) exactly as
POLICY-FACTS.md gives them. Catalog item codes are the policy pack's; the labels
beside them are what the department writes. This module must not generate
values nor write files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DP_HEAD = (
    "行政相对人名称", "行政相对人类别",
    "行政相对人代码_1(统一社会信用代码)", "行政相对人代码_2(工商注册号)",
    "行政相对人代码_3(组织机构代码)", "行政相对人代码_4(税务登记号)",
    "行政相对人代码_5(事业单位证书号)", "行政相对人代码_6(社会组织登记证号)",
    "法定代表人", "法定代表人证件类型", "法定代表人证件号码", "证件类型", "证件号码",
)  # fmt: skip
DP_PENALTY = (
    *DP_HEAD,
    "行政处罚决定书文号", "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容",
    "罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）", "暂扣或吊销证照名称及编号",
    "处罚决定日期", "处罚有效期", "公示截止期", "处罚机关", "处罚机关统一社会信用代码",
    "数据来源单位", "数据来源单位统一社会信用代码", "备注",
)  # fmt: skip
DP_LICENSE = (
    *DP_HEAD,
    "行政许可决定文书名称", "行政许可决定文书号", "许可类别", "许可证书名称", "许可编号",
    "许可内容", "许可决定日期", "有效期自", "有效期至", "许可机关", "许可机关统一社会信用代码",
    "当前状态", "数据来源单位", "数据来源单位统一社会信用代码", "备注",
)  # fmt: skip
DP_CODE_COLUMNS = ("行政相对人代码_1(统一社会信用代码)", "证件号码")
DP_DATE_FORMAT = "%Y/%m/%d"
DP_PERSON = "自然人"

DEPARTMENTS = {
    "psb": "公安局",
    "samr": "市场监督管理局",
    "tax": "税务局",
    "court": "中级人民法院",
    "eco": "生态环境局",
    "transport": "交通运输局",
    "hrss": "人力资源和社会保障局",
    "civil": "民政局",
    "volunteer": "志愿服务联合会",
    "finance": "财政局",
}


@dataclass(frozen=True)
class Layout:
    """One department file (or, for XLSX, each of its parts) and how to read it.

    ``code_columns`` holds the subject's code: one column, or for double
    publicity the USCC column (organisations) and the 证件号码 column (persons).
    ``kind_column`` tells persons from organisations where a file holds both;
    ``person_labels`` are its values for a person.
    """

    key: str
    department: str
    stem: str
    fmt: str  # csv | xlsx
    encoding: str  # utf-8 | utf-8-sig | gb18030 (csv) ; "" for xlsx
    headers: tuple[str, ...]
    items: tuple[str, ...]
    code_columns: tuple[str, ...]
    date_column: str
    doc_column: str
    date_format: str = "%Y-%m-%d"
    item_column: str | None = None
    item_labels: dict[str, str] = field(default_factory=dict)  # item code → department label
    unknown_labels: tuple[str, ...] = ()
    kind_column: str | None = None
    person_labels: tuple[str, ...] = ()
    subjects: str = "legal_person"  # natural_person | legal_person | both
    title: str | None = None  # XLSX title row above the header, with {city}
    slot: int = 0  # numbering slot of this file among its department's files

    def index(self, column: str) -> int:
        return self.headers.index(column)

    @property
    def header_row(self) -> int:
        """1-based physical row of the header (2 when a title row sits above it)."""
        return 2 if self.title else 1


def _dp(key: str, dept: str, stem: str, fmt: str, enc: str, *, penalty: bool, slot: int,
        title: str | None = None) -> Layout:  # fmt: skip
    return Layout(
        key=key,
        department=dept,
        stem=stem,
        fmt=fmt,
        encoding=enc,
        headers=DP_PENALTY if penalty else DP_LICENSE,
        items=("adm.penalty",) if penalty else ("adm.license",),
        code_columns=DP_CODE_COLUMNS,
        date_column="处罚决定日期" if penalty else "许可决定日期",
        doc_column="行政处罚决定书文号" if penalty else "行政许可决定文书号",
        date_format=DP_DATE_FORMAT,
        kind_column="行政相对人类别",
        person_labels=(DP_PERSON,),
        subjects="both",
        title=title,
        slot=slot,
    )


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        key="psb-persons", department="psb", stem="psb/persons", fmt="csv", encoding="utf-8",
        headers=("户籍登记编号", "姓名", "公民身份号码", "性别", "出生日期", "户籍地址",
                 "户籍所在地", "登记单位"),
        items=("reg.natural_person",), code_columns=("公民身份号码",), date_column="出生日期",
        doc_column="户籍登记编号", date_format="%Y%m%d", subjects="natural_person",
    ),
    Layout(
        key="samr-registry", department="samr", stem="samr/enterprise-registry", fmt="csv",
        encoding="utf-8-sig",
        headers=("登记通知书文号", "统一社会信用代码", "企业名称", "市场主体类型",
                 "法定代表人（负责人、经营者）", "法定代表人证件号码", "成立日期",
                 "注册资本（万元）", "住所（经营场所）", "登记机关", "登记状态"),
        items=("reg.legal_person",), code_columns=("统一社会信用代码",), date_column="成立日期",
        doc_column="登记通知书文号",
    ),
    _dp("samr-license", "samr", "samr/license", "csv", "utf-8-sig", penalty=False, slot=1),
    _dp("samr-penalty", "samr", "samr/penalty", "csv", "utf-8-sig", penalty=True, slot=2),
    Layout(
        key="samr-credit", department="samr", stem="samr/credit-info", fmt="csv", encoding="utf-8",
        headers=("信息类别", "决定书文号", "市场主体名称", "统一社会信用代码", "法定代表人",
                 "事由", "作出决定日期", "作出决定机关"),
        items=("abn.operation", "honour.commendation"), code_columns=("统一社会信用代码",),
        date_column="作出决定日期", doc_column="决定书文号", item_column="信息类别",
        item_labels={"abn.operation": "经营异常名录", "honour.commendation": "守合同重信用企业"},
        unknown_labels=("其他监管信息", "未分类"), slot=3,
    ),
    Layout(
        key="tax-credit", department="tax", stem="tax/tax-credit", fmt="csv", encoding="utf-8",
        headers=("信息类别", "文书编号", "纳税人名称", "纳税人识别号", "法定代表人（负责人）姓名",
                 "法定代表人身份证件号码", "评价年度", "纳税信用级别", "欠税税种",
                 "欠税余额（元）", "发布日期", "主管税务机关"),
        items=("tax.arrears", "tax.grade"), code_columns=("纳税人识别号",), date_column="发布日期",
        doc_column="文书编号", item_column="信息类别",
        item_labels={"tax.arrears": "欠税公告", "tax.grade": "纳税信用等级评价"},
        unknown_labels=("其他涉税信息", "未分类"),
    ),
    _dp("tax-penalty", "tax", "tax/penalty", "csv", "utf-8-sig", penalty=True, slot=1),
    Layout(
        key="court-cases", department="court", stem="court/cases", fmt="csv", encoding="utf-8",
        headers=("信息类型", "案号", "法院名称", "当事人类型", "被执行人/当事人名称",
                 "身份证号码/统一社会信用代码", "性别", "法定代表人或负责人姓名", "案由",
                 "生效法律文书确定的义务", "标的金额（元）", "失信被执行人具体情形", "立案日期",
                 "发布日期"),
        items=("jud.defaulter", "jud.judgment"), code_columns=("身份证号码/统一社会信用代码",),
        date_column="发布日期", doc_column="案号", item_column="信息类型",
        item_labels={"jud.defaulter": "失信被执行人", "jud.judgment": "民事判决"},
        unknown_labels=("其他案件信息", "未分类"), kind_column="当事人类型", subjects="both",
        person_labels=("自然人",),
    ),
    _dp("eco-penalty", "eco", "eco/penalty", "xlsx", "", penalty=True, slot=0,
        title="{city}生态环境局行政处罚信息公示表"),
    _dp("eco-license", "eco", "eco/license", "xlsx", "", penalty=False, slot=1),
    _dp("transport-penalty", "transport", "transport/penalty", "csv", "gb18030", penalty=True,
        slot=0),
    _dp("transport-license", "transport", "transport/license", "csv", "gb18030", penalty=False,
        slot=1),
    Layout(
        key="hrss-records", department="hrss", stem="hrss/hrss-credit", fmt="csv",
        encoding="gb18030",
        headers=("信息类别", "证书或文书编号", "主体类型", "单位名称/姓名",
                 "统一社会信用代码/公民身份号码", "事项名称", "金额（元）", "业务日期", "办理机构"),
        items=("si.arrears", "qual.professional"), code_columns=("统一社会信用代码/公民身份号码",),
        date_column="业务日期", doc_column="证书或文书编号", item_column="信息类别",
        item_labels={"si.arrears": "社会保险费欠费", "qual.professional": "专业技术人员职业资格"},
        unknown_labels=("其他人社信息", "未分类"), kind_column="主体类型", person_labels=("个人",),
        subjects="both",
    ),
    Layout(
        key="civil-orgs", department="civil", stem="civil/social-organisations", fmt="xlsx",
        encoding="",
        headers=("登记证号", "社会组织名称", "统一社会信用代码", "社会组织类型", "法定代表人",
                 "法定代表人身份证号码", "成立登记日期", "注册资金（万元）", "业务主管单位", "住所",
                 "登记管理机关"),
        items=("reg.legal_person",), code_columns=("统一社会信用代码",), date_column="成立登记日期",
        doc_column="登记证号", title="{city}社会组织登记信息",
    ),
    Layout(
        key="civil-records", department="civil", stem="civil/donations-honours", fmt="xlsx",
        encoding="",
        headers=("信息类别", "文号", "主体类型", "捐赠人或受表彰对象", "统一社会信用代码或身份证号码",
                 "事项", "金额（元）", "日期", "受赠或授予单位"),
        items=("donation.record", "honour.commendation"),
        code_columns=("统一社会信用代码或身份证号码",), date_column="日期", doc_column="文号",
        item_column="信息类别",
        item_labels={"donation.record": "慈善捐赠", "honour.commendation": "表彰奖励"},
        unknown_labels=("其他民政信息", "未分类"), kind_column="主体类型", person_labels=("个人",),
        subjects="both",
        slot=1,
    ),
    Layout(
        key="volunteer-service", department="volunteer", stem="volunteer/service", fmt="csv",
        encoding="utf-8",
        headers=("服务记录编号", "志愿者姓名", "证件号码", "服务项目", "服务组织", "服务日期",
                 "服务时长（小时）"),
        items=("volunteer.service",), code_columns=("证件号码",), date_column="服务日期",
        doc_column="服务记录编号", subjects="natural_person",
    ),
    Layout(
        key="finance-procurement", department="finance", stem="finance/procurement", fmt="csv",
        encoding="utf-8-sig",
        headers=("信息类别", "记录编号", "供应商名称", "统一社会信用代码", "采购项目名称",
                 "合同编号", "合同金额（元）", "履约情况", "记录日期", "采购人"),
        items=("contract.fulfilment", "contract.breach"), code_columns=("统一社会信用代码",),
        date_column="记录日期", doc_column="记录编号", item_column="信息类别",
        item_labels={"contract.fulfilment": "履约验收", "contract.breach": "违约失信"},
        unknown_labels=("其他采购信息", "未分类"),
    ),
)  # fmt: skip
LAYOUT_BY_KEY = {layout.key: layout for layout in LAYOUTS}
