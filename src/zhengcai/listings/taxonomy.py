"""The demo category tree with attribute templates (agreed between listings, shop and orders).

Data only: ``listings.demo`` creates it through the services. Codes and attribute keys are a
contract: the shop's bulk demo generator and filters and the orders app use them.
Each category maps to the most precise entry the shipped procurement catalogue
(``catalogue.defaults``, 2022 numbering) has, and a leaf's entry lies within its parent's.
Where the catalogue lacks the item's own code we do not invent one: the leaf keeps the
nearest covering entry, or none where even the branch is uncertain. Missing (to be added to
the catalogue by the operator once confirmed against the published 2022 list): 显示器,
多功能一体机, 硒鼓/粉盒, 墨盒 (the 2013 edition had them under A0902; where the 2022 edition
files consumables is unconfirmed, so they carry no code), 书写工具 and 文件管理用品 (they keep
A05040000 办公用品), 办公桌/办公椅/文件柜 (they keep A05010000 家具), 电视机 (keeps A02090000),
饮水机 (keeps A02061800).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SpecDef:
    key: str
    label: str
    label_en: str
    kind: str  # text | number | choice
    required: bool = False
    unit: str = ""
    allowed: tuple[str, ...] = ()
    integer: bool = False  # a count (pages, sheets, pieces): whole numbers only

    @property
    def filterable(self) -> bool:
        return self.kind == "choice"


@dataclass(frozen=True)
class CategoryDef:
    code: str
    name: str
    name_en: str
    catalogue_code: str
    parent: str | None = None
    specs: tuple[SpecDef, ...] = field(default_factory=tuple)


def _s(
    key: str,
    label: str,
    label_en: str,
    kind: str,
    *allowed: str,
    req: bool = False,
    unit: str = "",
    integer: bool = False,
) -> SpecDef:
    return SpecDef(key, label, label_en, kind, req, unit, tuple(allowed), integer)


_PRINT_KIND = _s("type", "打印方式", "Printing technology", "choice", "激光", "喷墨", req=True)
_PRINT_COLOUR = _s("colour", "色彩", "Colour", "choice", "黑白", "彩色", req=True)
_PAPER_SIZE = _s("paper_size", "最大幅面", "Maximum paper size", "choice", "A4", "A3", req=True)
_CPU = _s("cpu", "处理器", "Processor", "text", req=True)
_MEMORY = _s("memory_gb", "内存", "Memory", "choice", "8GB", "16GB", "32GB", req=True)
_STORAGE = _s("storage", "硬盘", "Storage", "text", req=True)

DEMO_CATEGORIES: tuple[CategoryDef, ...] = (
    CategoryDef("office", "办公用品", "Office supplies", "A05040000"),
    CategoryDef(
        "office-paper",
        "复印纸",
        "Copy paper",
        "A05040101",
        "office",
        (
            _s("size", "规格", "Size", "choice", "A4", "A3", "B5", req=True),
            _s("weight_gsm", "克重", "Weight", "choice", "70g", "80g", req=True),
            _s("sheets", "每包张数", "Sheets per pack", "number", req=True, unit="张", integer=True),
        ),
    ),
    CategoryDef(
        "office-pens",
        "书写工具",
        "Pens",
        "A05040000",
        "office",
        (
            _s("type", "类型", "Type", "choice", "中性笔", "圆珠笔", "记号笔", "钢笔", req=True),
            _s("colour", "颜色", "Colour", "choice", "黑色", "红色", "蓝色", req=True),
            _s("pack", "每盒支数", "Pens per box", "number", unit="支", integer=True),
        ),
    ),
    CategoryDef(
        "office-filing",
        "文件管理用品",
        "Filing supplies",
        "A05040000",
        "office",
        (
            _s("type", "类型", "Type", "choice", "文件夹", "档案盒", "文件袋", "长尾夹", req=True),
            _s("material", "材质", "Material", "text"),
        ),
    ),
    CategoryDef("computers", "计算机设备", "Computers", "A02010000"),
    CategoryDef(
        "computers-desktop",
        "台式计算机",
        "Desktop computers",
        "A02010105",
        "computers",
        (_CPU, _MEMORY, _STORAGE, _s("os", "操作系统", "Operating system", "text")),
    ),
    CategoryDef(
        "computers-laptop",
        "便携式计算机",
        "Laptops",
        "A02010108",
        "computers",
        (_CPU, _MEMORY, _STORAGE, _s("screen_in", "屏幕尺寸", "Screen size", "number", req=True, unit="英寸")),
    ),
    CategoryDef(
        "computers-monitor",
        "显示器",
        "Monitors",
        "A02010000",
        "computers",
        (
            _s("screen_in", "屏幕尺寸", "Screen size", "number", req=True, unit="英寸"),
            _s("resolution", "分辨率", "Resolution", "choice", "1920×1080", "2560×1440", "3840×2160", req=True),
        ),
    ),
    CategoryDef("printing", "打印设备及耗材", "Printers and consumables", "A02020000"),
    CategoryDef(
        "printing-printer",
        "打印机",
        "Printers",
        "A02021000",
        "printing",
        (_PRINT_KIND, _PRINT_COLOUR, _PAPER_SIZE, _s("duplex", "自动双面", "Automatic duplex", "choice", "是", "否")),
    ),
    CategoryDef(
        "printing-mfp",
        "多功能一体机",
        "Multifunction printers",
        "A02020000",
        "printing",
        (_PRINT_KIND, _PRINT_COLOUR, _PAPER_SIZE, _s("functions", "功能", "Functions", "text")),
    ),
    CategoryDef(
        "printing-toner",
        "硒鼓粉盒",
        "Toner cartridges",
        "",
        "printing",
        (
            _s("compatible", "适用机型", "Compatible models", "text", req=True),
            _s("yield_pages", "打印页数", "Page yield", "number", req=True, unit="页", integer=True),
            _s("colour", "颜色", "Colour", "choice", "黑色", "青色", "品红", "黄色"),
        ),
    ),
    CategoryDef(
        "printing-ink",
        "墨盒",
        "Ink cartridges",
        "",
        "printing",
        (
            _s("compatible", "适用机型", "Compatible models", "text", req=True),
            _s("colour", "颜色", "Colour", "choice", "黑色", "青色", "品红", "黄色", "彩色", req=True),
        ),
    ),
    CategoryDef("furniture", "办公家具", "Office furniture", "A05010000"),
    CategoryDef(
        "furniture-desk",
        "办公桌",
        "Desks",
        "A05010000",
        "furniture",
        (
            _s("material", "材质", "Material", "choice", "钢制", "木制", "钢木", req=True),
            _s("size", "尺寸", "Size", "text", req=True, unit="mm"),
        ),
    ),
    CategoryDef(
        "furniture-chair",
        "办公椅",
        "Office chairs",
        "A05010000",
        "furniture",
        (
            _s("material", "材质", "Material", "choice", "网布", "皮革", "布艺", req=True),
            _s("armrest", "扶手", "Armrests", "choice", "有", "无"),
        ),
    ),
    CategoryDef(
        "furniture-cabinet",
        "文件柜",
        "Filing cabinets",
        "A05010000",
        "furniture",
        (
            _s("material", "材质", "Material", "choice", "钢制", "木制", req=True),
            _s("size", "尺寸", "Size", "text", req=True, unit="mm"),
        ),
    ),
    CategoryDef("appliances", "家用电器", "Appliances", "A02000000"),
    CategoryDef(
        "appliances-aircon",
        "空调",
        "Air conditioners",
        "A02061804",
        "appliances",
        (
            _s("type", "类型", "Type", "choice", "壁挂式", "柜式", req=True),
            _s("capacity", "匹数", "Capacity", "choice", "1匹", "1.5匹", "2匹", "3匹", req=True),
            _s("energy_grade", "能效等级", "Energy grade", "choice", "一级", "二级", "三级", req=True),
        ),
    ),
    CategoryDef(
        "appliances-tv",
        "电视机",
        "Televisions",
        "A02090000",
        "appliances",
        (
            _s("screen_in", "屏幕尺寸", "Screen size", "number", req=True, unit="英寸"),
            _s("resolution", "分辨率", "Resolution", "choice", "1920×1080", "3840×2160", req=True),
        ),
    ),
    CategoryDef(
        "appliances-water-dispenser",
        "饮水机",
        "Water dispensers",
        "A02061800",
        "appliances",
        (_s("type", "类型", "Type", "choice", "立式", "台式", req=True),),
    ),
)

DEMO_BANNED_WORDS: tuple[str, ...] = ("最低价", "国家级", "最佳", "第一", "绝对", "假一罚十", "最便宜", "顶级")
