"""The approval of a decision run: draft → proposed → approved or rejected.

Four eyes: the person who proposed a run may not approve or reject it, and only users marked
as approvers may do either. Approved and rejected runs are frozen; to change a case, save a
new scenario version and run it again. A rejected run stays on record with its reasons.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sourcewise.workspace.records import DecisionRun, Review, RunStatus

MAX_COMMENT = 4000


class ApprovalError(ValueError):
    """The step is not allowed for this run or this person."""


def _comment(text: str | None, what: str, required: bool) -> str | None:
    cleaned = (text or "").strip()
    if required and not cleaned:
        raise ApprovalError(f"{what} needs a comment saying why")
    if len(cleaned) > MAX_COMMENT:
        raise ApprovalError(
            f"{what}: the comment is {len(cleaned)} characters; at most {MAX_COMMENT}"
        )
    return cleaned or None


def propose(run: DecisionRun, actor: str, at: datetime, note: str | None = None) -> DecisionRun:
    """Ask for approval of a draft run."""
    if run.status is not RunStatus.DRAFT:
        raise ApprovalError(f"{run.label} is {run.status.value}; only a draft can be proposed")
    review = Review(
        proposed_by=actor, proposed_at=at, proposal_note=_comment(note, "a proposal", False)
    )
    return replace(run, status=RunStatus.PROPOSED, review=review)


def review(
    run: DecisionRun, actor: str, at: datetime, approved: bool, comment: str, is_approver: bool
) -> DecisionRun:
    """Approve or reject a proposed run, as ``actor``."""
    step = "approval" if approved else "rejection"
    if not is_approver:
        raise ApprovalError(
            f"{actor} may not approve or reject business cases: an admin can grant it "
            f"(`sourcewise user approver {actor} --grant`)"
        )
    if run.status is not RunStatus.PROPOSED:
        raise ApprovalError(
            f"{run.label} is {run.status.value}; only a proposed run can be approved or rejected"
        )
    if run.review.proposed_by == actor:
        raise ApprovalError(
            f"{actor} proposed {run.label}; another approver must review it (four eyes)"
        )
    reviewed = replace(
        run.review, reviewed_by=actor, reviewed_at=at, review_comment=_comment(comment, step, True)
    )
    status = RunStatus.APPROVED if approved else RunStatus.REJECTED
    return replace(run, status=status, review=reviewed)
