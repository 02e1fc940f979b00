"""Data tables of the office-space demo (demo.py): the buildings of the demo district, where
each agency sits, the service, equipment and auxiliary rooms, the idle rooms and the requests.

Agency codes are those of org's seed_demo; an agency of another center (tests) sits in the
main building."""

import datetime as dt

from .models import Building, SubUse

MAIN = "XZ"
UPSTREAM = "SD"

# code, name, address, ownership, owner, floor area ㎡, built, floors above, below,
# allocation date of its rooms (the year of the certificates), notes
BUILDINGS = [
    (
        MAIN,
        "区行政中心大楼",
        "XX区人民大道 1 号",
        Building.Ownership.OWNED,
        "XX区人民政府",
        "16800.00",
        2018,
        8,
        1,
        dt.date(2019, 3, 1),
        "区政府各部门集中办公",
    ),
    (
        "QW1",
        "区委大院1号楼",
        "XX区解放路 18 号",
        Building.Ownership.OWNED,
        "中共XX区委",
        "6200.00",
        1998,
        5,
        0,
        dt.date(2020, 7, 1),
        "",
    ),
    (
        "QW2",
        "区委大院2号楼",
        "XX区解放路 18 号",
        Building.Ownership.OWNED,
        "中共XX区委",
        "4300.00",
        2003,
        4,
        0,
        dt.date(2020, 7, 1),
        "",
    ),
    (
        UPSTREAM,
        "市后勤中心调配办公楼",
        "XX区建设路 66 号",
        Building.Ownership.ALLOCATED,
        "XX市机关后勤服务中心",
        "2600.00",
        2009,
        3,
        0,
        None,  # its rooms come from the city center through the adjustment plan
        "市机关后勤服务中心调配给区级机关使用",
    ),
]

# Agencies outside the main building (the party organs in the 区委大院).
PLACEMENT = {
    "QWB": "QW1",
    "ZZB": "QW1",
    "XCB": "QW1",
    "TZB": "QW1",
    "ZFW": "QW1",
    "RDB": "QW2",
    "ZXB": "QW2",
    "JWJW": "QW2",
}

# Service rooms of an agency: (sub use, name suffix, area range ㎡, from this many people on).
AGENCY_SERVICE_ROOMS = [
    (SubUse.ARCHIVES, "档案室", (14, 22), 0),
    (SubUse.MEETING, "会议室", (30, 45), 12),
    (SubUse.STORAGE, "资料室", (10, 16), 10),
    (SubUse.PRINTING, "文印室", (10, 14), 16),
    (SubUse.RECEPTION, "接待室", (18, 24), 18),
]

# Rooms every floor above ground has, held by the center (it runs the buildings).
FLOOR_ROOMS = [(SubUse.TOILET, "卫生间", (22, 30))]

# Rooms of a building on its first floor / basement / top floor, held by the center:
# (building code, level: 1, -1 or "top", sub use, name, area ㎡, capacity)
BUILDING_ROOMS = [
    (MAIN, 1, SubUse.DUTY, "值班室", "18.00", 1),
    (MAIN, 1, SubUse.MAIL, "收发室", "22.00", 1),
    (MAIN, 1, SubUse.FIRE_CONTROL, "消防控制室", "36.00", 1),
    (MAIN, 1, SubUse.MEETING, "第一会议室", "160.00", 1),
    (MAIN, 1, SubUse.SERVER, "计算机房", "48.00", 1),
    (MAIN, -1, SubUse.CANTEEN, "机关食堂", "420.00", 1),
    (MAIN, -1, SubUse.GARAGE, "地下车库", "1860.00", 1),
    (MAIN, -1, SubUse.CIVIL_DEFENCE, "人防设施", "620.00", 1),
    (MAIN, -1, SubUse.SWITCHGEAR, "配电室", "86.00", 1),
    (MAIN, -1, SubUse.PUMP, "水泵房", "64.00", 1),
    (MAIN, -1, SubUse.HVAC, "空调机房", "120.00", 1),
    (MAIN, "top", SubUse.ELEVATOR, "电梯机房", "42.00", 1),
    ("QW1", 1, SubUse.DUTY, "值班室", "16.00", 1),
    ("QW1", 1, SubUse.SWITCHGEAR, "配电室", "28.00", 1),
    ("QW1", 1, SubUse.MEETING, "常委会议室", "96.00", 1),
    ("QW2", 1, SubUse.DUTY, "值班室", "15.00", 1),
    ("QW2", 1, SubUse.STORAGE, "储藏室", "24.00", 1),
]

