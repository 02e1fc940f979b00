"""Approval rows of the scale dataset (manage.py seed_scale; see houqin/core/scale.py).

`ApprovalBatch` writes approval requests, steps and actions in bulk as approvals.services
leaves them (approval_submit, then approve / reject / cancel), for the modules whose records
went through a flow during the generated year: meeting bookings, trip requests, expenditures,
asset disposals and requests for office space.
"""

from django.contrib.contenttypes.models import ContentType

from houqin.core.scale import bulk_stamped

from .models import ApprovalAction, ApprovalRequest, ApprovalStep
from .registry import get_request_type
from .services import _ensure_flow


class ApprovalBatch:
    """Approval requests of one type, collected then written in bulk (request, steps,
    actions), with the states approvals.services leaves: decided steps carry who and when,
    the current position is the last step reached, closed requests their decided_at.

    add(..., decisions=[(user_id, "approve" | "reject", at, comment), ...], end=...) where
    end is None (still pending at the next step), ("approved",), ("rejected",) or
    ("cancelled", at, comment) — withdrawn by the requester while pending."""

    def __init__(self, ctx, request_type, model):
        self.ctx = ctx
        self.code = request_type
        flow = _ensure_flow(ctx.center.pk, get_request_type(request_type))
        self.flow_steps = list(flow.steps.order_by("position"))
        self.content_type_id = ContentType.objects.get_for_model(model).pk
        self.items = []

    def add(self, obj_id, *, requester_id, agency_id, title, summary, at, decisions, end):
        self.items.append((obj_id, requester_id, agency_id, title, summary, at, decisions, end))

    def add_decided(
        self,
        obj_id,
        *,
        requester_id,
        agency_id,
        title,
        summary,
        at,
        decider_id,
        decided,
        approved=True,
        comment="",
    ):
        """A request decided in one go by `decider_id` at `decided`: every step approved,
        or the first rejected (the later ones never reached)."""
        verdict = "approve" if approved else "reject"
        count = len(self.flow_steps) if approved else 1
        self.add(
            obj_id,
            requester_id=requester_id,
            agency_id=agency_id,
            title=title,
            summary=summary,
            at=at,
            decisions=[(decider_id, verdict, decided, comment)] * count,
            end=("approved",) if approved else ("rejected",),
        )

    def write(self) -> int:
        A, R, St = ApprovalAction.Kind, ApprovalRequest.Status, ApprovalStep.Status
        requests, plans = [], []
        for obj_id, requester_id, agency_id, title, summary, at, decisions, end in self.items:
            steps, actions = [], [(requester_id, A.SUBMIT, None, "", at)]
            position, last = 1, at
            for index, spec in enumerate(self.flow_steps):
                decided = decisions[index] if index < len(decisions) else None
                step = {"spec": spec, "status": St.WAITING, "by": None, "at": None, "c": ""}
                if decided is not None:
                    user_id, verdict, when, comment = decided
                    step.update(by=user_id, at=when, c=comment)
                    step["status"] = St.APPROVED if verdict == "approve" else St.REJECTED
                    kind = A.APPROVE if verdict == "approve" else A.REJECT
                    actions.append((user_id, kind, spec, comment, when))
                    position, last = spec.position, when
                elif not any(s["status"] == St.PENDING for s in steps) and (
                    not steps or steps[-1]["status"] == St.APPROVED
                ):
                    step["status"] = St.PENDING  # the step waiting for a decision
                    position = spec.position
                steps.append(step)
            status, decided_at = R.PENDING, None
            if end is not None and end[0] == "cancelled":
                status, decided_at, last = R.CANCELLED, end[1], end[1]
                for step in steps:  # withdrawing puts the pending step back to waiting
                    if step["status"] == St.PENDING:
                        step["status"] = St.WAITING
                actions.append((requester_id, A.CANCEL, None, end[2], end[1]))
            elif end is not None:
                status = R.APPROVED if end[0] == "approved" else R.REJECTED
                decided_at = last
            requests.append(
                ApprovalRequest(
                    center_id=self.ctx.center.pk,
                    request_type=self.code,
                    content_type_id=self.content_type_id,
                    object_id=obj_id,
                    agency_id=agency_id,
                    requester_id=requester_id,
                    title=title[:200],
                    summary=summary,
                    status=status,
                    current_position=position,
                    decided_at=decided_at,
                    created_at=at,
                    updated_at=last,
                )
            )
            plans.append((steps, actions, at))
        requests = bulk_stamped(self.ctx, ApprovalRequest, requests)
        step_rows, action_rows = [], []
        for request, (steps, actions, at) in zip(requests, plans, strict=True):
            for step in steps:
                spec = step["spec"]
                step_rows.append(
                    ApprovalStep(
                        request_id=request.pk,
                        position=spec.position,
                        name=spec.name,
                        approver_role=spec.approver_role,
                        scope=spec.scope,
                        approver_user_id=spec.approver_user_id,
                        status=step["status"],
                        decided_by_id=step["by"],
                        decided_at=step["at"],
                        comment=step["c"],
                        created_at=at,
                        updated_at=step["at"] or at,
                    )
                )
            for actor_id, kind, spec, comment, when in actions:
                action_rows.append(
                    ApprovalAction(
                        request_id=request.pk,
                        actor_id=actor_id,
                        action=kind,
                        position=spec.position if spec is not None else None,
                        step_name=spec.name if spec is not None else "",
                        comment=comment,
                        created_at=when,
                    )
                )
        bulk_stamped(self.ctx, ApprovalStep, step_rows)
        bulk_stamped(self.ctx, ApprovalAction, action_rows)
        return len(requests) + len(step_rows) + len(action_rows)
