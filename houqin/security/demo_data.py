"""Fixed data of the security demo (demo.py): visitors, patrol routes, incidents, the fire
equipment register and the cameras register of the demo center. The scale dataset
(scale.py) reads the same tables."""

import datetime as dt

from .models.rosters import Post

# (gate, checks at entry, screening of every entry)
GATES = [
    ("东门", ["体温正常（≤37.3℃）"], False),
    ("北门", ["体温正常（≤37.3℃）", "随身物品已安检"], True),
]
# (post, name, start, end, min staff)
SHIFTS = [
    (Post.GATE, "白班", dt.time(8), dt.time(20), 1),
    (Post.GATE, "夜班", dt.time(20), dt.time(8), 1),
    (Post.FIRE_CONTROL, "白班", dt.time(8), dt.time(20), 2),
    (Post.FIRE_CONTROL, "夜班", dt.time(20), dt.time(8), 2),
]

# (name, company, purpose)
VISITORS = [
    ("黄志强", "广西建工集团", "洽谈办公楼外立面维修工程"),
    ("覃美玲", "XX区融媒体中心", "采访年度重点工作"),
    ("莫建华", "中国电信XX分公司", "机房网络线路检修"),
    ("韦小燕", "XX区第一中学", "联系学生社会实践活动"),
    ("陆文斌", "市财政局", "督导预算执行情况"),
    ("蒙晓东", "XX物业服务有限公司", "商谈物业服务合同续签"),
    ("潘丽萍", "", "咨询社保待遇政策"),
    ("卢海峰", "XX消防技术服务公司", "消防设施年度检测"),
    ("梁春燕", "市审计局", "审计资料调阅"),
    ("谢国平", "XX电梯工程有限公司", "电梯月度维保"),
    ("唐秋红", "", "递交信访材料"),
    ("罗志勇", "XX办公家具有限公司", "会议室家具送货安装"),
    ("何美华", "XX区妇联", "联系三八节活动场地"),
    ("林振宇", "XX保安服务公司", "保安服务质量回访"),
    ("宋佳怡", "市统计局", "经济普查业务指导"),
    ("郭明亮", "XX绿化工程公司", "院内绿化养护"),
]
PURPOSES_INVITED = ["参加项目评审会", "商谈合作事宜", "座谈交流", "送达会议材料", "业务培训授课"]
WATCH_NAME = "赵某某"
WATCH_REASON = "多次在办公区无理取闹、扰乱办公秩序，禁止入内，到访时通知安保消防股。"

# name, kind, description, rounds a day, [(checkpoint, location, checklist lines)]
ROUTES = [
    (
        "办公大楼安保巡逻",
        "security",
        "夜间及节假日重点部位巡逻：出入口、机要室、财务室、停车场。",
        2,
        [
            ("东门岗亭", "东门", "门岗人员在岗\n道闸、监控正常"),
            ("机要室", "主楼3楼", "门窗关闭上锁\n无异常人员滞留"),
            ("财务室", "主楼2楼", "门窗关闭上锁\n保险柜完好"),
            ("地下停车场", "主楼负一层", "车辆停放有序\n照明正常\n无可疑物品"),
            ("北门", "北门", "大门关闭\n围墙无破损"),
        ],
    ),
    (
        "防火巡查（主楼及食堂）",
        "fire",
        "每日防火巡查：安全出口、疏散通道、消防设施、用火用电（消防法第十七条）。",
        1,
        [
            ("消防控制室", "主楼1楼", "值班人员在岗（不少于2人）\n火灾报警控制器无故障"),
            ("主楼1楼疏散通道", "主楼1楼", "安全出口畅通\n疏散指示标志完好"),
            ("配电房", "附楼1楼", "无违规堆放杂物\n灭火器在位有效"),
            ("机关食堂后厨", "食堂1楼", "燃气阀门关闭\n油烟管道无积油"),
            ("档案室", "主楼4楼", "无违规用电\n灭火器在位有效"),
        ],
    ),
]

# (days ago, hour, place, kind, description, handling, follow_up, result or "")
INCIDENTS = [
    (
        26,
        10,
        "东门",
        "petition",
        "一名来访人员情绪激动，在门岗要求面见领导。",
        "值班保安耐心劝导，联系信访部门工作人员到场接待，来访人员情绪平复后离开。",
        "将有关情况通报区信访局。",
        "已妥善处置，未影响正常办公。",
    ),
    (
        15,
        15,
        "主楼3楼会议室",
        "medical",
        "参会人员突发头晕，面色苍白。",
        "安保人员携带急救箱到场，协助拨打120，陪同送医。",
        "会议室补充配备急救药品。",
        "病人经治疗无大碍。",
    ),
    (
        8,
        21,
        "附楼配电房",
        "equipment",
        "夜间巡查发现配电房排风扇异响、温度偏高。",
        "关闭排风扇电源，通知物业管理股维修人员到场检修。",
        "纳入设备月度检查重点。",
        "更换排风扇轴承后恢复正常。",
    ),
    (
        1,
        11,
        "主楼后院",
        "fire",
        "后院垃圾桶内烟头引燃纸屑冒烟。",
        "巡查保安使用灭火器当即扑灭，未造成损失。",
        "在后院增设禁烟标识，加强巡查。",
        "",
    ),
]

