"""The data-driven "存在问题" suggestions: each rule at its boundary, and nothing without data."""

import datetime as dt
from decimal import Decimal

import pytest

from houqin.reports.suggestions import DEFAULT_THRESHOLDS, fmt, money, suggest, thresholds_with

from .test_defaults import flat_figures


def keys(flat, previous=None, thresholds=None):
    return [s.key for s in suggest(flat, previous, thresholds)]


def only(flat, key, previous=None, thresholds=None):
    found = [s for s in suggest(flat, previous, thresholds) if s.key == key]
    assert len(found) == 1, keys(flat, previous, thresholds)
    return found[0]


# ------------------------------------------------------------------ nothing without data


def test_no_figures_no_suggestion():
    assert suggest({}, None) == []
    assert suggest({}, {}) == []


def test_empty_center_gives_no_suggestion(center_a):
    year = dt.date.today().year
    flat = flat_figures(center_a, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    assert suggest(flat, flat) == []


def test_none_figures_give_no_suggestion():
    flat = {
        "fleet.requests_received": None,
        "fleet.requests_unmet": None,
        "finance.execution_rate": None,
        "finance.time_pct": Decimal("75"),
        "finance.behind_projects": None,
        "security.patrols_done_pct": None,
        "security.equipment_expired": None,
        "security.fire_patrol_due": None,
        "security.fire_patrol_done": 3,
        "maintenance.findings_open": None,
        "maintenance.within_sla_pct": None,
        "space.people_over": None,
        "space.agencies_over": None,
        "space.offices_overdue": None,
        "energy.per_area_vs_last_pct": None,
        "energy.units_created_pct": None,
        "energy.stations_pct": None,
        "vendors.evaluations_flagged": None,
        "activities.survey_completion_rate": None,
    }
    assert suggest(flat, None) == []


# ------------------------------------------------------------------ fleet


def test_fleet_unmet_above_five_percent():
    flat = {"fleet.requests_received": 100, "fleet.requests_unmet": 5, "fleet.vacancies": 0}
    assert keys(flat) == []  # exactly 5 %: not above
    flat["fleet.requests_unmet"] = 6
    s = only(flat, "fleet.shortage")
    assert s.text.startswith("机关车队车辆数量不足")
    assert "全年仍有6次用车需求未能满足，占用车申请的6%" in s.text
    assert "空编" not in s.text
    assert s.evidence == {"fleet.requests_unmet": 6, "fleet.requests_received": 100}


def test_fleet_vacancies_previous_and_threshold():
    flat = {"fleet.requests_received": 40, "fleet.requests_unmet": 3, "fleet.vacancies": 7}
    s = only(flat, "fleet.shortage", previous={"fleet.requests_unmet": 1})
    assert "占用车申请的7.5%，同比增加2次，现公务用车空编7辆" in s.text
    assert s.evidence["fleet.vacancies"] == 7
    assert "同比" not in only(flat, "fleet.shortage", previous={"fleet.requests_unmet": 3}).text
    assert keys(flat, thresholds={"fleet_unmet_pct": 10}) == []
    assert keys({"fleet.requests_received": 0, "fleet.requests_unmet": 0}) == []


def test_period_word():
    flat = {"fleet.requests_received": 10, "fleet.requests_unmet": 2}
    (s,) = suggest(flat, None, period="1—9月")
    assert "1—9月仍有2次用车需求未能满足" in s.text


# ------------------------------------------------------------------ finance


def _budget(rate, time_pct, behind=0):
    return {
        "finance.budget_year": 2026,
        "finance.budget_total": Decimal("5260000.00"),
        "finance.spent": Decimal("3945000.00"),
        "finance.execution_rate": None if rate is None else Decimal(rate),
        "finance.time_pct": Decimal(time_pct),
        "finance.behind_projects": behind,
    }


def test_budget_behind_time_by_more_than_five_points():
    assert keys(_budget("70.00", "75.00")) == []  # 5 points: not more than 5
    s = only(_budget("69.90", "75.00"), "finance.behind")
    assert "2026年度项目预算526万元，已支出394.5万元" in s.text
    assert "预算执行率69.9%，低于时间进度（75%）5.1个百分点，资金使用效益" in s.text
    assert s.evidence["finance.time_pct"] == Decimal("75.00")
    assert keys(_budget("69.90", "75.00"), thresholds={"budget_behind_points": 6}) == []


def test_budget_behind_projects():
    s = only(_budget("69.00", "75.00", behind=2), "finance.behind")
    assert "其中2个项目执行进度明显滞后" in s.text
    s = only(_budget("74.00", "75.00", behind=1), "finance.projects_behind")
    assert "有1个项目支出进度低于分月支出计划" in s.text
    assert keys(_budget(None, "75.00", behind=None)) == []


def test_budget_overspent():
    assert keys(_budget("100.00", "100.00")) == []
    s = only(_budget("100.84", "90.41", behind=1), "finance.over_budget")
    assert s.text.startswith("中心业务经费、工作经费预算较少，无法满足正常开支")
    assert "预算执行率达100.8%，超出预算0.8个百分点" in s.text
    assert keys(_budget("100.84", "90.41", behind=1)) == ["finance.over_budget"]


# ------------------------------------------------------------------ security, duties, repairs


def test_patrol_completion_below_ninety():
    flat = {
        "security.patrols_planned": 100,
        "security.patrols_done": 90,
        "security.patrols_done_pct": 90.0,
    }
    assert keys(flat) == []
    flat.update({"security.patrols_done": 89, "security.patrols_done_pct": 89.0})
    s = only(flat, "security.patrols")
    assert "全年应巡查100次，完成89次，巡查完成率仅89%" in s.text


def test_expired_fire_equipment():
    assert keys({"security.equipment_expired": 0}) == []
    s = only({"security.equipment_expired": 2}, "security.equipment")
    assert "期末仍有2件消防器材已过有效期" in s.text


def test_overdue_duties():
    flat = {
        "security.fire_patrol_due": 30,
        "security.fire_patrol_done": 30,
        "security.fire_inspections_due": 4,
        "security.fire_inspections_done": 4,
        "maintenance.preventive_due": 12,
        "maintenance.preventive_done": 12,
        "maintenance.inspections_due": 0,
        "maintenance.inspections_done": 0,
        "canteen.food_safety.morning_check.label": "晨检",
        "canteen.food_safety.morning_check.due": 20,
        "canteen.food_safety.morning_check.on_time": 18,
        "canteen.food_safety.morning_check.late": 2,
    }
    assert keys(flat) == []
    flat["security.fire_patrol_done"] = 29
    flat["canteen.food_safety.morning_check.late"] = 0
    s = only(flat, "duties.overdue")
    assert "全年有防火巡查1次、食品安全晨检2次到期未完成" in s.text
    assert s.evidence == {
        "security.fire_patrol_due": 30,
        "security.fire_patrol_done": 29,
        "canteen.food_safety.morning_check.due": 20,
        "canteen.food_safety.morning_check.on_time": 18,
        "canteen.food_safety.morning_check.late": 0,
    }
    assert keys(flat, thresholds={"overdue_duties": 2}) == []


def test_open_findings_and_repair_timeliness():
    assert keys({"maintenance.findings_open": 0, "maintenance.within_sla_pct": 90.0}) == []
    flat = {
        "maintenance.findings_open": 3,
        "maintenance.within_sla_pct": 89.9,
        "maintenance.repairs_completed": 120,
    }
    assert keys(flat) == ["maintenance.findings", "maintenance.sla"]
    assert "仍有3项问题尚未整改到位" in only(flat, "maintenance.findings").text
    assert "完成维修120次，按时完成率为89.9%" in only(flat, "maintenance.sla").text


# ------------------------------------------------------------------ space


def test_over_the_space_standard():
    flat = {"space.people_over": 0, "space.agencies_over": 0, "space.offices_overdue": 0}
    assert keys(flat) == []
    flat.update({"space.people_over": 2, "space.people_excess": Decimal("5.50")})
    s = only(flat, "space.over_standard")
    assert "期末有2名干部职工办公室面积超过标准（超出5.5平方米），需" in s.text
    flat.update({"space.agencies_over": 1, "space.agencies_excess": Decimal("6.30")})
    s = only(flat, "space.over_standard")
    assert "1个单位办公用房面积超过核定面积（超出6.3平方米）" in s.text
    assert set(s.evidence) == {
        "space.people_over",
        "space.people_excess",
        "space.agencies_over",
        "space.agencies_excess",
    }
    flat["space.offices_overdue"] = 1
    assert "有1间逾期未收回" in only(flat, "space.offices_overdue").text


# ------------------------------------------------------------------ energy


def test_energy_indicator_up_against_last_year():
    flat = {
        "energy.per_area_vs_last_pct": Decimal("0.00"),
        "energy.per_capita_vs_last_pct": Decimal("-1.78"),
        "energy.water_vs_last_pct": None,
    }
    assert keys(flat) == []
    flat["energy.per_area_vs_last_pct"] = Decimal("0.01")
    flat["energy.water_vs_last_pct"] = Decimal("2.29")
    s = only(flat, "energy.indicators")
    assert "单位建筑面积能耗较上年上升0.01%，人均用水量较上年上升2.29%" in s.text
    assert set(s.evidence) == {"energy.per_area_vs_last_pct", "energy.water_vs_last_pct"}


def test_energy_off_target_from_the_progress_list():
    progress = [
        {
            "key": "per_area",
            "name": "单位建筑面积能耗",
            "vs_base_pct": Decimal("-1.44"),
            "expected_pct": Decimal("3.00"),
            "on_track": False,
        },
        {
            "key": "per_capita",
            "name": "人均综合能耗",
            "vs_base_pct": Decimal("-5.00"),
            "expected_pct": Decimal("3.00"),
            "on_track": True,
        },
        {"key": "water_per_capita", "name": "人均用水量", "vs_base_pct": None, "on_track": None},
    ]
    flat = {
        "energy.indicators_progress": progress,
        "energy.per_area_vs_base_pct": Decimal("-1.44"),
        "energy.per_area_vs_last_pct": Decimal("5"),  # the target decides, not last year
    }
    s = only(flat, "energy.indicators")
    assert "单位建筑面积能耗较基准年仅下降1.44%，未达到同期应下降3%的目标进度" in s.text
    assert "人均综合能耗" not in s.text
    assert s.evidence == {"energy.per_area_vs_base_pct": Decimal("-1.44")}
    progress[0]["on_track"] = True
    assert keys(flat) == []


def test_energy_targets_below_hundred_percent():
    flat = {
        "energy.units_created": 6,
        "energy.units_target": 6,
        "energy.units_created_pct": 100.0,
        "energy.stations_completed_total": 16,
        "energy.stations_target": 16,
        "energy.stations_pct": 100.0,
    }
    assert keys(flat) == []
    flat.update({"energy.stations_completed_total": 11, "energy.stations_pct": 68.8})
    s = only(flat, "energy.targets")
    assert "充电站累计建成11个，完成建设任务16个的68.8%" in s.text
    assert "节约型机关" not in s.text


# ------------------------------------------------------------------ vendors, surveys


def test_vendor_payment_warnings():
    assert keys({"vendors.evaluations": 12, "vendors.evaluations_flagged": 0}) == []
    flat = {"vendors.evaluations": 12, "vendors.evaluations_flagged": 1}
    s = only(flat, "vendors.flagged")
    assert "考核12次，其中1次考核得分低于合格分数、予以付款预警，" in s.text
    s = only(flat, "vendors.flagged", previous={"vendors.evaluations_flagged": 0})
    assert "予以付款预警，同比增加1次，" in s.text


def test_low_survey_completion():
    assert keys({"activities.survey_completion_rate": 95.0}) == []
    s = only({"activities.survey_completion_rate": 94.9}, "activities.surveys")
    assert "摸排完成率为94.9%" in s.text
    assert (
        keys({"activities.survey_completion_rate": 94.9}, thresholds={"survey_completion_pct": 90})
        == []
    )


# ------------------------------------------------------------------ helpers


def test_thresholds():
    assert thresholds_with(None) == DEFAULT_THRESHOLDS
    assert thresholds_with({"fleet_unmet_pct": 8})["fleet_unmet_pct"] == Decimal(8)
    with pytest.raises(ValueError):
        thresholds_with({"fleet_unmet": 8})


def test_number_formats():
    assert fmt(12) == "12"
    assert fmt(Decimal("12.50")) == "12.5"
    assert fmt(3.14159) == "3.1"
    assert fmt(Decimal("-0.04")) == "0"
    assert fmt(Decimal("6.30"), 2) == "6.3"
    assert money(Decimal("5260000.00")) == "526万元"
    assert money(Decimal("3755.00")) == "3755元"
    assert money(Decimal("12345.67")) == "1.23万元"
