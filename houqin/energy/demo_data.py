"""Data tables of the energy demo (demo.py): the public institutions of the demo district with
their base data and meters, the monthly profiles of their consumption, the 节约型机关 scoring
sheet, the campaign's batches, meetings and trainings, the charging stations, the sorting
sites and the publicity events.

Years are relative: Y0 is 2020 (the base year of the 14th five-year target), "last" the year
before today's, "this" today's. Agency codes are those of org's seed_demo, building names
those of the space demo; where one is missing (tests) the institution is left unlinked.
"""

from decimal import Decimal

BASE_YEAR = 2020

# name, agency code, building name, floor area ㎡, headcount 2020, establishment
INSTITUTIONS = [
    ("区委区政府大院", "QWB", "区委大院1号楼", "10500.00", 420, 380),
    ("区行政服务中心", "ZFB", "区行政中心大楼", "16800.00", 560, 310),
    ("区人大政协办公楼", "RDB", "区委大院2号楼", "4300.00", 95, 82),
    ("区教育局", "JYJ", None, "3600.00", 110, 96),
    # A school counts its pupils among the energy-using people (公共机构能源资源消费统计).
    ("区实验小学", None, None, "12000.00", 1850, 128),
    ("区文化中心", None, None, "8500.00", 85, 45),
]
# Headcount grows a little every year (per mille a year).
HEADCOUNT_GROWTH = Decimal("0.003")

# Consumption of the year against 2020 (the same month): the 2021–2025 target (−5 / −6 / −6 %
# per area, per capita, water per capita) is met with some margin, and this year goes on
# declining slightly. Years after the table continue its last step.
ENERGY_FACTOR = {
    2020: Decimal("1.000"),
    2021: Decimal("0.985"),
    2022: Decimal("0.968"),
    2023: Decimal("0.952"),
    2024: Decimal("0.936"),
    2025: Decimal("0.918"),
    2026: Decimal("0.904"),
}
WATER_FACTOR = {
    2020: Decimal("1.000"),
    2021: Decimal("0.982"),
    2022: Decimal("0.965"),
    2023: Decimal("0.948"),
    2024: Decimal("0.930"),
    2025: Decimal("0.915"),
    2026: Decimal("0.902"),
}
STEP = Decimal("0.014")

# Monthly profiles (relative weights, January first). A hot-summer district: air conditioning
# from May to October; the school is closed in February and in July–August.
PROFILES = {
    "office_power": (0.92, 0.72, 0.82, 0.90, 1.05, 1.22, 1.32, 1.30, 1.18, 0.98, 0.84, 0.85),
    "school_power": (0.95, 0.45, 0.95, 1.00, 1.10, 1.20, 0.55, 0.50, 1.20, 1.05, 0.95, 0.95),
    "culture_power": (0.95, 0.90, 0.85, 0.90, 1.00, 1.15, 1.30, 1.30, 1.10, 1.00, 0.85, 0.90),
    "water": (0.90, 0.75, 0.90, 0.95, 1.05, 1.15, 1.20, 1.20, 1.10, 1.00, 0.90, 0.90),
    "school_water": (1.00, 0.40, 1.05, 1.10, 1.15, 1.20, 0.50, 0.45, 1.15, 1.10, 1.00, 1.00),
    "canteen_gas": (1.05, 0.70, 1.00, 1.00, 1.00, 0.95, 0.95, 0.95, 1.00, 1.00, 1.05, 1.10),
    "school_gas": (1.00, 0.30, 1.10, 1.10, 1.10, 1.10, 0.35, 0.30, 1.10, 1.10, 1.05, 1.00),
    "hot_water_heat": (1.50, 1.40, 1.20, 0.90, 0.70, 0.60, 0.55, 0.55, 0.65, 0.85, 1.10, 1.40),
}

