"""Realistic e-mall listings in bulk (demo data and the search benchmark), deterministic per seed.

``generate_listings`` writes listings straight into the table with ``bulk_create`` in batches,
flagged ``search_dirty`` so the indexer picks them up: it is a loader for demo and benchmark
databases, not a business path (no review, no audit), and refuses nothing but missing
categories. Product knowledge (brands, model numbers, title shapes, specs per the agreed
category templates, price ranges) lives in ``PRODUCTS``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from zhengcai.listings.models import AttributeSpec, Category, Listing
from zhengcai.listings.states import ListingStatus, ReferenceSource

Spec = dict[str, str]


@dataclass(frozen=True)
class Brand:
    cn: str
    en: str
    models: tuple[str, ...]  # real-looking model numbers; variants are derived from them
    series: str = ""


@dataclass(frozen=True)
class Product:
    """How listings of one leaf category look."""

    noun: str  # the product word in titles (复印纸, 硒鼓 ...)
    unit: str
    price: tuple[int, int]  # yuan
    brands: tuple[Brand, ...]
    specs: Callable[[random.Random], Spec]
    title: Callable[[Brand, str, Spec], str]
    # Specs that depend on the model (a toner's printers and colour), from the real model number.
    fit: Callable[[random.Random, str], Spec] | None = None
    variants: bool = True  # derive sibling model numbers (M1136 -> M1139); never for consumables


def _pick(values: Sequence[str]) -> Callable[[random.Random], str]:
    return lambda rng: rng.choice(values)


def _paper(rng: random.Random) -> Spec:
    return {
        "size": rng.choice(["A4", "A4", "A4", "A3", "B5"]),
        "weight_gsm": rng.choice(["70g", "80g"]),
        "sheets": "500",
    }


def _pens(rng: random.Random) -> Spec:
    return {
        "type": rng.choice(["中性笔", "中性笔", "圆珠笔", "记号笔", "钢笔"]),
        "colour": rng.choice(["黑色", "黑色", "红色", "蓝色"]),
        "pack": rng.choice(["12", "24", "10"]),
    }


def _filing(rng: random.Random) -> Spec:
    return {
        "type": rng.choice(["文件夹", "档案盒", "文件袋", "长尾夹"]),
        "material": rng.choice(["PP", "牛皮纸", "金属"]),
    }


_CPUS = [
    "Intel 酷睿 i5-12500",
    "Intel 酷睿 i7-12700",
    "Intel 酷睿 i5-13400",
    "兆芯 KX-6640MA",
    "飞腾 D2000",
    "AMD R5-5600G",
]
_STORAGE = ["512GB 固态", "1TB 固态", "256GB 固态+1TB 机械"]


def _desktop(rng: random.Random) -> Spec:
    return {
        "cpu": rng.choice(_CPUS),
        "memory_gb": rng.choice(["8GB", "16GB", "16GB", "32GB"]),
        "storage": rng.choice(_STORAGE),
        "os": rng.choice(["Windows 11 专业版", "统信 UOS", "银河麒麟"]),
    }


def _laptop(rng: random.Random) -> Spec:
    spec = _desktop(rng)
    spec.pop("os")
    spec["screen_in"] = rng.choice(["14", "14", "15.6", "13.3"])
    return spec


def _monitor(rng: random.Random) -> Spec:
    return {
        "screen_in": rng.choice(["23.8", "27", "21.5"]),
        "resolution": rng.choice(["1920×1080", "2560×1440", "3840×2160"]),
    }


def _printer(rng: random.Random) -> Spec:
    return {
        "type": rng.choice(["激光", "激光", "喷墨"]),
        "colour": rng.choice(["黑白", "黑白", "彩色"]),
        "paper_size": rng.choice(["A4", "A4", "A4", "A3"]),
        "duplex": rng.choice(["是", "否"]),
    }


def _mfp(rng: random.Random) -> Spec:
    spec = _printer(rng)
    spec.pop("duplex")
    spec["functions"] = rng.choice(["打印/复印/扫描", "打印/复印/扫描/传真"])
    return spec


# Consumables fit given printers and come in given colours: model -> (printers it fits, colours).
# Black-only cartridges (CC388A, W1110A ...) are never offered in colours; a brand's own
# cartridges fit its own printers; compatible brands (格之格, 天威, 盈佳) name the printer's brand.
TONER_FIT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "CC388A": (("惠普 M1136", "惠普 P1108", "惠普 M126a"), ("黑色",)),
    "CE285A": (("惠普 P1102", "惠普 M1132", "惠普 M1212nf"), ("黑色",)),
    "W1110A": (("惠普 108a", "惠普 M1188w", "惠普 136w"), ("黑色",)),
    "CF510A": (("惠普 M154a", "惠普 M181fw"), ("黑色",)),
    "CF511A": (("惠普 M154a", "惠普 M181fw"), ("青色",)),
    "CF512A": (("惠普 M154a", "惠普 M181fw"), ("黄色",)),
    "CF513A": (("惠普 M154a", "惠普 M181fw"), ("品红",)),
    "NT-C388": (("惠普 M1136", "惠普 P1108", "惠普 M126a"), ("黑色",)),
    "NT-CH285": (("惠普 P1102", "惠普 M1132"), ("黑色",)),
    "NT-CH511C": (("惠普 M154a", "惠普 M181fw"), ("青色",)),
    "PR-388A": (("惠普 M1136", "惠普 P1108"), ("黑色",)),
    "PR-285A": (("惠普 P1102", "惠普 M1132"), ("黑色",)),
    "LT2451": (("联想 LJ2405", "联想 M7400"), ("黑色",)),
    "LD2451": (("联想 LJ2405", "联想 M7400"), ("黑色",)),
    "YJ-388A": (("惠普 M1136", "惠普 P1108"), ("黑色",)),
    "PD-201": (("奔图 P2506", "奔图 M6506"), ("黑色",)),
    "TN-2325": (("兄弟 HL-2260D", "兄弟 DCP-7080"), ("黑色",)),
}
INK_FIT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "T6641": (("爱普生 L360", "爱普生 L310"), ("黑色",)),
    "T6642": (("爱普生 L360", "爱普生 L310"), ("青色",)),
    "T6643": (("爱普生 L360", "爱普生 L310"), ("品红",)),
    "T6644": (("爱普生 L360", "爱普生 L310"), ("黄色",)),
    "003": (("爱普生 L3251", "爱普生 L3258"), ("黑色", "青色", "品红", "黄色")),
    "PG-845": (("佳能 MG2580s", "佳能 MG3080"), ("黑色",)),
    "CL-846": (("佳能 MG2580s", "佳能 MG3080"), ("彩色",)),
    "GI-890": (("佳能 G3800", "佳能 G2800"), ("黑色", "青色", "品红", "黄色")),
    "803": (("惠普 2621", "惠普 1112"), ("黑色", "彩色")),
    "680": (("惠普 2138", "惠普 3638"), ("黑色", "彩色")),
    "TW-664": (("爱普生 L360", "爱普生 L310"), ("黑色", "青色", "品红", "黄色")),
}


def _toner(rng: random.Random) -> Spec:
    return {"yield_pages": rng.choice(["1500", "2000", "2600"])}


def _toner_fit(rng: random.Random, model: str) -> Spec:
    printers, colours = TONER_FIT[model]
    return {"compatible": rng.choice(printers), "colour": rng.choice(colours)}


def _ink(rng: random.Random) -> Spec:
    return {}


def _ink_fit(rng: random.Random, model: str) -> Spec:
    printers, colours = INK_FIT[model]
    return {"compatible": rng.choice(printers), "colour": rng.choice(colours)}


def _desk(rng: random.Random) -> Spec:
    return {
        "material": rng.choice(["钢制", "木制", "钢木"]),
        "size": rng.choice(["1200×600×750", "1400×700×750", "1600×800×760"]),
    }


def _chair(rng: random.Random) -> Spec:
    return {"material": rng.choice(["网布", "皮革", "布艺"]), "armrest": rng.choice(["有", "无"])}


def _cabinet(rng: random.Random) -> Spec:
    return {"material": rng.choice(["钢制", "钢制", "木制"]), "size": rng.choice(["1850×900×400", "900×900×400"])}


def _aircon(rng: random.Random) -> Spec:
    return {
        "type": rng.choice(["壁挂式", "壁挂式", "柜式"]),
        "capacity": rng.choice(["1匹", "1.5匹", "2匹", "3匹"]),
        "energy_grade": rng.choice(["一级", "一级", "二级", "三级"]),
    }


def _tv(rng: random.Random) -> Spec:
    return {
        "screen_in": rng.choice(["55", "65", "75", "43"]),
        "resolution": rng.choice(["3840×2160", "3840×2160", "1920×1080"]),
    }


def _dispenser(rng: random.Random) -> Spec:
    return {"type": rng.choice(["立式", "台式"])}


def _t(fmt: str) -> Callable[[Brand, str, Spec], str]:
    def title(brand: Brand, model: str, spec: Spec) -> str:
        return " ".join(fmt.format(b=brand.cn, e=brand.en, s=brand.series, m=model, **spec).split())

    return title


PRODUCTS: dict[str, Product] = {
    "office-paper": Product(
        "复印纸",
        "包",
        (18, 40),
        (
            Brand("得力", "deli", ("DL-7401", "DL-7402", "ZF-7401")),
            Brand("晨光", "M&G", ("APYVQ959", "APYVYB01")),
            Brand("齐心", "Comix", ("C4776", "C4777")),
            Brand("亚太森博", "Double A", ("DA-80", "DA-70")),
            Brand("百旺", "Baiwang", ("BW-A470",)),
        ),
        _paper,
        _t("{b}（{e}）{size} 复印纸 {weight_gsm} {sheets}张/包 打印纸 {m}"),
    ),
    "office-pens": Product(
        "书写工具",
        "盒",
        (8, 60),
        (
            Brand("晨光", "M&G", ("GP-1008", "K35", "AGPA1701")),
            Brand("得力", "deli", ("S01", "DL-6600")),
            Brand("真彩", "Truecolor", ("GP-009",)),
            Brand("百乐", "PILOT", ("BL-G6-5", "BLN-V5")),
            Brand("斑马", "ZEBRA", ("JJ15", "C-JJ3")),
        ),
        _pens,
        _t("{b}（{e}）{m} {type} {colour} 0.5mm 办公签字笔 {pack}支/盒"),
    ),
    "office-filing": Product(
        "文件管理用品",
        "个",
        (2, 45),
        (
            Brand("得力", "deli", ("DL-5302", "DL-5603")),
            Brand("齐心", "Comix", ("A1250", "HC-35")),
            Brand("晨光", "M&G", ("ADM94512",)),
        ),
        _filing,
        _t("{b}（{e}）{type} {material} 办公文件收纳 {m}"),
    ),
    "computers-desktop": Product(
        "台式计算机",
        "台",
        (3200, 9800),
        (
            Brand("联想", "Lenovo", ("M4360", "M455", "M437"), "启天"),
            Brand("惠普", "HP", ("400 G9", "480 G7"), "ProDesk"),
            Brand("戴尔", "Dell", ("7010", "3000"), "OptiPlex"),
            Brand("华为", "HUAWEI", ("B515", "B520"), "擎云"),
            Brand("清华同方", "THTF", ("Z8000", "T68"), "超扬"),
        ),
        _desktop,
        _t("{b}（{e}）{s} {m} 台式计算机 商用办公台式机 {cpu}/{memory_gb}/{storage}"),
    ),
    "computers-laptop": Product(
        "便携式计算机",
        "台",
        (3900, 12800),
        (
            Brand("联想", "Lenovo", ("E14", "E16", "X13"), "ThinkPad"),
            Brand("华为", "HUAWEI", ("D14", "D16"), "MateBook"),
            Brand("惠普", "HP", ("440 G10", "450 G10"), "ProBook"),
            Brand("戴尔", "Dell", ("5440", "3440"), "Latitude"),
        ),
        _laptop,
        _t("{b}（{e}）{s} {m} {screen_in}英寸 笔记本电脑 便携式计算机 {cpu}/{memory_gb}/{storage}"),
    ),
    "computers-monitor": Product(
        "显示器",
        "台",
        (599, 3200),
        (
            Brand("戴尔", "Dell", ("P2422H", "SE2722H")),
            Brand("AOC", "AOC", ("24B2XH", "27B2H")),
            Brand("飞利浦", "PHILIPS", ("242E1", "275E2")),
            Brand("联想", "Lenovo", ("T24i", "T27h"), "ThinkVision"),
        ),
        _monitor,
        _t("{b}（{e}）{s} {m} {screen_in}英寸 {resolution} IPS 办公显示器"),
    ),
    "printing-printer": Product(
        "打印机",
        "台",
        (699, 4800),
        (
            Brand("惠普", "HP", ("M203dn", "M208dw", "4004dn"), "LaserJet Pro"),
            Brand("佳能", "Canon", ("LBP2900+", "LBP6018L")),
            Brand("兄弟", "brother", ("HL-2260D", "HL-1208")),
            Brand("奔图", "Pantum", ("P2506", "P3301DN")),
            Brand("联想", "Lenovo", ("LJ2405", "LJ2605D")),
        ),
        _printer,
        _t("{b}（{e}）{s} {m} {colour}{type}打印机 {paper_size} 办公打印机"),
    ),
    "printing-mfp": Product(
        "多功能一体机",
        "台",
        (999, 8800),
        (
            Brand("惠普", "HP", ("M1136", "M126a", "M232dw"), "LaserJet Pro MFP"),
            Brand("佳能", "Canon", ("MF3010", "MF643Cdw")),
            Brand("兄弟", "brother", ("DCP-7195DW", "DCP-1618W")),
            Brand("奔图", "Pantum", ("M6202", "M7105DN")),
            Brand("爱普生", "EPSON", ("L3251", "L4268")),
        ),
        _mfp,
        _t("{b}（{e}）{s} {m} {colour}{type}多功能一体机 {paper_size} 打印复印扫描"),
    ),
    "printing-toner": Product(
        "硒鼓",
        "支",
        (45, 680),
        (
            Brand("惠普", "HP", ("CC388A", "CE285A", "W1110A", "CF510A", "CF511A", "CF512A", "CF513A")),
            Brand("格之格", "G&G", ("NT-C388", "NT-CH285", "NT-CH511C")),
            Brand("天威", "PrintRite", ("PR-388A", "PR-285A")),
            Brand("联想", "Lenovo", ("LT2451", "LD2451")),
            Brand("盈佳", "YJ", ("YJ-388A",)),
            Brand("奔图", "Pantum", ("PD-201",)),
            Brand("兄弟", "brother", ("TN-2325",)),
        ),
        _toner,
        _t("{b}（{e}）{m} 硒鼓 粉盒 适用{compatible} {colour} 约{yield_pages}页"),
        fit=_toner_fit,
        variants=False,
    ),
    "printing-ink": Product(
        "墨盒",
        "个",
        (39, 260),
        (
            Brand("爱普生", "EPSON", ("T6641", "T6642", "T6643", "T6644", "003")),
            Brand("佳能", "Canon", ("PG-845", "CL-846", "GI-890")),
            Brand("惠普", "HP", ("803", "680")),
            Brand("天威", "PrintRite", ("TW-664",)),
        ),
        _ink,
        _t("{b}（{e}）{m} 墨盒 墨水 适用{compatible} {colour}"),
        fit=_ink_fit,
        variants=False,
    ),
    "furniture-desk": Product(
        "办公桌",
        "张",
        (480, 3600),
        (
            Brand("震旦", "AURORA", ("ZD-1406", "ZD-1608")),
            Brand("圣奥", "SUNON", ("SA-D1400",)),
            Brand("森雅", "Senya", ("SY-BZ1200", "SY-BZ1600")),
        ),
        _desk,
        _t("{b}（{e}）{m} {material}办公桌 职员桌 {size}mm"),
    ),
    "furniture-chair": Product(
        "办公椅",
        "把",
        (199, 2600),
        (
            Brand("西昊", "SIHOO", ("M57", "M18")),
            Brand("永艺", "UE", ("UE-8102", "UE-611")),
            Brand("圣奥", "SUNON", ("SA-C208",)),
            Brand("森雅", "Senya", ("SY-Y803",)),
        ),
        _chair,
        lambda brand, model, spec: _t("{b}（{e}）{m} {material}办公椅 人体工学椅 {arms}")(
            brand, model, {**spec, "arms": "带扶手" if spec.get("armrest") == "有" else "无扶手"}
        ),
    ),
    "furniture-cabinet": Product(
        "文件柜",
        "组",
        (580, 2400),
        (
            Brand("得力", "deli", ("DL-9103", "DL-9106")),
            Brand("震旦", "AURORA", ("ZD-G1850",)),
            Brand("森雅", "Senya", ("SY-WJG01",)),
        ),
        _cabinet,
        _t("{b}（{e}）{m} {material}文件柜 资料柜 铁皮柜 {size}mm"),
    ),
    "appliances-aircon": Product(
        "空调",
        "台",
        (2199, 12800),
        (
            Brand("格力", "GREE", ("KFR-35GW", "KFR-72LW")),
            Brand("美的", "Midea", ("KFR-26GW", "KFR-51LW")),
            Brand("海尔", "Haier", ("KFR-35GW/05", "KFR-72LW/03")),
            Brand("奥克斯", "AUX", ("KFR-35GW/BpR3",)),
        ),
        _aircon,
        _t("{b}（{e}）{m} {capacity} {type}空调 {energy_grade}能效 变频冷暖"),
    ),
    "appliances-tv": Product(
        "电视机",
        "台",
        (1599, 9800),
        (
            Brand("海信", "Hisense", ("55E3F", "65E3K")),
            Brand("小米", "Xiaomi", ("L55M7", "L65M9")),
            Brand("TCL", "TCL", ("55V8E", "65Q10G")),
            Brand("创维", "Skyworth", ("55A3D",)),
        ),
        _tv,
        _t("{b}（{e}）{m} {screen_in}英寸 {resolution} 液晶电视机 会议平板"),
    ),
    "appliances-water-dispenser": Product(
        "饮水机",
        "台",
        (299, 1680),
        (
            Brand("美的", "Midea", ("YR1318S", "YD1518S")),
            Brand("安吉尔", "Angel", ("Y1351", "Y2662")),
            Brand("沁园", "QINYUAN", ("JLD2068",)),
        ),
        _dispenser,
        _t("{b}（{e}）{m} {type}饮水机 办公室 冷热型"),
    ),
}

# Delivery areas: Zhejiang as a whole, cities, counties (see web.demo.REGIONS).
REGION_CHOICES: tuple[tuple[str, ...], ...] = (
    ("330000",),
    ("330000",),
    ("330800",),
    ("330100",),
    ("330800", "330100"),
    ("330802", "330803"),
    ("330881",),
    ("330106", "330102"),
    ("330822", "330824", "330825"),
)


def _model_variant(rng: random.Random, model: str) -> str:
    """Mostly the real model; sometimes a sibling number (M1136 -> M1139) or a suffix."""
    roll = rng.random()
    if roll < 0.6:
        return model
    if roll < 0.85:
        digits = [i for i, ch in enumerate(model) if ch.isdigit()]
        if digits:
            i = digits[-1]
            return model[:i] + str(rng.randint(0, 9)) + model[i + 1 :]
        return model
    return f"{model}{rng.choice(['MFP', 'Plus', 'S', 'X', 'Pro'])}"


# A supplier's trade from words in its name: category codes (a root covers its subtree) it may sell.
# Suppliers of other trades (饮用水 aside: water dispensers fit it) get no generated listings.
TRADE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("办公用品", ("office",)),
    ("文化用品", ("office",)),
    ("文具", ("office",)),
    ("办公设备", ("printing",)),
    ("电脑", ("computers",)),
    ("信息技术", ("computers",)),
    ("信息", ("computers",)),
    ("网络", ("computers",)),
    ("数码", ("computers",)),
    ("打印耗材", ("printing",)),
    ("印务", ("printing",)),
    ("家具", ("furniture",)),
    ("家电", ("appliances",)),
    ("电器", ("appliances",)),
    ("饮用水", ("appliances-water-dispenser",)),
)


def supplier_trade(name: str) -> tuple[str, ...]:
    """The category codes a supplier called ``name`` sells in; () for a trade outside the e-mall's."""
    codes: dict[str, None] = {}
    for word, trade in TRADE_WORDS:
        if word in name:
            codes.update(dict.fromkeys(trade))
    return tuple(codes)


