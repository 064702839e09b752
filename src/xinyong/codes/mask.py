"""Masking of codes and names for display: the defaults of POLICY-FACTS "Who is public".

Owns how much of an identifier or name survives masking. Must not decide
*whether* to mask (the catalog and the ``access_*`` functions do) and must
fail closed: when asked to keep as much as the value holds, it masks all.
"""

from __future__ import annotations

from xinyong.codes.model import normalise

MASK = "*"

COMPOUND_SURNAMES = frozenset(
    {
        # simplified
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
        "宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "南宫", "西门", "独孤", "呼延",
        "赫连", "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "钟离",
        "闻人", "万俟", "百里", "东郭", "公羊", "拓跋", "司空", "左丘", "第五", "谷梁",
        # traditional forms of the same
        "歐陽", "司馬", "諸葛", "東方", "尉遲", "公孫", "長孫", "軒轅", "南宮", "獨孤",
        "赫連", "澹臺", "濮陽", "單于", "鍾離", "聞人", "萬俟", "東郭", "穀梁",
    }
)  # fmt: skip


def mask_code(code: str, keep_head: int = 6, keep_tail: int = 4) -> str:
    """``110105********123X``: the normalised code with its middle masked.

    The defaults keep the division code and the last four characters, as
    court rules show judgment defaulters' IDs; the catalog may ask for less
    (``keep_head=4`` → ``1101**********123X``). The length is kept so a
    masked value still looks like the kind of code it was.
    """
    if keep_head < 0 or keep_tail < 0:
        raise ValueError("keep_head and keep_tail must not be negative")
    value = normalise(code)
    hidden = len(value) - keep_head - keep_tail
    if hidden <= 0:
        return MASK * len(value)
    return value[:keep_head] + MASK * hidden + value[len(value) - keep_tail :]


def _is_cjk(char: str) -> bool:
    point = ord(char)
    return (
        0x3400 <= point <= 0x4DBF  # extension A
        or 0x4E00 <= point <= 0x9FFF  # unified ideographs
        or 0xF900 <= point <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= point <= 0x3134F  # extensions B–G
    )


def _units(name: str) -> list[str]:
    """The name cut into what ``keep`` counts: a compound surname is one unit."""
    units = list(name)
    if not any(_is_cjk(c) for c in name):
        return units
    start = next((i for i, c in enumerate(name) if c.isalnum()), 0)
    if name[start : start + 2] in COMPOUND_SURNAMES:
        units[start : start + 2] = [name[start : start + 2]]
    return units


def mask_name(name: str, keep: int = 1) -> str:
    """``张*``, ``欧阳**``, ``J*** *****``: a name with all but ``keep`` leading units masked.

    For Chinese names the surname is the first unit, two characters for a
    compound surname, so the default keeps the surname. Separators (spaces,
    ``·`` in transcribed names, hyphens, apostrophes) are kept: they reveal
    no letter. At least one letter is always masked, so ``keep`` can never
    reveal a whole name; ``keep=0`` masks everything.
    """
    if keep < 0:
        raise ValueError("keep must not be negative")
    units = _units(name)
    maskable = sum(1 for u in units if u[0].isalnum())
    budget = min(keep, max(maskable - 1, 0))
    out: list[str] = []
    for unit in units:
        if not unit[0].isalnum():
            out.append(unit)
        elif budget > 0:
            out.append(unit)
            budget -= 1
        else:
            out.append(MASK * len(unit))
    return "".join(out)
