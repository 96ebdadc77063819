"""Brand names in Chinese and English (品牌别名): either finds the other's listings.

A supplier writes the brand one way ("惠普"), a purchaser searches the other ("HP"). The
index adds every other name of a listing's brand to its text (``shop.engine``), so a query
needs no expansion. The table is data: add a row when a brand is missing; names are
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
