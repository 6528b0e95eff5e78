"""The workspace's records: what is kept of a scenario, its versions and its decision runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Visibility(StrEnum):
    PRIVATE = "private"
    """Only its owner (and admins) see it."""
    TEAM = "team"
    """Every signed-in colleague sees it (never provider users)."""


class RunStatus(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class SavedScenario:
    name: str
    owner: str
    visibility: Visibility
    created_at: datetime
    latest_version: int = 0
    id: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ScenarioVersion:
    """One immutable version: the text as written and the model it validated to."""

    scenario: str
    version: int
    created_at: datetime
    author: str
    note: str
    text: str
    model: dict[str, Any]
    digest: str
    """SHA-256 of ``text``: saving the same text again makes no new version."""
    id: int | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return f"{self.scenario} v{self.version}"


@dataclass(frozen=True, slots=True)
class Review:
    """Who proposed a run for approval, who approved or rejected it, and what they said."""

    proposed_by: str | None = None
    proposed_at: datetime | None = None
    proposal_note: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_comment: str | None = None


@dataclass(frozen=True, slots=True)
class DecisionRun:
    """A decision computed from one scenario version, kept with everything that made it."""

    id: int
    scenario: str
    version: int
    created_at: datetime
    actor: str
    draws: int
    seed: int
    software_version: str
    data_version: str
    result: dict[str, Any]
    """The decide document (``schema_version`` 2) and, when draws were asked, the simulation."""
    result_digest: str
    status: RunStatus = RunStatus.DRAFT
    review: Review = Review()

    @property
    def label(self) -> str:
        return f"run {self.id} ({self.scenario} v{self.version})"

    @property
    def frozen(self) -> bool:
        """Approved and rejected runs never change again."""
        return self.status in (RunStatus.APPROVED, RunStatus.REJECTED)


@dataclass(frozen=True, slots=True)
class EngagementCase:
    """The approved run, function and option an engagement is governed against."""

    engagement: str
    run_id: int
    function: str
    option: str
    linked_at: datetime
    linked_by: str