# (code prefix, kind, location, model, years of life, count)
EQUIPMENT = [
    ("MHQ", "extinguisher_abc", "主楼{f}楼东侧", "MFZ/ABC4", 5, 5),
    ("MHQ", "extinguisher_abc", "主楼{f}楼西侧", "MFZ/ABC4", 5, 5),
    ("MHQ", "extinguisher_abc", "主楼{f}楼会议室", "MFZ/ABC4", 5, 5),
    ("MHQ", "extinguisher_abc", "附楼{f}楼", "MFZ/ABC4", 5, 3),
    ("MHQ", "extinguisher_abc", "机关食堂{f}号点位", "MFZ/ABC8", 5, 2),
    ("EYH", "extinguisher_co2", "配电房/机房{f}", "MT/3", 5, 4),
    ("XHS", "hydrant", "主楼{f}楼消火栓箱", "SG24A65", 10, 5),
    ("SWX", "outdoor_hydrant", "院内{f}号室外消火栓", "SS100/65", 15, 2),
    ("BJ", "alarm", "消防控制室", "JB-QB-GST200", 10, 1),
    ("YJ", "emergency_light", "主楼{f}楼疏散通道", "M-BLZD-1LROEI", 6, 4),
    ("FHM", "fire_door", "主楼{f}号楼梯间", "GFM-1021", 15, 3),
    ("PL", "sprinkler", "地下停车场", "ZSTX15-68", 15, 1),
]
# (code, location, model)
CAMERAS = [
    *[
        (f"JK-DM-{i:02d}", f"东门{n}", "海康 DS-2CD3T47")
        for i, n in enumerate(["入口", "出口", "岗亭", "人行道"], 1)
    ],
    *[(f"JK-BM-{i:02d}", f"北门{n}", "海康 DS-2CD3T47") for i, n in enumerate(["入口", "出口"], 1)],
    *[
        (f"JK-ZL-{f}{s}", f"主楼{f}楼{side}走廊", "大华 DH-IPC-HDW")
        for f in range(1, 6)
        for s, side in (("E", "东"), ("W", "西"))
    ],
    *[(f"JK-DK-{i:02d}", f"地下停车场{i}区", "海康 DS-2CD2T46") for i in range(1, 5)],
    *[
        (f"JK-ST-{i:02d}", n, "大华 DH-IPC-HFW")
        for i, n in enumerate(["食堂大厅", "食堂后厨", "食堂仓库"], 1)
    ],
    *[
        (f"JK-ZB-{i:02d}", n, "海康 DS-2DE4425")
        for i, n in enumerate(["院内东侧", "院内西侧", "后院", "围墙北段", "围墙南段"], 1)
    ],
    ("JK-JY-01", "机要室门口", "海康 DS-2CD3T47"),
    ("JK-CW-01", "财务室门口", "海康 DS-2CD3T47"),
]
FAULTY_CAMERAS = {"JK-DK-03": "画面偶发黑屏，已报维修", "JK-ZB-04": "夜视功能失效"}

PLAN_TITLE = "年度重大会议安保工作预案"
PLAN_MEASURES = (
    "一、成立安保工作组，股长任组长；\n二、会前对会场进行安全检查和消防检查；\n"
    "三、东门、北门加派岗哨，参会车辆凭证入场；\n四、消防控制室双人值守，"
    "微型消防站人员到位；\n五、医疗、电力保障单位现场待命。"
)
# kind, title, (days, months) ago, named participants, others, place, organizer, summary
DRILLS = [
    (
        "evacuation",
        "办公大楼消防疏散演练",
        (0, 4),
        25,
        60,
        "主楼及院内广场",
        "安保消防股、区消防救援大队",
        "全楼人员 4 分 30 秒疏散完毕，演练达到预期效果。",
    ),
    (
        "training",
        "消防安全知识培训暨灭火器实操",
        (20, 0),
        36,
        4,
        "三楼大会议室",
        "区消防救援大队宣传科",
        "讲解“四个能力”，现场演示灭火器、消火栓使用。",
    ),
]
