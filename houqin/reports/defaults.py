"""The default texts of the annual work summary, written in the style of the seed document
(the center's own 2021 report) with its "X" replaced by named placeholders.

    SECTIONS             (key, title, modules) of "一、{year}年工作开展情况", in order
    OPENING              the paragraph before the first part ({year} and {center} only)
    DEFAULT_TEMPLATES    key → the section's text
    PLANS                "三、下一步工作计划" (no placeholder)

A placeholder is `{<module>.<key>}` or `{<module>.<key>.<subkey>}` — the flattened figures of
the module's summary.figures() (numbers, Decimals, strings, booleans, None; lists are not
addressable). A section's template uses only the figures of the section's modules. Paragraphs
are separated by a blank line. The section heading ("（一）会务保障") is not part of the text; the
first sentence of each text is the seed's lead phrase ("精心服务精细管理，切实做好会务保障工作。").

The texts are plain str (marked with gettext_noop for extraction, not translated at import):
they are the initial content of the center's editable templates and go through
string.Formatter, which refuses lazy strings. The section titles are lazy.
"""

import re

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

# {meetings.served}, {meetings.served_by_kind.auditorium}, {meetings.served|同比} (the change
# from a year earlier); {year} and {center} in OPENING.
PLACEHOLDER_RE = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*(?:\|同比)?)\}")


def placeholders(text) -> list[str]:
    """The placeholder names of a text, in order of appearance (repeats kept)."""
    return PLACEHOLDER_RE.findall(str(text))


SECTIONS = [
    ("meetings", _("会务保障"), ["meetings"]),
    ("finance", _("财务管理"), ["finance"]),
    ("security", _("安保消防"), ["security"]),
    ("energy", _("节能降耗"), ["energy"]),
    ("logistics", _("后勤保障"), ["maintenance", "canteen", "vendors"]),
    ("space", _("办公用房管理"), ["space"]),
    ("fleet", _("公车管理"), ["fleet"]),
    ("activities", _("学习教育与活动"), ["activities"]),
]

OPENING = N_(
    "{year}年，{center}在区委、区政府的正确领导和上级机关事务管理部门的关心支持下，"
    "坚持以习近平新时代中国特色社会主义思想为指导，坚持以机关后勤保障和优质服务为主题，"
    "不断增强服务意识、提高服务质量，为机关、领导、干部职工提供优质后勤服务，"
    "各项工作取得了新的成效。现将{year}年工作情况总结如下。"
)

