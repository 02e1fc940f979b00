"""Approval fixtures: a registered test request type (two steps) and the people who decide it.

The request type "test.person_review" asks the agency leader of the requesting agency, then a
fleet dispatcher of the center. Requests are attached to a Person (any model would do).
"""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from houqin.core.approvals import services
from houqin.core.approvals.registry import StepSpec, register_request_type, unregister_request_type
from houqin.core.roles import Role
from houqin.org.tests.factories import PersonFactory, make_user

TYPE = "test.person_review"


@dataclass
class HookRecorder:
    calls: list = field(default_factory=list)
    fail_on: set = field(default_factory=set)

    def make(self, name):
        def hook(approval, *, actor):
            self.calls.append((name, approval.pk, approval.status, actor.pk))
            if name in self.fail_on:
                raise RuntimeError(f"hook {name} failed")

        return hook

    def names(self):
        return [call[0] for call in self.calls]


@pytest.fixture
def hooks():
    return HookRecorder()


@pytest.fixture
def request_type(hooks):
    registered = register_request_type(
        TYPE,
        "人员信息审核",
        default_steps=[
            StepSpec("部门负责人审批", role=Role.AGENCY_LEADER, scope="agency"),
            StepSpec("调度员审批", role=Role.FLEET_DISPATCHER, scope="center"),
        ],
        on_approved=hooks.make("approved"),
        on_rejected=hooks.make("rejected"),
        on_returned=hooks.make("returned"),
        on_cancelled=hooks.make("cancelled"),
        url_for=lambda person: reverse("org:person_detail", args=[person.pk]),
    )
    yield registered
    unregister_request_type(TYPE)


@pytest.fixture
def leader_x(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="财政局负责人"), Role.AGENCY_LEADER, username="leader_x"
    )


@pytest.fixture
def leader_y(agency_y):
    return make_user(
        PersonFactory(agency=agency_y, name="教育局负责人"), Role.AGENCY_LEADER, username="leader_y"
    )


@pytest.fixture
def dispatcher_a(agency_y):
    # A center-scoped role: the dispatcher's own agency does not matter.
    return make_user(
        PersonFactory(agency=agency_y, name="调度员甲"), Role.FLEET_DISPATCHER, username="disp_a"
    )


@pytest.fixture
def dispatcher_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="调度员乙"), Role.FLEET_DISPATCHER, username="disp_b"
    )


@pytest.fixture
def leader_a(agency_y):
    return make_user(
        PersonFactory(agency=agency_y, name="中心领导"), Role.LEADER, username="lead_a"
    )


@pytest.fixture
def target(agency_x):
    return PersonFactory(agency=agency_x, name="待审核人员")


@pytest.fixture
def submit(request_type, staff_x, target, leader_x, dispatcher_a):
    """Submit a request for `target` as staff_x (agency X); returns the ApprovalRequest."""

    def _submit(actor=None, obj=None, title="人员信息变更", **kwargs):
        return services.approval_submit(
            actor=actor or staff_x,
            obj=obj or target,
            request_type=TYPE,
            title=title,
            summary=kwargs.pop("summary", "职务变更为科长"),
            **kwargs,
        )

    return _submit


@pytest.fixture
def approval(submit):
    return submit()
