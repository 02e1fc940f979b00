"""The query budget: every list page, board, report and dashboard runs a fixed number of SQL
queries whatever the number of rows (ARCHITECTURE.md rule 8, issue 13; NetBox's query_counts).

Every parameterless GET page of the URL resolver is fetched in two scale-seeded centers of
different sizes (houqin/core/scale.py), as the center's admin and, for the self-service pages,
as an ordinary staff member. The two counts must be equal (an N+1 shows up as a difference),
and equal to the figure recorded in houqin/query_budget.json.

A new page, or a page whose count changed on purpose, is recorded with

    UPDATE_QUERY_BUDGET=1 .venv/bin/pytest houqin/core/tests/test_query_budget.py

which rewrites houqin/query_budget.json (sorted keys) instead of comparing; review the diff.
"""

import datetime as dt
import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from houqin.core.roles import Role
from houqin.org import services
from houqin.org.management.commands.seed_scale import APPS, PASSWORD, Command
from houqin.org.models import OrgUnit, Person, User

# QUERY_BUDGET_FILE: write (or compare with) another file, e.g. to diff two backends.
BUDGET_FILE = Path(
    os.environ.get("QUERY_BUDGET_FILE") or Path(__file__).resolve().parents[2] / "query_budget.json"
)
UPDATE = os.environ.get("UPDATE_QUERY_BUDGET") == "1"
YEAR = 2025
# A fixed Wednesday morning (a workday) in the seeded year: "today" pages (grids, boards,
# counters, menus) then show the same kind of day on every run, whatever the real date.
NOW = dt.datetime(YEAR, 6, 18, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SIZES = {1: 20, 2: 60}  # staff of the small and the large center

# A statement run more often than this in one request is an N+1 even when both centers fill
# a whole page (so their counts are equal).
REPEAT_LIMIT = 10

pytestmark = pytest.mark.django_db


# Parameterless GET pages that are not budgeted, with the reason. Everything else the URL
# resolver knows must have a budget (test_every_page_has_a_budget).
EXCLUDED = {
    "healthz": "探活接口，不列数据",
    "login": "未登录页面",
    "logout": "退出登录",
    "token_create": "只接受 POST",
    "notifications:read_all": "只接受 POST",
    "notification-read-all": "只接受 POST",
    "reports:suggestion_accept": "只接受 POST",
    "security:tally_add": "只接受 POST",
    "security:roster_copy_week": "只接受 POST",
    "canteen-pickup-verify": "只接受 POST",
    "fleet:dispatch": "只接受 POST",
    "fleet:team_create": "只接受 POST",
    "canteen:online_topup": "只接受 POST",
    "canteen:counter_verify": "只接受 POST",
    "canteen:walk_in": "只接受 POST",
    "canteen:device_create": "只接受 POST",
    "canteen:food_safety_setup": "只接受 POST",
    "security:visit_register": "只接受 POST",
    "security:roster_assign": "只接受 POST",
    "org:person_import_template": "下载导入模板",
    "space:room_import_template": "下载导入模板",
    "energy:reading_template": "下载导入模板",
    "canteen:subsidy_template": "下载导入模板",
    "fleet:statistics_xlsx": "导出 Excel",
    "energy:indicators_export": "导出 Excel",
    "reports:summary_docx": "导出 Word",
    "reports:summary_xlsx": "导出 Excel",
    "space:standard_create": "仅超级用户可新增面积标准，没有角色账号",
    "api-schema": "OpenAPI 文档",
    "api-docs": "OpenAPI 文档",
}
EXCLUDED_NAMESPACES = ("admin",)  # the Django admin site

# Who fetches a page: "admin" (the center admin) unless the page is for another role.
# Values are ScaleUsers attributes.
PAGE_USER = {
    "core:audit": "auditor",
    "energy:my_units": "liaison",
}
# seed_scale role accounts (s<n>meeting, s<n>dispatcher, …) by the start of a page's path.
MANAGERS = {
    "/meetings/": "meeting",
    "/api/v1/meeting-": "meeting",
    "/fleet/": "dispatcher",
    "/api/v1/vehicles/": "dispatcher",
    "/api/v1/trip": "dispatcher",
    "/canteen/": "canteen",
    "/api/v1/canteen/": "canteen",
    "/maintenance/": "maintenance",
    "/api/v1/maintenance/": "maintenance",
    "/space/": "space",
    "/api/v1/space/": "space",
    "/security/": "security",
    "/api/v1/security/": "security",
    "/energy/": "energy",
    "/api/v1/energy/": "energy",
    "/finance/": "finance",
    "/api/v1/finance/": "finance",
    "/vendors/": "vendor",
    "/api/v1/vendors/": "vendor",
    "/reports/": "leader",
}
# Self-service pages: fetched as an ordinary staff member too (budget key "<name>@staff").
STAFF_PAGES = {
    "home",
    "profile",
    "notifications:inbox",
    "approvals:list",
    "duties:my_tasks",
    "meetings:grid",
    "meetings:booking_list",
    "meetings:booking_create",
    "fleet:request_list",
    "fleet:request_create",
    "canteen:home",
    "canteen:order_week",
    "canteen:my_orders",
    "canteen:my_wallet",
    "maintenance:report",
    "maintenance:my_reports",
    "security:invite",
    "activities:my_surveys",
    "portal:home",
    "me-list",
    "notification-list",
    "approval-list",
    "duty-task-list",
    "meeting-booking-list",
    "trip-request-list",
    "canteen-menu-list",
    "canteen-order-list",
    "canteen-wallet",
    "canteen-wallet-statement",
    "maintenance-work-order-list",
    "security-visit-list",
}
# Pages that list nothing without a query string.
_DAY = f"start={YEAR}-06-18T08:00:00%2B08:00&end={YEAR}-06-18T18:00:00%2B08:00"
QUERY = {"meeting-room-availability": f"?{_DAY}", "vehicle-availability": f"?{_DAY}"}
# Known N+1 in files this test may not change (summary.py, canteen/reports.py,
# reports/dashboard.py): "<budget key>": reason. The counts still must not differ for the
# others; these are expected to fail until the owner fixes them.
XFAIL = {}


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            # A page with parameters (<int:pk>, or a router's (?P<pk>…)) is not a list page.
            if pattern.pattern.converters or pattern.pattern.regex.groups:
                continue
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def discover_pages() -> list[str]:
    """URL names of every parameterless GET page of the project, excluded ones left out."""
    names = []
    for name in _walk(get_resolver().url_patterns):
        if name in EXCLUDED or name.split(":")[0] in EXCLUDED_NAMESPACES or name in names:
            continue
        names.append(name)
    return names


def budget_keys() -> list[str]:
    keys = []
    for name in discover_pages():
        keys.append(name)
        if name in STAFF_PAGES:
            keys.append(f"{name}@staff")
    return keys


def split_key(key: str) -> tuple[str, str]:
    """ "name@staff" → ("name", "staff"); "name" → ("name", the page's manager)."""
    name, _at, who = key.partition("@")
    return name, who or manager_of(name)


def manager_of(name: str) -> str:
    """The role account that manages a page: the module's manager (the center admin does not
    hold every module's role), else the center admin."""
    if name in PAGE_USER:
        return PAGE_USER[name]
    path = reverse(name)
    for prefix, who in MANAGERS.items():
        if path.startswith(prefix):
            return who
    return "admin"


def read_budget() -> dict:
    if BUDGET_FILE.exists():
        return json.loads(BUDGET_FILE.read_text(encoding="utf-8"))
    return {}


def _frozen_now():
    return NOW.astimezone(dt.UTC)


def seed_centers():
    """The two scale centers (SCALE-1 small, SCALE-2 large), built with the seed_scale
    command's own steps; the command itself refuses to run twice."""
    command = Command()
    for index, staff in SIZES.items():
        command.seed_center(index, None, staff, YEAR, 2025 + index, list(APPS), 0)
        # Two roles seed_scale has no login for: the audit log's reader and an agency liaison.
        center = OrgUnit.objects.get(code=f"SCALE-{index}")
        agency = Person.objects.get(user__username=f"s{index}u00000").agency
        for suffix, role, unit in (
            ("auditor", Role.AUDITOR, center),
            ("liaison", Role.LIAISON, agency),
        ):
            person = services.person_create(
                actor=None, center=center, name=f"{suffix}账号", gender="M", agency=unit
            )
            services.account_create(
                actor=None,
                person=person,
                username=f"s{index}{suffix}",
                roles=[role, Role.STAFF],
                password=PASSWORD,
                must_change=False,
            )


class ScaleSite:
    """Fetches pages of the seeded centers as one of their users and counts the queries."""

    def __init__(self):
        self.users = {}

    def user(self, index: int, who: str):
        if (index, who) not in self.users:
            self.users[index, who] = self._find_user(index, who)
        return self.users[index, who]

    @staticmethod
    def _find_user(index, who):
        if who == "staff":
            return _busy_staff(index)
        if who == "driver":
            from houqin.fleet.models import Driver

            driver = Driver.objects.filter(center__code=f"SCALE-{index}", user__isnull=False)
            return driver.select_related("user").order_by("pk").first().user
        if who == "tech":
            return User.objects.get(username=f"s{index}tech01")
        return User.objects.get(username=f"s{index}{who}")  # a seed_scale role account

    def fetch(self, index: int, who: str, path: str):
        client = Client()
        client.force_login(self.user(index, who))
        # The content-type cache lives in the process: empty it so each count is a cold one
        # and does not depend on which page ran first. Counted with an execute wrapper, not
        # CaptureQueriesContext, whose log is capped at 9,000 statements.
        ContentType.objects.clear_cache()
        queries = []

        def record(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = client.get(path)
        return response, queries


def _busy_staff(index):
    """An ordinary agency member with rows of their own on the self-service pages (approval
    requests, repair reports, visitors): a page that lists none skips its prefetch queries."""
    from houqin.core.approvals.models import ApprovalRequest
    from houqin.maintenance.models import WorkOrder
    from houqin.security.models import Visit

    return (
        User.objects.filter(username__startswith=f"s{index}u")
        .filter(pk__in=ApprovalRequest.objects.values("requester_id"))
        .filter(pk__in=WorkOrder.objects.values("reporter_id"))
        .filter(pk__in=Visit.objects.values("host_person__user_id"))
        .order_by("username")
        .first()
    )


RECORDED = {}  # UPDATE_QUERY_BUDGET=1: what this run measured


@pytest.fixture(scope="module")
def scale(django_db_setup, django_db_blocker):
    """The two centers, seeded once for the module inside one transaction that is rolled
    back at the end, so other test modules never see them. The clock is frozen for the
    seeding and the pages alike."""
    with (
        pytest.MonkeyPatch.context() as mp,
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        mp.setattr(timezone, "now", _frozen_now)
        seed_centers()
        yield ScaleSite()
        transaction.set_rollback(True)
    if UPDATE and RECORDED:
        write_budget(RECORDED)


def write_budget(measured: dict) -> None:
    keys = set(budget_keys())
    budget = {k: v for k, v in read_budget().items() if k in keys}
    budget.update(measured)
    text = json.dumps(dict(sorted(budget.items())), ensure_ascii=False, indent=2)
    BUDGET_FILE.write_text(text + "\n", encoding="utf-8")


_NUMBERS = re.compile(r"'[^']*'|\b\d+(\.\d+)?\b")


def _grown(small: list[str], large: list[str]) -> str:
    """The statements the large center ran more often than the small one: the N+1."""
    few = Counter(_NUMBERS.sub("?", sql) for sql in small)
    many = Counter(_NUMBERS.sub("?", sql) for sql in large)
    lines = [f"  {n - few[sql]}× {sql[:300]}" for sql, n in many.most_common() if n > few[sql]]
    return "\n".join(lines[:5])


def _repeated(queries: list[str]):
    """(times, statement) of a statement run more than REPEAT_LIMIT times, else None."""
    counts = Counter(_NUMBERS.sub("?", sql) for sql in queries).most_common(1)
    if counts and counts[0][1] > REPEAT_LIMIT:
        return counts[0][1], counts[0][0]
    return None


def expected(key: str):
    value = read_budget().get(key)
    if isinstance(value, dict):  # a per-backend figure, with its reason in the file
        value = value.get(connection.vendor)
    return value


@pytest.mark.parametrize("key", budget_keys())
def test_query_budget(key, scale):
    name, who = split_key(key)
    path = reverse(name) + QUERY.get(name, "")
    queries = {}
    for index in SIZES:
        response, queries[index] = scale.fetch(index, who, path)
        assert response.status_code == 200, (
            f"{path}（{who}，中心 {index}）返回 HTTP {response.status_code}"
        )
    small, large = (len(queries[index]) for index in SIZES)
    if small != large and key in XFAIL:
        pytest.xfail(XFAIL[key])
    assert small == large, (
        f"{path}（{who}）的查询数随数据量变化：小中心 {small} 次，大中心 {large} 次"
        f"（N+1）。多出的查询：\n{_grown(queries[1], queries[2])}"
    )
    repeated = _repeated(queries[2])
    assert repeated is None, (
        f"{path}（{who}）同一查询执行了 {repeated[0]} 次（N+1，整页行数相同所以两中心查询数相等）："
        f"\n  {repeated[1][:300]}"
    )
    if UPDATE:
        RECORDED[key] = large
        return
    budget = expected(key)
    assert budget is not None, (
        f"页面 {key} 没有查询预算，请运行 UPDATE_QUERY_BUDGET=1 .venv/bin/pytest "
        f"houqin/core/tests/test_query_budget.py 更新 houqin/query_budget.json"
    )
    assert large == budget, (
        f"{path}（{who}）执行了 {large} 次查询，预算为 {budget}；若是有意的改变，请运行 "
        f"UPDATE_QUERY_BUDGET=1 .venv/bin/pytest houqin/core/tests/test_query_budget.py "
        f"更新 houqin/query_budget.json"
    )


@pytest.mark.skipif(UPDATE, reason="正在更新查询预算")
def test_every_page_has_a_budget():
    """A page added to the URLs without a budget, or a budget for a page that is gone."""
    keys, budget = budget_keys(), read_budget()
    missing = [k for k in keys if k not in budget and k not in XFAIL]
    assert not missing, (
        f"页面 {'、'.join(missing)} 没有查询预算，请运行 UPDATE_QUERY_BUDGET=1 "
        f".venv/bin/pytest houqin/core/tests/test_query_budget.py 更新 houqin/query_budget.json"
    )
    stale = sorted(set(budget) - set(keys))
    assert not stale, f"这些页面已不存在，请从 houqin/query_budget.json 删除：{'、'.join(stale)}"