# Meters: code, institution, kind, name, mode, annual amount in 2020 (metered unit), profile,
# parent code (sub-meters: a share of the parent's month, entered as a running register).
MAIN = "consumption"  # monthly bills of the power, water and gas companies
SUB = "register"
METERS = [
    (
        "DY-E01",
        "区委区政府大院",
        "electricity",
        "10kV 配电房总表",
        MAIN,
        1155000,
        "office_power",
        None,
    ),
    (
        "DY-E01-1",
        "区委区政府大院",
        "electricity",
        "中央空调分表",
        SUB,
        Decimal("0.36"),
        None,
        "DY-E01",
    ),
    (
        "DY-E01-2",
        "区委区政府大院",
        "electricity",
        "照明插座分表",
        SUB,
        Decimal("0.41"),
        None,
        "DY-E01",
    ),
    ("DY-W01", "区委区政府大院", "water", "自来水总表", MAIN, 11800, "water", None),
    ("DY-G01", "区委区政府大院", "natural_gas", "机关食堂燃气表", MAIN, 60000, "canteen_gas", None),
    ("FW-E01", "区行政服务中心", "electricity", "配电房总表", MAIN, 2184000, "office_power", None),
    (
        "FW-E01-1",
        "区行政服务中心",
        "electricity",
        "政务大厅空调分表",
        SUB,
        Decimal("0.31"),
        None,
        "FW-E01",
    ),
    ("FW-W01", "区行政服务中心", "water", "自来水总表", MAIN, 16000, "water", None),
    ("FW-G01", "区行政服务中心", "natural_gas", "职工食堂燃气表", MAIN, 40000, "canteen_gas", None),
    ("RZ-E01", "区人大政协办公楼", "electricity", "配电房总表", MAIN, 430000, "office_power", None),
    ("RZ-W01", "区人大政协办公楼", "water", "自来水总表", MAIN, 2400, "water", None),
    ("JY-E01", "区教育局", "electricity", "办公楼电表", MAIN, 342000, "office_power", None),
    ("JY-W01", "区教育局", "water", "自来水总表", MAIN, 2600, "water", None),
    ("XX-E01", "区实验小学", "electricity", "学校配电房总表", MAIN, 540000, "school_power", None),
    ("XX-W01", "区实验小学", "water", "自来水总表", MAIN, 22000, "school_water", None),
    ("XX-G01", "区实验小学", "natural_gas", "学生食堂燃气表", MAIN, 30000, "school_gas", None),
    ("WH-E01", "区文化中心", "electricity", "配电房总表", MAIN, 1020000, "culture_power", None),
    ("WH-E01-1", "区文化中心", "electricity", "空调机房分表", SUB, Decimal("0.40"), None, "WH-E01"),
    ("WH-W01", "区文化中心", "water", "自来水总表", MAIN, 4500, "water", None),
    ("WH-H01", "区文化中心", "heat", "生活热水购热表（MJ）", MAIN, 600000, "hot_water_heat", None),
]
# Sub-meters keep a register from December of the year before last; this one was replaced
# during this year: its first reading after the change is lower than the month before and
# stays flagged 待核实 for the energy manager to confirm.
REPLACED_METER = "WH-E01-1"
SUB_OPENING = {"DY-E01-1": 412380, "DY-E01-2": 508920, "FW-E01-1": 655140, "WH-E01-1": 301760}

# base year → target year, reductions (%) per area, per capita, water per capita (DOMAIN.md §3:
# the 14th five-year targets; the 15th five-year plan is set at the same reductions until the
# city assigns its own).
TARGETS = [(2020, 2025, "5", "6", "6"), (2025, 2030, "5", "6", "6")]

# ------------------------------------------------------------------ 节约型机关

