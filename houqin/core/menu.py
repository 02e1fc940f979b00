"""Extension points for modules: sidebar menu items, portal tiles and to-do sources.

Each app registers its entries in AppConfig.ready(); the shell shows a user only the entries
whose permission they hold, so a menu is exactly the modules of the person's roles.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

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
    module: str
    due: object = None
    extra: dict = field(default_factory=dict)


_MENU: dict[str, MenuItem] = {}
_TILES: dict[str, PortalTile] = {}
_TODO_SOURCES: dict[str, Callable] = {}


def register_menu(item: MenuItem) -> None:
    _MENU[item.key] = item


def register_portal_tile(tile: PortalTile) -> None:
    _TILES[tile.key] = tile


def register_todo_source(key: str, source: Callable) -> None:
    """`source(user) -> list[TodoItem]`; must run a constant number of queries."""
    _TODO_SOURCES[key] = source


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


def todos_for(user) -> list[TodoItem]:
    items: list[TodoItem] = []
    for _key, source in sorted(_TODO_SOURCES.items()):
        items.extend(source(user))
    return items