DEFAULT_TEMPLATES = {
    "meetings": N_(
        "精心服务精细管理，切实做好会务保障工作。一是全年共服务各类会议{meetings.served}场次"
        "{meetings.served|同比}，其中报告厅会议{meetings.served_by_kind.auditorium}场次，"
        "中型会议{meetings.served_by_kind.medium}场次，"
        "小型会议{meetings.served_by_kind.small}场次，参会人员共计{meetings.attendees}人次，"
        "圆满完成各项重大会议的服务保障任务。\n"
        "\n"
        "二是做到会前会后对会议室进行消毒并做好记录，全年完成会议室会前会后消毒"
        "{meetings.disinfection.records}次，会前会后消毒按时完成率"
        "{meetings.disinfection.on_time_percent}%。\n"
        "\n"
        "三是对会议室的门窗、护栏、桌椅、地脚线、装饰品、背景等定期进行全面清洁，"
        "共计{meetings.cleanings}次；对行政中心公共区域开展日常消杀{meetings.public_disinfections}次，"
        "聘请专业公司开展除四害消杀工作{meetings.pest_control}次。"
    ),
    "finance": N_(
        "严遵财务制度，切实做好财务工作。一是根据财政监督要求，完善本单位内部控制制度及财务管理制度，"
        "每项收支严格依法依规执行。本中心{finance.budget_year}年度项目预算{finance.budget_total}元，"
        "截至本期末已支出{finance.spent}元，完成全年支出进度{finance.execution_rate}%"
        "（时间进度{finance.time_pct}%）。\n"
        "\n"
        "二是会计核算方面，全年入账各项支出{finance.expenditures_total}元{finance.expenditures_total|同比}；协助各单位完成本年预算公开、"
        "固定资产管理等工作，期末在账固定资产{finance.assets_count}项、原值{finance.assets_value}元，"
        "督促各单位及时交接会计凭证，确保按时按质完成财务核算工作。\n"
        "\n"
        "三是规范政府采购管理，对固定项目做好政府采购备案及招标工作，全年完成政府采购项目"
        "{finance.procurements}项，成交金额{finance.procurement_amount}元。"
    ),
    "security": N_(
        "强化安保消防，创造安全环境。一是建立健全安保消防工作制度，强化岗位职责，"
        "检查巡查重点区域的管理，狠抓作风纪律和值班形象。全年完成安保、消防巡更"
        "{security.patrols_done}次，巡更完成率{security.patrols_done_pct}%；按计划完成防火巡查"
        "{security.fire_patrol_done}次、消防检查{security.fire_inspections_done}次，"
        "妥善处置各类突发事件{security.incidents}起，有效防止各类安全事故的发生，"
        "保障了各种大型活动、大型会议的顺利召开。\n"
        "\n"
        "二是认真做好来访人员、群众的登记统计，全年登记来访{security.visitors_registered}批次、"
        "{security.visitors_people}人次{security.visitors_people|同比}，并耐心引导至相关部门办事；对未通过入口查验的来访"
        "{security.visits_refused}批次予以劝离，保障了行政中心的正常工作秩序。\n"
        "\n"
        "三是完善安保队员及消防值班人员安全教育培训，全年开展消防安全和安保业务培训"
        "{security.trainings}次、{security.training_people}人次，组织疏散、灭火演练"
        "{security.drills}次、{security.drill_people}人次。\n"
        "\n"
        "四是加强技防物防建设，更换、报废年久老化的消防器材{security.equipment_replaced}件；"
        "行政中心共有监控摄像机{security.cameras_total}台，其中正常在用"
        "{security.cameras_in_service}台，有效提升监控设备的实效性。"
    ),
    "energy": N_(
        "深化节能降耗，构建节约型机关。一是创建节约型机关工作。按照创建的评价标准，"
        "全年新创建节约型机关{energy.units_created}家（目标任务{energy.units_target}家，"
        "完成{energy.units_created_pct}%），组织召开节约型机关创建工作推进会{energy.meetings}次、"
        "{energy.meeting_people}人次，举办业务培训{energy.trainings}次、{energy.training_people}人次，"
        "有力推动节约型机关创建工作深入开展。\n"
        "\n"
        "二是新能源充电桩建设。积极对接供电部门，全年建成充电站{energy.stations_completed}个，"
        "累计建成{energy.stations_completed_total}个，完成上级下达的{energy.stations_target}个"
        "充电站建设任务的{energy.stations_pct}%。\n"
        "\n"
        "三是推进公共机构垃圾分类。设立生活垃圾分类点位{energy.sorting_sites}个，其中示范点"
        "{energy.demonstration_sites}个；全年开展垃圾分类检查{energy.sorting_inspections}次，"
        "生活垃圾分类正确投放率{energy.sorting_rate}%，严格规范生活垃圾分类类别及标志，"
        "进一步发挥公共机构示范引领作用。\n"
        "\n"
        "四是广泛营造节能宣传氛围。以节能宣传周、全国低碳日等为契机，开展节能宣传活动"
        "{energy.events}次，参与{energy.event_people}人次，推动单位和个人形成绿色、低碳、循环、"
        "可持续的生活方式。\n"
        "\n"
        "五是加强公共机构能耗指标管理。{energy.energy_year}年公共机构综合能耗"
        "{energy.energy_kgce}千克标准煤，单位建筑面积能耗{energy.per_area}千克标准煤/平方米，"
        "较上年变化{energy.per_area_vs_last_pct}%；人均综合能耗{energy.per_capita}千克标准煤/人，"
        "较上年变化{energy.per_capita_vs_last_pct}%；人均用水量{energy.water_per_capita}立方米/人，"
        "较上年变化{energy.water_vs_last_pct}%。"
    ),
    "logistics": N_(
        "强化服务意识，切实做好后勤保障工作。一是积极完成维修工作任务。全年接到各类报修"
        "{maintenance.repairs_received}次{maintenance.repairs_received|同比}，完成维修{maintenance.repairs_completed}次，"
        "按时完成率{maintenance.within_sla_pct}%，平均响应时间{maintenance.avg_response_hours}"
        "个工作小时，报修人满意率{maintenance.satisfied_pct}%；投入维修经费"
        "{maintenance.spending_total}元。\n"
        "\n"
        "二是定期开展设施设备维护和安全检查，责任落实到人，完成预防性维护"
        "{maintenance.preventive_done}次、安全检查{maintenance.inspections_done}次，"
        "发现问题{maintenance.findings_found}项，完成整改{maintenance.findings_rectified}项，"
        "强化安全责任意识。\n"
        "\n"
        "三是做好食堂保障工作。机关食堂每周精心编制菜单，全年发布菜单{canteen.menus_published}"
        "餐次，确保菜肴品种的合理搭配；按照安全卫生第一的要求，严格监督和管理食品选购、加工、"
        "制作及存放，做好晨检、留样、进货查验和餐具消毒记录{canteen.food_safety_records}条。"
        "全年为干部职工供餐共计{canteen.meals_served}份{canteen.meals_served|同比}，其中订餐领取{canteen.orders_collected}份、"
        "窗口就餐{canteen.walk_in_meals}份。\n"
        "\n"
        "四是加强对外包服务单位的管理。全年与{vendors.vendors_active}家外包服务单位合作，"
        "对物业、保安、食堂等外包服务单位开展考核{vendors.evaluations}次，平均得分"
        "{vendors.average_score}分，考核不达标予以付款预警{vendors.evaluations_flagged}次。"
    ),
    "space": N_(
        "规范办公用房管理，推进资源合理配置和节约集约使用。一是严格核定各单位办公用房面积，"
        "期末占有办公用房的{space.agencies_total}个单位中，{space.agencies_approved}个单位"
        "办公用房面积在核定标准以内。全年受理各部门增加办公用房申请{space.requests_received}件，"
        "批准{space.requests_granted}件；积极和上级部门沟通协调，获得上级调配办公用房"
        "{space.rooms_obtained}间、{space.area_obtained_upstream}平方米，同时通过合理调剂闲置"
        "办公用房{space.rooms_reallocated}间、{space.area_reallocated}平方米，"
        "有效缓解了办公用房紧缺的问题。\n"
        "\n"
        "二是腾退在外租用的办公用房{space.leases_vacated}处，每年减少租金"
        "{space.rent_saved_per_year}元，减轻财政资金支出。\n"
        "\n"
        "三是完成办公用房维修改造项目{space.projects_completed}个，决算金额"
        "{space.projects_cost}元。\n"
        "\n"
        "四是推进党政机关办公用房权属统一登记工作，在用楼栋{space.ownership_total}栋中已办理"
        "登记{space.ownership_registered}栋、备案{space.ownership_filed}栋，登记进度"
        "{space.ownership_pct}%。"
    ),
    "fleet": N_(
        "加强公车管理，严格执行公车使用制度，确保行车安全出行。一是加强公车使用管理，"
        "提供优质高效服务。严格执行公车定点停放、定点加油、定点维修“三定”管理，健全完善专人"
        "负责、统一派车、明确线路以及用车与缴费分离等制度。全年受理用车申请"
        "{fleet.requests_received}次，派车{fleet.requests_served}次，完成出车{fleet.trips}趟{fleet.trips|同比}，"
        "行驶{fleet.km}公里。开展满意度调查活动，对派单的车辆、司机进行满意度评分"
        "{fleet.ratings}次，平均评分{fleet.rating_avg}分，满意率{fleet.satisfied_pct}%。\n"
        "\n"
        "二是提高公车责任意识，加强业务学习培训。全年组织司勤人员安全培训{fleet.trainings}次，"
        "严格遵守公务用车管理制度，坚决杜绝公车私用。\n"
        "\n"
        "三是强化车辆调度，落实人员管理制度。出车前以及回来后对车辆进行清洁消杀，共计"
        "{fleet.disinfection_records}次。在车辆维修方面，履行节约，努力降低消耗，全年公务用车"
        "运行费用（燃油、维修保养、保险、通行及停车费）共计{fleet.costs_total}元。现有公务用车"
        "{fleet.actual_total}辆，编制{fleet.quota_total}辆。"
    ),
    "activities": N_(
        "按照区委、区政府统一部署，结合中心实际，认真组织开展学习教育和各项活动。"
        "一是制定学习活动方案，明确教育活动总体要求和具体工作安排；二是落实领导干部工作责任制，"
        "坚持支部书记带头学；三是组织干部职工定期开展专题学习和实践活动，全年共开展各类活动"
        "{activities.activities}次，参加{activities.participants}人次{activities.participants|同比}。\n"
        "\n"
        "四是认真做好各项摸排统计工作，摸排完成率达{activities.survey_completion_rate}%。"
    ),
}

