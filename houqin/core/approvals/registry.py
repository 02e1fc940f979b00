"""Registry of approval request types: what a module asks to have approved, and how it hears back.

A module registers its request types in its AppConfig.ready():

    from houqin.core.approvals.registry import StepSpec, register_request_type

    register_request_type(
        "fleet.trip",
        _("用车申请"),
        default_steps=[
            StepSpec(_("部门负责人审批"), role=Role.AGENCY_LEADER, scope="agency"),
            StepSpec(_("车辆调度审批"), role=Role.FLEET_DISPATCHER, scope="center"),
        ],
        on_approved=trip_approved,      # hook(approval, *, actor)
        on_rejected=trip_rejected,
        url_for=lambda trip: reverse("fleet:trip_detail", args=[trip.pk]),
    )

`default_steps` are copied into a center's own flow (ApprovalFlow) the first time the center
uses the type; the center administrator may then edit that flow. Hooks run inside the
transaction of the deciding service (approve / reject / return / cancel), so the module's own
state change commits or rolls back together with the decision: a hook that raises undoes the
decision. A hook receives the ApprovalRequest (`approval.target` is the module's object) and
the deciding user as `actor`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from houqin.core.roles import Role

SCOPE_AGENCY = "agency"
SCOPE_CENTER = "center"
SCOPES = (SCOPE_AGENCY, SCOPE_CENTER)

Hook = Callable[..., None]


@dataclass(frozen=True)
class StepSpec:
    """One default step: a role within a scope, or a named user (by id)."""

    name: str
    role: str | None = None
    scope: str = SCOPE_CENTER
    user_id: int | None = None

    def __post_init__(self):
        if (self.role is None) == (self.user_id is None):
            raise ValueError("StepSpec needs exactly one of role= or user_id=")
        if self.role is not None and self.role not in Role.values:
            raise ValueError(f"unknown role {self.role!r}")
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {SCOPES}, not {self.scope!r}")


@dataclass(frozen=True)
class RequestType:
    code: str
    label: str
    default_steps: tuple[StepSpec, ...]
    on_approved: Hook | None = None
    on_rejected: Hook | None = None
    on_returned: Hook | None = None
    on_cancelled: Hook | None = None
    on_resubmitted: Hook | None = None
    url_for: Callable[[object], str] | None = None

    def target_url(self, obj) -> str:
        """The module's page for `obj`, or "" (no hook, no object, or the hook failed)."""
        if obj is None or self.url_for is None:
            return ""
        try:
            return self.url_for(obj) or ""
        except Exception:  # a module's broken URL must not break the approval pages
            return ""


_TYPES: dict[str, RequestType] = {}


def register_request_type(
    code: str,
    label,
    *,
    default_steps,
    on_approved: Hook | None = None,
    on_rejected: Hook | None = None,
    on_returned: Hook | None = None,
    on_cancelled: Hook | None = None,
    on_resubmitted: Hook | None = None,
    url_for: Callable[[object], str] | None = None,
) -> RequestType:
    """Declare a request type (call from AppConfig.ready()). Re-registering replaces it."""
    if not code or len(code) > 64:
        raise ValueError("request type code must be 1-64 characters")
    steps = tuple(default_steps)
    if not steps:
        raise ValueError("a request type needs at least one default step")
    for step in steps:
        if not isinstance(step, StepSpec):
            raise TypeError("default_steps must be StepSpec instances")
    request_type = RequestType(
        code=code,
        label=label,
        default_steps=steps,
        on_approved=on_approved,
        on_rejected=on_rejected,
        on_returned=on_returned,
        on_cancelled=on_cancelled,
        on_resubmitted=on_resubmitted,
        url_for=url_for,
    )
    _TYPES[code] = request_type
    return request_type


def unregister_request_type(code: str) -> None:
    """Remove a type (tests)."""
    _TYPES.pop(code, None)


def get_request_type(code: str) -> RequestType | None:
    return _TYPES.get(code)


def request_types() -> list[RequestType]:
    return sorted(_TYPES.values(), key=lambda t: t.code)


def request_type_label(code: str) -> str:
    request_type = _TYPES.get(code)
    return str(request_type.label) if request_type else code