# Rooms of the register nobody holds: (building code, sub use, name, area ㎡, capacity, mark).
# The marks let the adjustment plans find them again (the plan of the year allocates the
# "request" archive to the agency whose request was approved and the "allocate" store room).
IDLE_ROOMS = [
    (MAIN, SubUse.ARCHIVES, "档案室", "20.00", 1, "request"),
    (MAIN, SubUse.STORAGE, "储藏室", "26.00", 1, "allocate"),
    (MAIN, SubUse.OFFICE, "", "17.50", 2, ""),
    (MAIN, SubUse.OFFICE, "", "26.00", 3, ""),
    (MAIN, SubUse.OFFICE, "", "12.00", 1, ""),
    (MAIN, SubUse.OFFICE, "", "18.00", 2, ""),
    ("QW1", SubUse.OFFICE, "", "16.00", 1, ""),
    ("QW1", SubUse.OFFICE, "", "24.00", 3, ""),
    ("QW1", SubUse.OFFICE, "", "35.00", 4, "repair"),  # 屋面渗漏，维修中
    ("QW2", SubUse.OFFICE, "", "18.00", 2, ""),
    ("QW2", SubUse.MEETING, "小会议室", "32.00", 1, ""),
    (UPSTREAM, SubUse.ARCHIVES, "档案室（一）", "42.00", 1, "obtain"),
    (UPSTREAM, SubUse.ARCHIVES, "档案室（二）", "38.00", 1, "obtain"),
    (UPSTREAM, SubUse.MEETING, "会议室", "56.00", 1, "obtain"),
    (UPSTREAM, SubUse.STORAGE, "资料室", "30.00", 1, "obtain"),
    (UPSTREAM, SubUse.OFFICE, "", "18.00", 2, ""),
    (UPSTREAM, SubUse.OFFICE, "", "27.00", 3, ""),
    (UPSTREAM, SubUse.OFFICE, "", "12.00", 1, "draft"),
    (UPSTREAM, SubUse.OFFICE, "", "18.00", 2, ""),
]

# Who receives the rooms obtained from the city center (agency codes, in order; agencies of
# another center take the first agencies instead).
OBTAIN_TO = ["ZRJ", "ZRJ", "ZJJ", "ZJJ"]
# A meeting room one agency gives to another in the plan of the year.
TRANSFER = ("ZFB", "FGJ")
# The agency with one deliberately over-standard person (2 ㎡ over), and the one whose
# retired deputy has not handed the office back.
OVER_AGENCY = "JYJ"
RETIRED_AGENCY = "MZJ"
OVER_BY = "2.00"
RETIRED_DAYS_AGO = 45

CERTIFICATE = "X机管配〔{year}〕{n}号"

# The requests of the liaison's agency: (outcome, reason, area ㎡, comment of the decision).
REQUESTS = [
    (
        "rejected",
        "因职能调整新增两个股室，现有办公室不能满足需要，申请增加办公室 2 间。",
        "40.00",
        "经核定，该单位现有办公室面积已达到核定面积，不予增加；请通过内部调剂解决。",
    ),
    (
        "approved",
        "本局会计档案和财政票据逐年增加，现有档案室已无法满足存放需要，申请增加档案室一间。",
        "20.00",
        "同意，纳入本年度办公用房调整方案调剂闲置档案室一间。",
    ),
    (
        "pending",
        "本局每周召开业务会议，现有会议室面积不足，申请调剂会议室一间。",
        "35.00",
        "情况属实，请中心审核。",
    ),
]
