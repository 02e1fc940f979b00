"""Registry of notification kinds, so users can mute them by email by name.

Modules register their kinds in AppConfig.ready():
    register_kind("approval.requested", _("有新的审批待处理"))
"""

_KINDS: dict[str, str] = {}


def register_kind(code: str, label) -> None:
    _KINDS[code] = label


def kind_label(code: str) -> str:
    return str(_KINDS.get(code, code))


def all_kinds() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in _KINDS.items()), key=lambda kv: kv[0])
