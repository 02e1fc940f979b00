"""Extension points for modules: sidebar menu items, portal tiles and to-do sources.

Each app registers its entries in AppConfig.ready(); the shell shows a user only the entries
whose permission they hold, so a menu is exactly the modules of the person's roles.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str
    url_name: str
    icon: str = "bi-circle"
    permission: str | None = None  # "app_label.codename"; None = any signed-in user
    group: str = ""
    order: int = 500

    def visible_to(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:  # pragma: no cover - a misregistered item must not break pages
            return "#"


@dataclass(frozen=True)
class PortalTile:
    """A tile on the mobile staff portal (订餐, 用车, 报修, 订会议室, 访客预约…)."""

    key: str
    label: str
    url_name: str
    icon: str
    permission: str | None = None
    order: int = 500

    def visible_to(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting for the user (approve a request, finish a task…)."""

    title: str
    url: str
    created: datetime  # when it started waiting: the inbox lists newest first
    due: datetime | date | None = None
    overdue: bool = False
    detail: str = ""


@dataclass(frozen=True)
class TodoSource:
    """A module's contribution to the to-do inbox.

    `fetch(user, limit)` returns (total count, up to `limit` newest TodoItems) for this user
    only, in a constant number of queries.
    """

    key: str
    label: str
    icon: str
    fetch: Callable[[object, int], tuple[int, list[TodoItem]]]
    order: int = 500


@dataclass
class TodoGroup:
    source: TodoSource
    count: int
    items: list[TodoItem] = field(default_factory=list)


_MENU: dict[str, MenuItem] = {}
_TILES: dict[str, PortalTile] = {}
_TODO_SOURCES: dict[str, TodoSource] = {}


def register_menu(item: MenuItem) -> None:
    _MENU[item.key] = item


def register_portal_tile(tile: PortalTile) -> None:
    _TILES[tile.key] = tile


def register_todo_source(source: TodoSource) -> None:
    _TODO_SOURCES[source.key] = source


def menu_for(user) -> list[tuple[str, list[MenuItem]]]:
    """Visible menu items grouped (in order of their first item) for the sidebar."""
    groups: dict[str, list[MenuItem]] = {}
    for item in sorted(_MENU.values(), key=lambda i: (i.order, i.key)):
        if item.visible_to(user):
            groups.setdefault(str(item.group), []).append(item)
    return list(groups.items())


def tiles_for(user) -> list[PortalTile]:
    return [
        t for t in sorted(_TILES.values(), key=lambda t: (t.order, t.key)) if t.visible_to(user)
    ]


def todos_for(user, limit: int = 10) -> list[TodoGroup]:
    """Every source's count and newest items for `user`; sources with nothing are left out."""
    groups = []
    for source in sorted(_TODO_SOURCES.values(), key=lambda s: (s.order, s.key)):
        count, items = source.fetch(user, limit)
        if count:
            groups.append(
                TodoGroup(source, count, sorted(items, key=lambda i: i.created, reverse=True))
            )
    return groups
