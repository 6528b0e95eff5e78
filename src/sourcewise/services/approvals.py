"""Proposing, approving and rejecting decision runs (rules in ``workspace.approval``); each
step is one unit of work with its audit-log entry.

Approvers are users with the approver grant (``sourcewise user add --approver``,
``sourcewise user approver``). On the command line the approver is the user named by
``SOURCEWISE_ACTOR`` (or the login name), who must exist in the store with that grant: an
approval always names an accountable account.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sourcewise.security.users import Principal
from sourcewise.services.decision_runs import visible_run
from sourcewise.services.governance_store import UowFactory, as_json, current_actor, log_change
from sourcewise.services.scenario_library import ScenarioAccessError
from sourcewise.storage.unit_of_work import UnitOfWork
from sourcewise.workspace.approval import ApprovalError, propose, review
from sourcewise.workspace.records import DecisionRun

__all__ = ["ApprovalError", "approve_run", "propose_run", "reject_run"]


def _store(uow: UnitOfWork, before: DecisionRun, after: DecisionRun, actor: str) -> None:
    uow.workspace.set_review(after.id, after.status, after.review)
    log_change(
        uow,
        "decision_run",
        str(after.id),
        {"status": before.status.value, **as_json(before.review)},
        {"status": after.status.value, **as_json(after.review)},
        actor=actor,
    )
    uow.commit()


def propose_run(
    make_uow: UowFactory, run_id: int, note: str = "", principal: Principal | None = None
) -> DecisionRun:
    """Ask for approval of a draft run (analysts and admins; anyone on the command line)."""
    actor = principal.username if principal is not None else current_actor()
    if principal is not None and not principal.can_write:
        raise ScenarioAccessError(f"{actor} may not propose business cases")
    with make_uow().for_writing() as uow:
        run = visible_run(uow, run_id, principal)
        proposed = propose(run, actor, datetime.now(UTC), note)
        _store(uow, run, proposed, actor)
        return proposed


def _approver(uow: UnitOfWork, principal: Principal | None) -> tuple[str, bool]:
    if principal is not None:
        return principal.username, principal.can_approve
    actor = current_actor()
    user = uow.accounts.user(actor)
    return actor, user is not None and not user.disabled and user.principal.can_approve


def _review(
    make_uow: UowFactory, run_id: int, approved: bool, comment: str, principal: Principal | None
) -> DecisionRun:
    with make_uow().for_writing() as uow:
        actor, is_approver = _approver(uow, principal)
        run = visible_run(uow, run_id, principal)
        reviewed = review(run, actor, datetime.now(UTC), approved, comment, is_approver)
        _store(uow, run, reviewed, actor)
        return reviewed


def approve_run(
    make_uow: UowFactory, run_id: int, comment: str, principal: Principal | None = None
) -> DecisionRun:
    """Approve a proposed run: it is frozen from then on and engagements may be governed
    against it."""
    return _review(make_uow, run_id, True, comment, principal)


def reject_run(
    make_uow: UowFactory, run_id: int, comment: str, principal: Principal | None = None
) -> DecisionRun:
    """Reject a proposed run, saying why; it stays on record, frozen."""
    return _review(make_uow, run_id, False, comment, principal)
