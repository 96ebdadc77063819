"""Brand names in Chinese and English (品牌别名): either finds the other's listings.

A supplier writes the brand one way ("惠普"), a purchaser searches the other ("HP"). The
index adds every other name of a listing's brand to its text (``shop.engine``), and of every
brand named in its title, model or specs too (third-party toner "适用惠普 M1136" is found by
"HP"), so a query needs no expansion. The table is data: add a row when a brand is missing; names are
matched after ``tokens.normalise`` (full-width to half-width, lowercase).
"""

from __future__ import annotations

import re

from zhengcai.shop.tokens import normalise

# Each row: the names of one brand (Chinese first, then English and other spellings).
BRAND_NAMES: tuple[tuple[str, ...], ...] = (
    ("惠普", "HP", "Hewlett-Packard"),
    ("联想", "Lenovo"),
    ("得力", "Deli"),
    ("格力", "Gree"),
    ("美的", "Midea"),
    ("海尔", "Haier"),
    ("海信", "Hisense"),
    ("小米", "Xiaomi"),
    ("创维", "Skyworth"),
    ("奥克斯", "AUX"),
    ("华为", "HUAWEI"),
    ("戴尔", "Dell"),
    ("清华同方", "THTF", "同方"),
    ("飞利浦", "PHILIPS"),
    ("佳能", "Canon"),
    ("爱普生", "EPSON"),
    ("兄弟", "Brother"),
    ("奔图", "Pantum"),
    ("格之格", "G&G"),
    ("天威", "PrintRite"),
    ("盈佳", "YJ"),
    ("晨光", "M&G"),
    ("齐心", "Comix"),
    ("真彩", "Truecolor"),
    ("百乐", "PILOT"),
    ("斑马", "ZEBRA"),
    ("亚太森博", "Double A"),
    ("百旺", "Baiwang"),
    ("震旦", "AURORA"),
    ("圣奥", "SUNON"),
    ("森雅", "Senya"),
    ("西昊", "SIHOO"),
    ("永艺", "UE"),
    ("安吉尔", "Angel"),
    ("沁园", "QINYUAN"),
    ("三星", "Samsung"),
    ("富士施乐", "Fuji Xerox", "施乐", "Xerox"),
    ("理光", "Ricoh"),
    ("京瓷", "Kyocera"),
    ("柯尼卡美能达", "Konica Minolta"),
)

_BY_NAME: dict[str, tuple[str, ...]] = {normalise(name): row for row in BRAND_NAMES for name in row}


_PARTS = re.compile(r"[()/、,;|]+")


def brand_aliases(brand: str) -> list[str]:
    """The other names of ``brand`` ("惠普" -> ["HP", "Hewlett-Packard"]; "惠普（HP）" -> ["Hewlett-Packard"]).

    [] for an unknown brand. A brand written with both names is split at brackets and slashes.
    """
    text = normalise(brand).strip()
    given = {part.strip() for part in _PARTS.split(text) if part.strip()} | {text}
    aliases: dict[str, None] = {}
    for part in given:
        for name in _BY_NAME.get(part, ()):
            if normalise(name) not in given:
                aliases[name] = None
    return list(aliases)


def _name_pattern(name: str) -> str:
    """Latin names must stand alone (hp, not the hp inside "chp"); Han names are matched anywhere."""
    escaped = re.escape(normalise(name))
    if re.search(r"[a-z]", normalise(name)):
        return rf"(?<![a-z]){escaped}(?![a-z])"
    return escaped


# Names that are also ordinary words in titles ("精美的"): only the brand field counts for them.
NOT_IN_TEXT = frozenset({"美的"})

_ANY_NAME = re.compile(
    "|".join(
        _name_pattern(name)
        for name in sorted(_BY_NAME, key=len, reverse=True)
        if len(name) >= 2 and name not in NOT_IN_TEXT
    )
)


def aliases_in_text(*texts: str) -> list[str]:
    """The other names of every brand named anywhere in ``texts`` ("适用惠普 M1136" -> ["HP", "Hewlett-Packard"])."""
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(match.group(0) for match in _ANY_NAME.finditer(normalise(text)))
    aliases: dict[str, None] = {}
    for name in sorted(found):
        for other in _BY_NAME[name]:
            if normalise(other) not in found:
                aliases[other] = None
    return list(aliases)


_BRAND_PREFIX = re.compile(r"([a-z]+)([0-9][0-9a-z]*)")


def split_brand_prefix(word: str) -> tuple[str, str] | None:
    """A query word that runs a Latin brand name into a model number ("hp88a" -> ("hp", "88a")); else None."""
    match = _BRAND_PREFIX.fullmatch(normalise(word))
    if match is None or match.group(1) not in _BY_NAME:
        return None
    return match.group(1), match.group(2)