SHEET_NAME = "节约型机关创建评分表"
SHEET_DESCRIPTION = (
    "依据《节约型机关创建行动方案》，从完善制度体系、推行绿色办公、实行生活垃圾分类、"
    "开展宣传教育四个方面评分，满分 100 分，80 分及以上为达标。"
)
SHEET = [
    (
        "完善制度体系",
        [
            ("明确节能管理机构和能源管理岗位，落实节能工作责任制", 5),
            ("制定年度节能工作计划和能源、水资源消费控制目标", 5),
            ("能源资源消费实行分户、分类、分项计量", 6),
            ("建立能源资源消费统计台账，按时报送统计数据", 6),
            ("定期在单位内部公示能源资源消费情况", 4),
            ("建立并执行节约能源资源管理制度", 4),
        ],
    ),
    (
        "推行绿色办公",
        [
            ("推行无纸化办公，双面打印，减少纸张消耗", 5),
            ("夏季空调温度不低于 26℃、冬季不高于 20℃", 6),
            ("下班及时关闭办公设备电源，杜绝待机能耗", 4),
            ("优先采购节能节水环保产品，落实绿色采购", 6),
            ("使用高效照明产品，公共区域照明智能控制", 5),
            ("节水器具普及率达到 100%", 5),
            ("公务用车优先选用新能源汽车，配建充电设施", 4),
        ],
    ),
    (
        "实行生活垃圾分类",
        [
            ("按四类设置规范的分类收集容器，分类投放", 6),
            ("不主动提供一次性杯具，减少一次性办公用品", 5),
            ("食堂不使用不可降解一次性塑料制品，开展“光盘行动”", 5),
            ("建立生活垃圾分类管理台账", 4),
        ],
    ),
    (
        "开展宣传教育",
        [
            ("组织节能宣传周、全国低碳日等主题宣传活动", 6),
            ("开展创建培训，干部职工知晓率达 90% 以上", 5),
            ("设置节能节水提示标识，营造节约氛围", 4),
        ],
    ),
]

CAMPAIGN_NAME = "节约型机关创建行动"
CAMPAIGN_DESCRIPTION = "按照上级部署，分两批推进区直机关节约型机关创建，到今年底完成创建任务。"
# batch number, year ("last" / "this"), target; units: (agency code, outcome, score)
# outcome: passed / failed (decided), reviewed, self_assessed, enrolled. The demo liaison's
# agency is put first in batch 2 as "enrolled" (it has the self-assessment to do).
BATCHES = [
    (
        1,
        "last",
        8,
        [
            ("QWB", "passed", 93),
            ("ZFB", "passed", 91),
            ("RDB", "passed", 88),
            ("ZXB", "passed", 86),
            ("ZZB", "passed", 90),
            ("XCB", "passed", 84),
            ("FGJ", "passed", 82),
            ("SJJ", "failed", 74),
        ],
    ),
    (
        2,
        "this",
        6,
        [
            ("LIAISON", "enrolled", None),
            ("RSJ", "self_assessed", 86),
            ("ZJJ", "reviewed", 83),
            ("JYJ", "passed", 89),
            ("WJJ", "passed", 85),
            ("SCJ", "failed", 76),
        ],
    ),
]
# year, month, day, kind, title, place, participants
MEETINGS = [
    ("last", 3, 18, "meeting", "节约型机关创建工作动员部署会", "区委区政府大院第一会议室", 65),
    ("last", 4, 22, "training", "节约型机关创建业务培训（第一批）", "区行政服务中心培训室", 80),
    ("last", 9, 16, "meeting", "第一批创建工作推进会", "区委区政府大院第三会议室", 45),
    ("this", 3, 12, "meeting", "第二批节约型机关创建动员会", "区委区政府大院第一会议室", 58),
    ("this", 4, 16, "training", "节约型机关创建业务培训（第二批）", "区行政服务中心培训室", 72),
    ("this", 6, 24, "training", "公共机构能源资源消费统计业务培训", "区行政服务中心培训室", 40),
    ("this", 9, 8, "meeting", "第二批创建工作推进会", "区委区政府大院第三会议室", 42),
]

# ------------------------------------------------------------------ charging stations

