"""预算执行 page: the hand-computed example at 30 September 2021 (75.00 %, the sentence of the
quarterly report), the 滞后 badge, the cards linking to the filtered expenditure list, the
chart data, scoping (each center sees its own) and permissions, constant queries."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from houqin.finance.models import Expenditure

from .fixtures_budgets import count_queries, make_project, seed_example, spend

pytestmark = pytest.mark.django_db
URL = reverse("finance:execution")


def page(client, day="2021-09-30"):
    response = client.get(URL, {"date": day})
    assert response.status_code == 200
    return response


def test_execution_at_30_september_is_75_percent(client, finance_a, center_a):
    seed_example(center_a)
    client.force_login(finance_a)
    response = page(client)
    html = response.content.decode()
    result = response.context["result"]
    assert str(result.total.rate) == "75.00"
    assert "75.00%" in html
    assert "74.79%" in html  # time progress 273 / 365
    assert "2021年度项目预算120万元，至9月30日止完成全年支出进度75%" in html
    rows = {line.project.code: line for line in result.lines}
    assert str(rows["A"].rate) == "70.00" and not rows["A"].behind
    assert str(rows["B"].plan_pct) == "50.00" and str(rows["B"].rate) == "100.00"
    assert "滞后</span>" not in html
    chart = json.loads(
        html.split('id="finance-execution-data" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["categories"] == ["A", "B"]
    assert chart["rate"]["data"] == [70.0, 100.0]
    assert chart["plan"]["data"] == [74.79, 50.0]
    assert chart["time"]["value"] == 74.79


def test_project_behind_its_plan_gets_the_badge(client, finance_a, center_a):
    a = make_project(center_a, "A", "100000", name="绿化养护")
    spend(center_a, a, dt.date(2021, 2, 1), 5000)
    client.force_login(finance_a)
    html = page(client).content.decode()
    assert "data-behind>滞后</span>" in html
    assert "5.00%" in html


def test_pending_and_unassigned_cards(client, finance_a, center_a):
    a = make_project(center_a, "A", "100000")
    spend(center_a, a, dt.date(2021, 4, 1), 30000, status=Expenditure.Status.PENDING)
    spend(center_a, None, dt.date(2021, 4, 2), 800)
    client.force_login(finance_a)
    response = page(client)
    html = response.content.decode()
    assert response.context["pending"] == {"count": 1, "amount": 30000}
    assert response.context["result"].unassigned == 800
    expected = (
        reverse("finance:expenditure_list") + "?year=2021&amp;project=none&amp;status=recorded"
    )
    assert expected in html
    assert "?year=2021&amp;status=pending" in html
    assert str(response.context["result"].total.rate) == "0.00"  # pending not spent


def test_default_date_is_today_and_a_bad_date_falls_back(client, finance_a):
    client.force_login(finance_a)
    today = timezone.localdate()
    response = client.get(URL)
    assert response.status_code == 200
    assert (response.context["day"], response.context["year"]) == (today, today.year)
    response = client.get(URL, {"date": "2021-13-45"}, follow=True)
    assert response.status_code == 200
    assert response.context["day"] == today
    html = response.content.decode()
    assert "请填写正确的日期，如 2021-09-30。" in html
    assert "暂无记录" in html


def test_each_center_sees_its_own(client, finance_b, center_a, center_b):
    seed_example(center_a)
    client.force_login(finance_b)
    response = page(client)
    assert response.context["result"].lines == []
    assert "暂无记录" in response.content.decode()


@pytest.mark.parametrize("who", ["leader_a", "admin_a"])
def test_leader_and_admin_read(client, request, who, center_a):
    seed_example(center_a)
    user = request.getfixturevalue(who)
    client.force_login(user)
    html = page(client).content.decode()
    assert "75.00%" in html
    assert reverse("finance:expenditure_create") not in html


def test_staff_and_anonymous_are_kept_out(client, staff_x, liaison_x):
    assert client.get(URL).status_code == 302
    for user in (staff_x, liaison_x):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_constant_queries(client, finance_a, center_a):
    client.force_login(finance_a)
    for i in range(2):
        p = make_project(center_a, f"P{i}", "10000")
        spend(center_a, p, dt.date(2021, 5, 1), 100)
    few = count_queries(client, URL + "?date=2021-09-30")
    for i in range(2, 10):
        p = make_project(center_a, f"P{i}", "10000")
        spend(center_a, p, dt.date(2021, 5, 1), 100)
        spend(center_a, p, dt.date(2021, 6, 1), 100, status=Expenditure.Status.PENDING)
    many = count_queries(client, URL + "?date=2021-09-30")
    assert few == many