PLANS = N_(
    "下一步，我们定将扬长避短，改进工作中的不足，为推动建立一流后勤而努力工作，"
    "把机关后勤服务各项工作推向一个新台阶。\n"
    "\n"
    "（一）坚持以习近平新时代中国特色社会主义思想为指导，紧跟党的步伐，提高党员觉悟。\n"
    "\n"
    "（二）持续对区行政中心区域进行日常的消毒工作，会议室会前会后做好消毒清洁工作，"
    "按时做好除四害消杀工作。\n"
    "\n"
    "（三）做好财政预算管理和核算管理，依法依规使用预算资金，加快预算执行进度。"
    "对接各股室对固定项目做好政府采购备案及招标工作。\n"
    "\n"
    "（四）抓好消防安全教育培训，及时更换不能正常使用的消防设备器材，确保区行政中心消防安全。\n"
    "\n"
    "（五）做好公共机构节能目标管理工作，完成上级下达的各项绩效任务。加强对公共机构生活垃圾"
    "分类的监管检查，强化宣传培训，进一步扩大公共机构垃圾分类覆盖面，不断提升垃圾分类工作实效。\n"
    "\n"
    "（六）牢固树立服务意识，做好区行政中心各项维修维护工作，及机关食堂日常管理、监督、"
    "指导工作，确保食品安全。\n"
    "\n"
    "（七）严格执行党政机关办公用房管理规定，加强办公用房使用情况监督检查，"
    "推进办公用房权属统一登记工作。\n"
    "\n"
    "（八）加强公务用车管理，根据实际需求配备公务用车及新能源汽车，加强对驾驶员安全驾驶教育，"
    "继续改善公务用车条件，确保行车安全。\n"
    "\n"
    "（九）优化社会化保障体系，加强对保安公司、物业公司、机关食堂等外包服务单位的管理。"
)


def sections():
    """SECTIONS with each section's default template: [(key, title, modules, template)]."""
    return [(key, title, modules, DEFAULT_TEMPLATES[key]) for key, title, modules in SECTIONS]
