# ruff: noqa: F811  (fixtures imported from fixtures_api are used as parameters)
"""The vendors API: vendors with their latest contract and evaluation, contracts, evaluations
with scores; filters, scoping (center B 404, staff 403) and constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from .fixtures_api import contract, evaluation, sheet, vendor, vm_a, vm_b  # noqa: F401

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_anonymous_is_refused():
    assert api().get("/api/v1/vendors/vendors/").status_code == 401


def test_vendors_with_latest_contract_and_evaluation(vm_a, center_a):
    guard = vendor(center_a, "安心保安公司")
    vendor(center_a, "城东物业公司", kind="property")
    contract(guard, "HT-1", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    contract(guard, "HT-2", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    s = sheet(center_a)
    evaluation(guard, s, dt.date(2026, 9, 1), "92", vm_a)
    evaluation(guard, s, dt.date(2026, 10, 1), "76", vm_a)
    response = api(vm_a).get("/api/v1/vendors/vendors/")
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert rows["安心保安公司"]["contract_end"] == "2026-12-31"
    assert rows["安心保安公司"]["last_score"] == "76.0"
    assert rows["安心保安公司"]["last_flagged"] is True
    assert rows["城东物业公司"]["last_score"] is None
    response = api(vm_a).get("/api/v1/vendors/vendors/", {"kind": "property"})
    assert [row["name"] for row in response.json()["results"]] == ["城东物业公司"]


def test_contracts_and_filters(vm_a, center_a):
    guard = vendor(center_a, "安心保安公司")
    other = vendor(center_a, "城东物业公司", kind="property")
    old = contract(guard, "HT-1", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    new = contract(guard, "HT-2", dt.date(2026, 1, 1), dt.date(2026, 12, 31), amount="150000")
    contract(other, "HT-3", dt.date(2026, 3, 1), dt.date(2027, 2, 28))
    client = api(vm_a)

    def numbers(**query):
        return [
            r["number"] for r in client.get("/api/v1/vendors/contracts/", query).json()["results"]
        ]

    assert numbers() == ["HT-3", "HT-2", "HT-1"]
    assert numbers(vendor=guard.pk) == ["HT-2", "HT-1"]
    assert numbers(vendor=guard.pk, active_on="2025-06-01") == ["HT-1"]
    detail = client.get(f"/api/v1/vendors/contracts/{new.pk}/").json()
    assert detail["amount"] == "150000.00" and detail["vendor"]["id"] == guard.pk
    assert old.pk != new.pk


def test_evaluations_with_scores_and_flag(vm_a, center_a):
    guard = vendor(center_a, "安心保安公司")
    s = sheet(center_a)
    ok = evaluation(guard, s, dt.date(2026, 9, 1), "90", vm_a)
    low = evaluation(guard, s, dt.date(2026, 10, 1), "70", vm_a)
    client = api(vm_a)
    response = client.get("/api/v1/vendors/evaluations/", {"flagged": "true"})
    [row] = response.json()["results"]
    assert row["id"] == low.pk and row["payment_flagged"] is True
    assert row["threshold"] == "80.0" and row["total"] == "70.0"
    assert [sc["item"] for sc in row["scores"]] == ["服务质量", "责任事项"]
    assert row["scores"][0]["points"] == "42.0" and row["scores"][0]["max_points"] == "60.0"
    response = client.get("/api/v1/vendors/evaluations/", {"period_to": "2026-09-30"})
    assert [r["id"] for r in response.json()["results"]] == [ok.pk]


def test_scoping(vm_a, vm_b, staff_x, admin_a, center_a, center_b):
    guard = vendor(center_a, "安心保安公司")
    c = contract(guard, "HT-1", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    e = evaluation(guard, sheet(center_a), dt.date(2026, 9, 1), "90", vm_a)
    vendor(center_b, "乙区物业公司")
    for url in (
        f"/api/v1/vendors/vendors/{guard.pk}/",
        f"/api/v1/vendors/contracts/{c.pk}/",
        f"/api/v1/vendors/evaluations/{e.pk}/",
    ):
        assert api(vm_a).get(url).status_code == 200
        assert api(admin_a).get(url).status_code == 200
        assert api(vm_b).get(url).status_code == 404
        assert api(staff_x).get(url).status_code == 403
    names = [r["name"] for r in api(vm_b).get("/api/v1/vendors/vendors/").json()["results"]]
    assert names == ["乙区物业公司"]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_run_a_constant_number_of_queries(vm_a, center_a):
    client = api(vm_a)
    urls = [
        "/api/v1/vendors/vendors/",
        "/api/v1/vendors/contracts/",
        "/api/v1/vendors/evaluations/",
    ]
    s = sheet(center_a)

    def add(n, start):
        for i in range(start, start + n):
            v = vendor(center_a, f"公司{i:02}")
            contract(v, f"HT-{i}", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
            evaluation(v, s, dt.date(2026, 10, 1), "85", vm_a)

    add(2, 0)
    [_count(client, url) for url in urls]  # warm the permission cache
    few = [_count(client, url) for url in urls]
    add(18, 2)
    assert [_count(client, url) for url in urls] == few
