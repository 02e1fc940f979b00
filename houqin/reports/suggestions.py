"""Data-driven "二、存在问题" suggestions: problems the figures show, which the editor of the
summary accepts or drops.

    suggest(flat, previous=None, thresholds=None, *, period="全年") -> [Suggestion]

`flat` is the flattened figures of the period ({"fleet.requests_unmet": 12, …}, the keys of the
placeholders); `previous` the same for the previous period (同比), or None. A rule whose figures
are missing or None gives nothing: no data is never a problem. Each Suggestion has a stable
`key` (the rule), its `text` in the seed's tone without the "（一）" number, and its `evidence`:
the figures it rests on ({flat key: value}, for the preview's links).

Rules (thresholds: DEFAULT_THRESHOLDS, each overridable):
  fleet.shortage        unmet requests > fleet_unmet_pct % of the requests received
  finance.over_budget   spending above the year's budget (execution rate > 100 %)
  finance.behind        execution rate behind time progress by > budget_behind_points points;
                        otherwise finance.projects_behind when some projects are behind plan
  security.patrols      patrol completion below patrols_done_pct %
  security.equipment    fire equipment past its expiry date at the end of the period
  duties.overdue        duty tasks due and not done (> overdue_duties): fire patrols, fire
                        inspections, preventive maintenance, safety inspections, food safety
  maintenance.findings  inspection findings still not rectified
  maintenance.sla       repairs finished on time below repairs_on_time_pct %
  space.over_standard   people or units over the office-space standard
  space.offices_overdue offices of people who left not taken back in time
  energy.indicators     energy indicators off target (energy.indicators_progress when the
                        flat dict carries it, else indicators up against the year before by
                        > energy_rise_pct %)
  energy.targets        节约型机关 or charging-station targets below target_pct % done
  vendors.flagged       vendor evaluations below the pass mark (payment warnings)
  activities.surveys    survey completion below survey_completion_pct %
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

DEFAULT_THRESHOLDS = {
    "fleet_unmet_pct": Decimal("5"),
    "budget_behind_points": Decimal("5"),
    "patrols_done_pct": Decimal("90"),
    "overdue_duties": 0,
    "repairs_on_time_pct": Decimal("90"),
    "energy_rise_pct": Decimal("0"),
    "target_pct": Decimal("100"),
    "survey_completion_pct": Decimal("95"),
}


@dataclass
class Suggestion:
    key: str  # the rule, e.g. "fleet.shortage"
    text: str  # the problem, without its "（一）" number
    evidence: dict = field(default_factory=dict)  # flat key → value it rests on


# ------------------------------------------------------------------ numbers in the text


def _dec(value):
    """A Decimal for a number (bool and text are not numbers); None otherwise."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    return None