PROJECT_NAME = "新能源汽车充电设施建设"
PROJECT_ASSIGNED_BY = "市机关事务服务中心"
PROJECT_TARGET = 16
PROJECT_NOTES = "市机关事务服务中心下达任务：在区级公共机构建设充电站 16 个，年底前全部建成。"
# name, site, institution, piles, power kW, status, completed (year, month, day)
STATIONS = [
    (
        "大院东停车场充电站",
        "区委区政府大院东侧停车场",
        "区委区政府大院",
        6,
        "42.0",
        "in_use",
        ("last", 10, 15),
    ),
    (
        "大院西停车场充电站",
        "区委区政府大院西侧停车场",
        "区委区政府大院",
        4,
        "28.0",
        "in_use",
        ("last", 11, 20),
    ),
    (
        "服务中心车库A区充电站",
        "区行政服务中心地下车库 A 区",
        "区行政服务中心",
        8,
        "120.0",
        "in_use",
        ("last", 12, 18),
    ),
    (
        "服务中心车库B区充电站",
        "区行政服务中心地下车库 B 区",
        "区行政服务中心",
        6,
        "42.0",
        "in_use",
        ("this", 3, 20),
    ),
    (
        "人大政协停车场充电站",
        "区人大政协办公楼停车场",
        "区人大政协办公楼",
        4,
        "28.0",
        "in_use",
        ("this", 4, 15),
    ),
    (
        "教育局停车场充电站",
        "区教育局办公楼后停车场",
        "区教育局",
        2,
        "14.0",
        "in_use",
        ("this", 5, 10),
    ),
    (
        "实验小学教职工停车场充电站",
        "区实验小学教职工停车场",
        "区实验小学",
        4,
        "28.0",
        "in_use",
        ("this", 5, 28),
    ),
    (
        "文化中心广场充电站",
        "区文化中心广场停车场",
        "区文化中心",
        6,
        "120.0",
        "in_use",
        ("this", 6, 30),
    ),
    (
        "公务用车集中停放点充电站",
        "区委区政府大院北侧车队车库",
        "区委区政府大院",
        8,
        "160.0",
        "in_use",
        ("this", 7, 25),
    ),
    (
        "机关食堂停车场充电站",
        "区委区政府大院机关食堂旁",
        "区委区政府大院",
        2,
        "14.0",
        "done",
        ("this", 9, 18),
    ),
    (
        "服务中心访客停车场充电站",
        "区行政服务中心访客停车场",
        "区行政服务中心",
        4,
        "28.0",
        "done",
        ("this", 10, 30),
    ),
    (
        "大院南门停车场充电站",
        "区委区政府大院南门停车场",
        "区委区政府大院",
        4,
        "28.0",
        "building",
        None,
    ),
    ("文化中心地下车库充电站", "区文化中心地下车库", "区文化中心", 6, "42.0", "building", None),
    ("教育局附属楼充电站", "区教育局附属楼停车场", "区教育局", 2, "14.0", "building", None),
    ("城东政务服务分中心充电站", "城东镇政务服务分中心停车场", None, 4, "28.0", "planned", None),
    ("区档案馆充电站", "区档案馆停车场", None, 2, "14.0", "planned", None),
]

# ------------------------------------------------------------------ garbage sorting

# name, kind, institution, address, bins, demonstration level, recognized (year, m, d), started
SITES = [
    (
        "区实验小学",
        "school",
        "区实验小学",
        "XX区育才路 8 号",
        12,
        "区级示范点",
        ("last", 9, 10),
        2020,
    ),
    ("区委区政府大院", "organ", "区委区政府大院", "XX区解放路 18 号", 8, "", None, 2020),
    ("区行政服务中心", "organ", "区行政服务中心", "XX区人民大道 1 号", 6, "", None, 2020),
    ("区人大政协办公楼", "organ", "区人大政协办公楼", "XX区解放路 18 号", 4, "", None, 2021),
    ("区教育局", "organ", "区教育局", "XX区文教路 3 号", 3, "", None, 2021),
    ("区文化中心", "other", "区文化中心", "XX区文化路 66 号", 5, "", None, 2021),
]
# Correct-sorting rate of each site (%) six months ago; it improves by about a point a month.
SITE_RATES = {
    "区实验小学": 93,
    "区委区政府大院": 86,
    "区行政服务中心": 82,
    "区人大政协办公楼": 88,
    "区教育局": 85,
    "区文化中心": 80,
}
INSPECTION_MONTHS = 6  # and this month, once its inspection day has passed
SITE_PROBLEMS = [
    "",
    "个别厨余垃圾桶内混有塑料袋",
    "",
    "可回收物桶内有湿垃圾",
    "",
    "有害垃圾桶标识脱落，已要求更换",
]
# Weights (kg a month) collected at the sites that weigh them: recyclable, hazardous,
# kitchen, other.
COLLECTIONS = {
    "区实验小学": ("320", "4.5", "1850", "960"),
    "区委区政府大院": ("410", "6.0", "2600", "1320"),
    "区行政服务中心": ("380", "3.5", "1400", "1650"),
}
COLLECTION_MONTHS = 3