def _in_trade(code: str, trade: Sequence[str]) -> bool:
    return any(code == t or code.startswith(f"{t}-") for t in trade)


def brand_slug(brand: str) -> str:
    return "".join(ch for ch in brand.lower() if ch.isalnum())[:20] or "brand"


UNLISTED_EVERY = 20  # one listing in 20 is delisted or a draft: 95 % listed


def listings_for_listed(listed: int, unlisted_every: int = UNLISTED_EVERY) -> int:
    """How many listings to generate so that at least ``listed`` of them are listed."""
    if listed <= 0:
        return 0
    n = listed
    while n - n // unlisted_every < listed:
        n += 1
    return n


DEDUPE_ATTEMPTS = 200  # draws before accepting a repeat (only when a supplier's choice is exhausted)


def _spec_key(spec: Spec) -> str:
    return json.dumps({k: str(v) for k, v in spec.items()}, sort_keys=True, ensure_ascii=False)


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


def listing_objects(
    *,
    n: int,
    seed: int,
    supplier_ids: Sequence[int],
    categories: dict[str, int],
    now: dt.datetime,
    unlisted_every: int = UNLISTED_EVERY,
    description_suffix: str = "",
    trades: Mapping[int, Sequence[str]] | None = None,
) -> Iterator[Listing]:
    """``n`` unsaved listings spread over ``categories`` (leaf code -> id) and suppliers.

    Every ``unlisted_every``-th listing is delisted or a draft, the rest listed. With
    ``trades`` (supplier id -> category codes, see ``supplier_trade``) each supplier sells
    only in its trade, and categories nobody trades in get no listings.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not secrets
    sellers = {
        code: [pk for pk in supplier_ids if trades is None or _in_trade(code, trades.get(pk, ()))]
        for code in PRODUCTS
        if code in categories
    }
    codes = [code for code, pks in sellers.items() if pks]
    if not codes:
        return
    seen: set[tuple[int, str, str, int, str]] = set()
    for i in range(n):
        # The same supplier never lists the same product twice (brand, model, category and
        # specs: the duplicate rule of ``listings``), so relisting a demo listing is possible.
        for _attempt in range(DEDUPE_ATTEMPTS):
            code = codes[i % len(codes)] if i < len(codes) and not _attempt else rng.choice(codes)
            product = PRODUCTS[code]
            brand = rng.choice(product.brands)
            base = rng.choice(brand.models)
            model = _model_variant(rng, base) if product.variants else base
            spec = product.specs(rng)
            if product.fit is not None:
                spec.update(product.fit(rng, base))
            candidates = sellers[code]
            supplier_id = candidates[rng.randrange(len(candidates))]
            full_model = f"{brand.series} {model}".strip()[:80]
            key = (supplier_id, brand.cn.lower(), full_model.lower(), categories[code], _spec_key(spec))
            if key not in seen:
                break
        seen.add(key)
        low, high = product.price
        price = _money(rng.uniform(low, high))
        reference = _money(float(price) * rng.uniform(1.0, 1.25))
        unlisted = rng.choice([ListingStatus.DELISTED, ListingStatus.DRAFT])
        status = unlisted if unlisted_every and i % unlisted_every == unlisted_every - 1 else ListingStatus.LISTED
        created = now - dt.timedelta(days=rng.randint(1, 400), minutes=rng.randint(0, 1440))
        yield Listing(
            supplier_id=supplier_id,
            category_id=categories[code],
            title=product.title(brand, model, spec)[:200],
            brand=brand.cn,
            model=full_model,
            specs=spec,
            description=f"{brand.cn}{product.noun}，正品行货，全国联保。{description_suffix}",
            unit=product.unit,
            price=price,
            reference_price=reference,
            reference_source=rng.choice([ReferenceSource.OFFICIAL, ReferenceSource.ECOMMERCE]),
            stock=rng.randint(0, 500),
            delivery_regions=list(rng.choice(REGION_CHOICES)),
            status=status,
            sales_count=int(rng.paretovariate(1.5)) - 1,
            search_dirty=True,
            created_at=created,
            updated_at=created,
            listed_at=created if status == ListingStatus.LISTED else None,
            # Approved at this price (a delisted one was listed before): later rises compare with it.
            reviewed_price=price if status != ListingStatus.DRAFT else None,
        )


def leaf_categories() -> dict[str, int]:
    """The agreed leaf categories present in the database: code -> id."""
    return dict(Category.objects.filter(code__in=list(PRODUCTS), is_active=True).values_list("code", "pk"))


def generate_listings(
    *,
    n: int,
    supplier_ids: Sequence[int],
    now: dt.datetime,
    seed: int = 2026,
    batch: int = 5000,
    progress: Callable[[int], None] | None = None,
    description_suffix: str = "",
    trades: Mapping[int, Sequence[str]] | None = None,
) -> int:
    """Insert ``n`` listings in batches; returns how many were written."""
    categories = leaf_categories()
    written = 0
    chunk: list[Listing] = []
    for listing in listing_objects(
        n=n,
        seed=seed,
        supplier_ids=supplier_ids,
        categories=categories,
        now=now,
        description_suffix=description_suffix,
        trades=trades,
    ):
        chunk.append(listing)
        if len(chunk) >= batch:
            Listing.objects.bulk_create(chunk, batch_size=batch)
            written += len(chunk)
            chunk = []
            if progress:
                progress(written)
    if chunk:
        Listing.objects.bulk_create(chunk, batch_size=batch)
        written += len(chunk)
    return written


# -- the agreed category tree (listings' demo creates it; benchmark databases get it here) ---------

_C = "choice"
_N = "number"
_X = "text"
# (code, name, English name, parent code, [(key, label, English label, kind, unit, required, values)])
CATEGORY_TREE: list[tuple[str, str, str, str, list[tuple[str, str, str, str, str, bool, list[str]]]]] = [
    ("office", "办公用品", "Office supplies", "", []),
    ("computers", "计算机设备", "Computers", "", []),
    ("printing", "打印设备及耗材", "Printers and consumables", "", []),
    ("furniture", "办公家具", "Office furniture", "", []),
    ("appliances", "家用电器", "Appliances", "", []),
    ("office-paper", "复印纸", "Copy paper", "office", [
        ("size", "规格", "Size", _C, "", True, ["A4", "A3", "B5"]),
        ("weight_gsm", "克重", "Weight", _C, "", True, ["70g", "80g"]),
        ("sheets", "每包张数", "Sheets per pack", _N, "张", True, [])]),
    ("office-pens", "书写工具", "Pens", "office", [
        ("type", "类型", "Type", _C, "", True, ["中性笔", "圆珠笔", "记号笔", "钢笔"]),
        ("colour", "颜色", "Colour", _C, "", True, ["黑色", "红色", "蓝色"]),
        ("pack", "每盒支数", "Pens per box", _N, "支", False, [])]),
    ("office-filing", "文件管理用品", "Filing", "office", [
        ("type", "类型", "Type", _C, "", True, ["文件夹", "档案盒", "文件袋", "长尾夹"]),
        ("material", "材质", "Material", _X, "", False, [])]),
    ("computers-desktop", "台式计算机", "Desktop computers", "computers", [
        ("cpu", "处理器", "Processor", _X, "", True, []),
        ("memory_gb", "内存", "Memory", _C, "", True, ["8GB", "16GB", "32GB"]),
        ("storage", "硬盘", "Storage", _X, "", True, []),
        ("os", "操作系统", "Operating system", _X, "", False, [])]),
    ("computers-laptop", "便携式计算机", "Laptops", "computers", [
        ("cpu", "处理器", "Processor", _X, "", True, []),
        ("memory_gb", "内存", "Memory", _C, "", True, ["8GB", "16GB", "32GB"]),
        ("storage", "硬盘", "Storage", _X, "", True, []),
        ("screen_in", "屏幕尺寸", "Screen size", _N, "英寸", True, [])]),
    ("computers-monitor", "显示器", "Monitors", "computers", [
        ("screen_in", "屏幕尺寸", "Screen size", _N, "英寸", True, []),
        ("resolution", "分辨率", "Resolution", _C, "", True, ["1920×1080", "2560×1440", "3840×2160"])]),
    ("printing-printer", "打印机", "Printers", "printing", [
        ("type", "打印方式", "Technology", _C, "", True, ["激光", "喷墨"]),
        ("colour", "色彩", "Colour", _C, "", True, ["黑白", "彩色"]),
        ("paper_size", "最大幅面", "Largest paper", _C, "", True, ["A4", "A3"]),
        ("duplex", "自动双面", "Automatic duplex", _C, "", False, ["是", "否"])]),
    ("printing-mfp", "多功能一体机", "Multifunction printers", "printing", [
        ("type", "打印方式", "Technology", _C, "", True, ["激光", "喷墨"]),
        ("colour", "色彩", "Colour", _C, "", True, ["黑白", "彩色"]),
        ("paper_size", "最大幅面", "Largest paper", _C, "", True, ["A4", "A3"]),
        ("functions", "功能", "Functions", _X, "", False, [])]),
    ("printing-toner", "硒鼓粉盒", "Toner cartridges", "printing", [
        ("compatible", "适用机型", "Compatible with", _X, "", True, []),
        ("yield_pages", "打印页数", "Page yield", _N, "页", True, []),
        ("colour", "颜色", "Colour", _C, "", False, ["黑色", "青色", "品红", "黄色"])]),
    ("printing-ink", "墨盒", "Ink cartridges", "printing", [
        ("compatible", "适用机型", "Compatible with", _X, "", True, []),
        ("colour", "颜色", "Colour", _C, "", True, ["黑色", "青色", "品红", "黄色", "彩色"])]),
    ("furniture-desk", "办公桌", "Desks", "furniture", [
        ("material", "材质", "Material", _C, "", True, ["钢制", "木制", "钢木"]),
        ("size", "尺寸", "Size", _X, "mm", True, [])]),
    ("furniture-chair", "办公椅", "Office chairs", "furniture", [
        ("material", "材质", "Material", _C, "", True, ["网布", "皮革", "布艺"]),
        ("armrest", "扶手", "Armrests", _C, "", False, ["有", "无"])]),
    ("furniture-cabinet", "文件柜", "Filing cabinets", "furniture", [
        ("material", "材质", "Material", _C, "", True, ["钢制", "木制"]),
        ("size", "尺寸", "Size", _X, "mm", True, [])]),
    ("appliances-aircon", "空调", "Air conditioners", "appliances", [
        ("type", "类型", "Type", _C, "", True, ["壁挂式", "柜式"]),
        ("capacity", "匹数", "Capacity", _C, "", True, ["1匹", "1.5匹", "2匹", "3匹"]),
        ("energy_grade", "能效等级", "Energy grade", _C, "", True, ["一级", "二级", "三级"])]),
    ("appliances-tv", "电视机", "Televisions", "appliances", [
        ("screen_in", "屏幕尺寸", "Screen size", _N, "英寸", True, []),
        ("resolution", "分辨率", "Resolution", _C, "", True, ["1920×1080", "3840×2160"])]),
    ("appliances-water-dispenser", "饮水机", "Water dispensers", "appliances", [
        ("type", "类型", "Type", _C, "", True, ["立式", "台式"])]),
]  # fmt: skip


def ensure_categories() -> int:
    """Create the agreed category tree where it is missing (benchmark and test databases)."""
    created = 0
    by_code = {c.code: c for c in Category.objects.filter(code__in=[row[0] for row in CATEGORY_TREE])}
    for position, (code, name, name_en, parent_code, specs) in enumerate(CATEGORY_TREE):
        if code in by_code:
            continue
        category = Category.objects.create(
            code=code, name=name, name_en=name_en, parent=by_code.get(parent_code), position=position
        )
        by_code[code] = category
        created += 1
        AttributeSpec.objects.bulk_create(
            AttributeSpec(
                category=category,
                key=key,
                label=label,
                label_en=label_en,
                kind=kind,
                unit=unit,
                required=required,
                allowed_values=values,
                filterable=kind == _C,
                position=i,
            )
            for i, (key, label, label_en, kind, unit, required, values) in enumerate(specs)
        )
    return created