def fmt(value, places=1) -> str:
    """12 → "12"; 12.50 → "12.5"; 3.14159 → "3.1" (at most `places` decimals)."""
    number = _dec(value)
    if number is None:
        return str(value)
    q = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{q:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def money(value) -> str:
    """Yuan in the seed's unit: 5260000 → "526万元"; below ten thousand → "3755元"."""
    number = _dec(value)
    if number is not None and abs(number) >= 10000:
        return f"{fmt(number / 10000, 2)}万元"
    return f"{fmt(number, 2)}元"


def _pct(part, whole):
    return None if not whole else Decimal(part) * 100 / Decimal(whole)


def _more_than_previous(key, value, previous, unit):
    """ "，同比增加3次" when the previous period had fewer; "" otherwise."""
    before = _dec((previous or {}).get(key))
    now = _dec(value)
    if before is None or now is None or now <= before:
        return ""
    return f"，同比增加{fmt(now - before)}{unit}"


# ------------------------------------------------------------------ the rules


def _fleet(flat, previous, t, period):
    received, unmet = (
        _dec(flat.get("fleet.requests_received")),
        _dec(flat.get("fleet.requests_unmet")),
    )
    if not received or unmet is None:
        return
    pct = _pct(unmet, received)
    if pct <= t["fleet_unmet_pct"]:
        return
    vacancies = _dec(flat.get("fleet.vacancies"))
    text = (
        f"机关车队车辆数量不足，虽然经过认真合理的调配，{period}仍有{fmt(unmet)}次用车需求未能满足，"
        f"占用车申请的{fmt(pct)}%"
        + _more_than_previous("fleet.requests_unmet", unmet, previous, "次")
        + (f"，现公务用车空编{fmt(vacancies)}辆" if vacancies else "")
        + "，遇到各项检查、接待、调研等工作时，仍无法满足各部门对车辆使用的需求。"
    )
    evidence = {
        "fleet.requests_unmet": flat["fleet.requests_unmet"],
        "fleet.requests_received": flat["fleet.requests_received"],
    }
    if vacancies:
        evidence["fleet.vacancies"] = flat["fleet.vacancies"]
    yield Suggestion("fleet.shortage", text, evidence)


def _finance(flat, previous, t, period):
    rate, time_pct = _dec(flat.get("finance.execution_rate")), _dec(flat.get("finance.time_pct"))
    total, spent = flat.get("finance.budget_total"), flat.get("finance.spent")
    behind = _dec(flat.get("finance.behind_projects"))
    year = flat.get("finance.budget_year")
    year_text = f"{year}年度" if year else "本年度"
    if rate is not None and rate > 100:
        yield Suggestion(
            "finance.over_budget",
            f"中心业务经费、工作经费预算较少，无法满足正常开支。{year_text}项目预算{money(total)}，"
            f"已支出{money(spent)}，预算执行率达{fmt(rate)}%，超出预算{fmt(rate - 100)}个百分点，"
            "节能改造、设备更新等资金不足。",
            {
                "finance.execution_rate": flat["finance.execution_rate"],
                "finance.budget_total": total,
                "finance.spent": spent,
            },
        )
        return
    if rate is not None and time_pct is not None and time_pct - rate > t["budget_behind_points"]:
        text = (
            f"预算执行进度滞后，{year_text}项目预算{money(total)}，已支出{money(spent)}，"
            f"预算执行率{fmt(rate)}%，低于时间进度（{fmt(time_pct)}%）"
            f"{fmt(time_pct - rate)}个百分点"
            + (f"，其中{fmt(behind)}个项目执行进度明显滞后" if behind else "")
            + "，资金使用效益有待提高。"
        )
        evidence = {
            "finance.execution_rate": flat["finance.execution_rate"],
            "finance.time_pct": flat["finance.time_pct"],
            "finance.budget_total": total,
            "finance.spent": spent,
        }
        if behind:
            evidence["finance.behind_projects"] = flat["finance.behind_projects"]
        yield Suggestion("finance.behind", text, evidence)
    elif behind:
        yield Suggestion(
            "finance.projects_behind",
            f"部分预算项目执行进度滞后，有{fmt(behind)}个项目支出进度低于分月支出计划5个百分点以上，"
            "资金使用效益有待提高。",
            {"finance.behind_projects": flat["finance.behind_projects"]},
        )


def _security(flat, previous, t, period):
    pct = _dec(flat.get("security.patrols_done_pct"))
    if pct is not None and pct < t["patrols_done_pct"]:
        planned, done = flat.get("security.patrols_planned"), flat.get("security.patrols_done")
        yield Suggestion(
            "security.patrols",
            f"安保巡查工作有待加强，{period}应巡查{fmt(planned)}次，完成{fmt(done)}次，"
            f"巡查完成率仅{fmt(pct)}%，部分巡查点位未按规定巡查到位。",
            {
                "security.patrols_done_pct": flat["security.patrols_done_pct"],
                "security.patrols_planned": planned,
                "security.patrols_done": done,
            },
        )
    expired = _dec(flat.get("security.equipment_expired"))
    if expired:
        yield Suggestion(
            "security.equipment",
            f"部分消防设备器材老化过期，期末仍有{fmt(expired)}件消防器材已过有效期未及时更换，"
            "存在消防安全隐患。",
            {"security.equipment_expired": flat["security.equipment_expired"]},
        )


FOOD_SAFETY_KINDS = ("morning_check", "sample", "purchase", "tableware")
DUTY_PAIRS = [
    # (label, due key, done keys)
    ("防火巡查", "security.fire_patrol_due", ("security.fire_patrol_done",)),
    ("消防检查", "security.fire_inspections_due", ("security.fire_inspections_done",)),
    ("预防性维护", "maintenance.preventive_due", ("maintenance.preventive_done",)),
    ("设施设备安全检查", "maintenance.inspections_due", ("maintenance.inspections_done",)),
]


def _duty_rows(flat):
    rows = list(DUTY_PAIRS)
    for kind in FOOD_SAFETY_KINDS:
        prefix = f"canteen.food_safety.{kind}"
        label = flat.get(f"{prefix}.label") or kind
        rows.append((f"食品安全{label}", f"{prefix}.due", (f"{prefix}.on_time", f"{prefix}.late")))
    return rows


def _duties(flat, previous, t, period):
    items, evidence = [], {}
    for label, due_key, done_keys in _duty_rows(flat):
        due = _dec(flat.get(due_key))
        done = [_dec(flat.get(k)) for k in done_keys]
        if due is None or any(d is None for d in done):
            continue
        overdue = due - sum(done)
        if overdue > t["overdue_duties"]:
            items.append(f"{label}{fmt(overdue)}次")
            evidence[due_key] = flat[due_key]
            for k in done_keys:
                evidence[k] = flat[k]
    if items:
        yield Suggestion(
            "duties.overdue",
            f"部分日常责任任务未按期完成，{period}有{'、'.join(items)}到期未完成，"
            "常态化管理和督促检查有待加强。",
            evidence,
        )


def _maintenance(flat, previous, t, period):
    open_ = _dec(flat.get("maintenance.findings_open"))
    if open_:
        yield Suggestion(
            "maintenance.findings",
            f"安全检查发现的问题整改不够及时，目前仍有{fmt(open_)}项问题尚未整改到位。",
            {"maintenance.findings_open": flat["maintenance.findings_open"]},
        )
    pct = _dec(flat.get("maintenance.within_sla_pct"))
    if pct is not None and pct < t["repairs_on_time_pct"]:
        yield Suggestion(
            "maintenance.sla",
            f"维修服务时效有待提高，{period}完成维修{fmt(flat.get('maintenance.repairs_completed'))}次，"
            f"按时完成率为{fmt(pct)}%，部分维修任务未能在时限内完成。",
            {
                "maintenance.within_sla_pct": flat["maintenance.within_sla_pct"],
                "maintenance.repairs_completed": flat.get("maintenance.repairs_completed"),
            },
        )


def _space(flat, previous, t, period):
    people, agencies = _dec(flat.get("space.people_over")), _dec(flat.get("space.agencies_over"))
    parts, evidence = [], {}
    if people:
        parts.append(
            f"{fmt(people)}名干部职工办公室面积超过标准"
            f"（超出{fmt(flat.get('space.people_excess'), 2)}平方米）"
        )
        evidence["space.people_over"] = flat["space.people_over"]
        evidence["space.people_excess"] = flat.get("space.people_excess")
    if agencies:
        parts.append(
            f"{fmt(agencies)}个单位办公用房面积超过核定面积（超出"
            f"{fmt(flat.get('space.agencies_excess'), 2)}平方米）"
        )
        evidence["space.agencies_over"] = flat["space.agencies_over"]
        evidence["space.agencies_excess"] = flat.get("space.agencies_excess")
    if parts:
        yield Suggestion(
            "space.over_standard",
            f"办公用房使用仍存在超标准情况，期末有{'，'.join(parts)}，需进一步调整整改。",
            evidence,
        )
    overdue = _dec(flat.get("space.offices_overdue"))
    if overdue:
        yield Suggestion(
            "space.offices_overdue",
            f"办公用房腾退不够及时，调离、退休人员的办公室有{fmt(overdue)}间逾期未收回。",
            {"space.offices_overdue": flat["space.offices_overdue"]},
        )


INDICATORS = [
    # (name, short key of the *_vs_*_pct figures, value key)
    ("单位建筑面积能耗", "per_area", "per_area"),
    ("人均综合能耗", "per_capita", "per_capita"),
    ("人均用水量", "water", "water_per_capita"),
]
SHORT = {value: short for _name, short, value in INDICATORS}


def _energy(flat, previous, t, period):
    progress = flat.get("energy.indicators_progress")
    parts, evidence = [], {}
    if isinstance(progress, list):  # the engine passed the module's list along
        for row in progress:
            if row.get("on_track") is not False:
                continue
            vs_base, expected = _dec(row.get("vs_base_pct")), _dec(row.get("expected_pct"))
            change = f"上升{fmt(vs_base, 2)}%" if vs_base > 0 else f"仅下降{fmt(-vs_base, 2)}%"
            parts.append(
                f"{row['name']}较基准年{change}，未达到同期应下降{fmt(expected, 2)}%的目标进度"
            )
            key = f"energy.{SHORT.get(row.get('key'), row.get('key'))}_vs_base_pct"
            evidence[key] = flat.get(key, row.get("vs_base_pct"))
    else:
        for name, short, _value in INDICATORS:
            key = f"energy.{short}_vs_last_pct"
            change = _dec(flat.get(key))
            if change is not None and change > t["energy_rise_pct"]:
                parts.append(f"{name}较上年上升{fmt(change, 2)}%")
                evidence[key] = flat[key]
    if parts:
        yield Suggestion(
            "energy.indicators",
            f"节能降耗任务依然艰巨，{'，'.join(parts)}，节能改造新技术、新能源、新产品的推广和应用"
            "仍需加强。",
            evidence,
        )

    targets, evidence = [], {}
    units, units_target = flat.get("energy.units_created"), flat.get("energy.units_target")
    units_pct = _dec(flat.get("energy.units_created_pct"))
    if units_pct is not None and units_pct < t["target_pct"]:
        targets.append(
            f"节约型机关创建完成{fmt(units)}家，仅完成目标任务{fmt(units_target)}家的{fmt(units_pct)}%"
        )
        evidence.update(
            {
                "energy.units_created": units,
                "energy.units_target": units_target,
                "energy.units_created_pct": flat["energy.units_created_pct"],
            }
        )
    stations_pct = _dec(flat.get("energy.stations_pct"))
    if stations_pct is not None and stations_pct < t["target_pct"]:
        total, target = (
            flat.get("energy.stations_completed_total"),
            flat.get("energy.stations_target"),
        )
        targets.append(
            f"充电站累计建成{fmt(total)}个，完成建设任务{fmt(target)}个的{fmt(stations_pct)}%"
        )
        evidence.update(
            {
                "energy.stations_completed_total": total,
                "energy.stations_target": target,
                "energy.stations_pct": flat["energy.stations_pct"],
            }
        )
    if targets:
        yield Suggestion(
            "energy.targets",
            f"公共机构节能目标任务推进不平衡，{'；'.join(targets)}，公共机构节能专项经费缺乏，"
            "制约了工作的开展。",
            evidence,
        )


def _vendors(flat, previous, t, period):
    flagged = _dec(flat.get("vendors.evaluations_flagged"))
    if not flagged:
        return
    evaluations = flat.get("vendors.evaluations")
    yield Suggestion(
        "vendors.flagged",
        f"外包服务质量有待提升，{period}对物业、保安、食堂等外包服务单位考核{fmt(evaluations)}次，"
        f"其中{fmt(flagged)}次考核得分低于合格分数、予以付款预警"
        + _more_than_previous("vendors.evaluations_flagged", flagged, previous, "次")
        + "，对外包服务单位的监督管理仍需加强。",
        {
            "vendors.evaluations_flagged": flat["vendors.evaluations_flagged"],
            "vendors.evaluations": evaluations,
        },
    )


def _activities(flat, previous, t, period):
    rate = _dec(flat.get("activities.survey_completion_rate"))
    if rate is None or rate >= t["survey_completion_pct"]:
        return
    yield Suggestion(
        "activities.surveys",
        f"摸排统计工作有待加强，{period}摸排完成率为{fmt(rate)}%，部分人员未按时填报。",
        {"activities.survey_completion_rate": flat["activities.survey_completion_rate"]},
    )


RULES = [
    _fleet,
    _finance,
    _security,
    _duties,
    _maintenance,
    _space,
    _energy,
    _vendors,
    _activities,
]


def thresholds_with(overrides=None) -> dict:
    """DEFAULT_THRESHOLDS with `overrides` (numbers); an unknown name is a ValueError."""
    merged = dict(DEFAULT_THRESHOLDS)
    for name, value in (overrides or {}).items():
        if name not in DEFAULT_THRESHOLDS:
            raise ValueError(f"unknown threshold {name!r}")
        merged[name] = _dec(value) if _dec(value) is not None else value
    return merged


def suggest(flat: dict, previous: dict | None = None, thresholds=None, *, period="全年"):
    """The problems the figures show, in the order of RULES (see the module docstring)."""
    t = thresholds_with(thresholds)
    result = []
    for rule in RULES:
        result.extend(rule(flat or {}, previous, t, period))
    return result