# ------------------------------------------------------------------ publicity events

# kind, title ({y} the year), (start m, d), (end m, d), year, place, organizer, summary,
# activities: (m, d, title, description, participants)
EVENTS = [
    (
        "week",
        "{y}年全国节能宣传周",
        (6, 8),
        (6, 14),
        "last",
        "区委区政府大院、区行政服务中心",
        "区机关后勤服务中心",
        "围绕节能宣传周主题，组织启动仪式、知识竞答和能源紧缺体验日等活动。",
        [
            (6, 8, "节能宣传周启动仪式暨咨询活动", "设置宣传展板，发放节能手册。", 260),
            (6, 10, "能源紧缺体验日", "关闭公共区域照明和空调，倡导少开一天车。", 1800),
            (6, 12, "节能知识有奖竞答", "线上线下同步答题。", 380),
        ],
    ),
    (
        "low_carbon",
        "{y}年全国低碳日",
        (6, 11),
        (6, 11),
        "last",
        "区委区政府大院",
        "区机关后勤服务中心",
        "开展低碳主题宣讲和绿色出行倡议。",
        [(6, 11, "绿色低碳主题宣讲", "邀请市节能监察中心专家授课。", 150)],
    ),
    (
        "week",
        "{y}年全国节能宣传周",
        (6, 8),
        (6, 14),
        "this",
        "区委区政府大院、区行政服务中心、区实验小学",
        "区机关后勤服务中心",
        "以“节能增效、绿色低碳”为主题，开展宣传咨询、能源紧缺体验、绿色出行和旧物交换等活动，"
        "区直各单位干部职工广泛参与。",
        [
            (
                6,
                8,
                "节能宣传周启动仪式暨宣传咨询活动",
                "设置宣传展板 20 块，发放节能手册 600 册。",
                320,
            ),
            (6, 9, "节能知识有奖竞答", "线上答题，设一、二、三等奖。", 420),
            (6, 10, "能源紧缺体验日", "公共区域停开空调、关闭景观照明，倡导绿色出行。", 2100),
            (6, 12, "“绿色出行”倡议", "倡导乘坐公交、骑行、步行上下班。", 260),
            (6, 13, "旧物交换与废旧物品回收", "回收废旧电池、旧衣物、旧书报。", 180),
        ],
    ),
    (
        "low_carbon",
        "{y}年全国低碳日",
        (6, 10),
        (6, 10),
        "this",
        "区委区政府大院、区实验小学",
        "区机关后勤服务中心",
        "低碳主题宣讲进机关、低碳知识进校园。",
        [
            (6, 10, "低碳主题宣讲进机关", "讲解公共机构碳达峰行动。", 150),
            (6, 10, "低碳知识进校园", "在区实验小学开展低碳知识课堂。", 600),
        ],
    ),
    (
        "sorting",
        "垃圾分类宣传进校园（{y}年）",
        (9, 18),
        (9, 18),
        "this",
        "区实验小学",
        "区机关后勤服务中心、区实验小学",
        "依托区级垃圾分类示范点，开展“小手拉大手”垃圾分类宣传。",
        [(9, 18, "“小手拉大手”垃圾分类主题班会", "各班同步开展，发放分类指引。", 1500)],
    ),
]
