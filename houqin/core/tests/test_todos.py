"""The to-do inbox gathers items from every registered source, for this user only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from houqin.core import menu
from houqin.core.menu import TodoItem, TodoSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sources():
    now = timezone.now()

    def approvals(user, limit):
        items = [
            TodoItem(
                f"审批：{user.username} 的第{i}项", f"/a/{i}/", created=now - dt.timedelta(hours=i)
            )
            for i in range(3)
        ]
        return len(items), items[:limit]

    def duties(user, limit):
        if user.username != "staff_x":
            return 0, []
        return 1, [
            TodoItem(
                "今日消毒",
                "/d/1/",
                created=now - dt.timedelta(minutes=5),
                due=now - dt.timedelta(minutes=1),
                overdue=True,
            )
        ]

    menu.register_todo_source(TodoSource("t_approvals", "审批", "bi-check2-square", approvals))
    menu.register_todo_source(TodoSource("t_duties", "责任事项", "bi-list-task", duties))
    yield
    menu._TODO_SOURCES.pop("t_approvals")
    menu._TODO_SOURCES.pop("t_duties")


def test_home_lists_both_sources_with_counts_newest_first(client, staff_x, two_sources):
    client.force_login(staff_x)
    response = client.get(reverse("home"))
    # Only this test's sources: real modules may have items for these users too.
    groups = [g for g in response.context["todos"] if g.source.key.startswith("t_")]
    assert [(g.source.key, g.count) for g in groups] == [("t_approvals", 3), ("t_duties", 1)]
    titles = [i.title for i in groups[0].items]
    assert titles == ["审批：staff_x 的第0项", "审批：staff_x 的第1项", "审批：staff_x 的第2项"]
    assert sum(g.count for g in groups) == 4
    html = response.content.decode()
    assert "今日消毒" in html and "已逾期" in html


def test_other_users_items_are_not_shown(client, admin_a, two_sources):
    client.force_login(admin_a)
    response = client.get(reverse("home"))
    keys = [g.source.key for g in response.context["todos"] if g.source.key.startswith("t_")]
    assert keys == ["t_approvals"]
    assert (
        "staff_x" not in response.content.decode() and "今日消毒" not in response.content.decode()
    )
