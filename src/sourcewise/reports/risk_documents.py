"""The risk register's JSON documents as models: a risk, the register's entries, a trigger
evaluation, the escalations of open playbooks and a risk's history.

One model per document for the API (``/api/v1/risks…``, ``/api/v1/escalations``) and the CLI's
``sourcewise risk … --format json`` (``risk_json``), whose output the tests validate against
them. Dates and times are ISO 8601 strings."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from sourcewise.governance.risks import Risk
from sourcewise.governance.triggers import TRIGGER_TYPES
from sourcewise.reports.record_documents import document_of


def _trigger_model() -> type[BaseModel]:
    """A trigger as ``trigger_to_dict`` writes it: its ``kind`` and that kind's fields (each
    kind's own; a field another kind has is absent)."""
    kinds: dict[str, list[str]] = {}
    for trigger in TRIGGER_TYPES:
        for spec in dataclasses.fields(trigger):
            kinds.setdefault(spec.name, []).append(str(trigger.kind))
    fields: dict[str, Any] = {
        name: (
            str | int | None,
            Field(None, description=f"Of {', '.join(of)}; thresholds as exact decimal strings."),
        )
        for name, of in kinds.items()
    }
    described = ", ".join(str(t.kind) for t in TRIGGER_TYPES)
    model: type[BaseModel] = create_model(
        "TriggerDefinition",
        __config__=ConfigDict(extra="forbid"),
        __doc__="A risk trigger as written in the risk file.",
        kind=(str, Field(description=f"One of: {described}.")),
        **fields,
    )
    return model


TriggerDefinition = _trigger_model()
TRIGGER = (
    list[TriggerDefinition],  # type: ignore[valid-type]
    "Its triggers as written in the risk file (kind, KPI or service level, threshold, …).",
)
RiskDocument = document_of(Risk, replace={"triggers": TRIGGER})
"""A risk as it stands."""


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Assessment(_Document):
    likelihood: int = Field(description="1 (rare) to 5 (almost certain).")
    impact: int = Field(description="1 (minor) to 5 (severe).")
    score: int = Field(description="likelihood × impact, 1–25.")
    rating: str = Field(description="low, medium, high or critical, from the score.")


RiskEntry: type[BaseModel] = create_model(
    "RiskEntry",
    __base__=RiskDocument,
    __doc__="A risk of the register with its ratings and open playbooks.",
    inherent=(Assessment, Field(description="Before its mitigations.")),
    residual=(Assessment, Field(description="After its mitigations.")),
    open_playbooks=(int, Field(description="Playbooks opened for it and not resolved.")),
)


class PlaybookStep(_Document):
    action: str
    owner_role: str = Field(description="The role that does it.")
    due_at: str = Field(description="ISO 8601 date-time.")
    done_at: str | None = Field(description="ISO 8601 date-time; null: not done.")


class Playbook(_Document):
    """A playbook a fired trigger opened, with its steps."""

    risk: str = Field(description="The risk's code.")
    trigger: str = Field(description="The trigger that fired, in words.")
    reason: str = Field(description="Why it fired: the data that crossed the threshold.")
    opened_at: str = Field(description="ISO 8601 date-time.")
    resolved_at: str | None = Field(description="ISO 8601 date-time; null: unresolved.")
    actions: list[PlaybookStep]


class TriggerOutcome(_Document):
    trigger: str = Field(description="The trigger in words.")
    definition: TriggerDefinition = Field(  # type: ignore[valid-type]
        description="The trigger as written in the risk file."
    )
    status: str = Field(description="fired, clear or no_data.")
    reason: str = Field(description="Why, with the figures.")
    playbook: str | None = Field(description="opened, already_open or null.")


class EvaluatedRisk(_Document):
    code: str
    title: str
    engagement: str | None = Field(description="null: a portfolio risk.")
    triggers: list[TriggerOutcome]


class EvaluationDocument(_Document):
    """Every open risk's triggers evaluated (``sourcewise risk evaluate --format json``)."""

    as_of: str = Field(description="ISO 8601 date: data up to this day.")
    risks: list[EvaluatedRisk]
    opened: list[Playbook] = Field(description="The playbooks this evaluation opened.")


class NextAction(_Document):
    action: str
    owner_role: str
    due_at: str = Field(description="ISO 8601 date-time.")


class EscalationDocument(_Document):
    """Where an unresolved playbook stands on its escalation path."""

    risk: str = Field(description="The risk's code.")
    title: str
    engagement: str | None = Field(description="null: a portfolio risk.")
    trigger: str
    opened_at: str = Field(description="ISO 8601 date-time.")
    level: int = Field(description="The escalation level reached, 0 first.")
    level_name: str
    owner_role: str = Field(description="The role that owns it at this level.")
    level_started_at: str = Field(description="ISO 8601 date-time.")
    expires_at: str = Field(description="When it escalates further, ISO 8601 date-time.")
    overdue: bool
    next_action: NextAction | None = Field(description="The first step not done, if any.")


class RiskChange(_Document):
    at: str = Field(description="ISO 8601 date-time.")
    actor: str | None = Field(description="Who changed it; null: the system.")
    field: str
    before: Any = Field(description="The field's value before (as in the risk file).")
    after: Any = Field(description="The field's value after.")


class RiskHistoryDocument(_Document):
    """A risk, every change made to it and its playbooks (``sourcewise risk history``)."""

    risk: RiskDocument  # type: ignore[valid-type]
    changes: list[RiskChange]
    playbooks: list[Playbook]


class RisksAdded(_Document):
    added: list[str] = Field(description="Codes of the risks added.")
    updated: list[str] = Field(description="Codes of the risks changed.")
    unchanged: list[str] = Field(description="Codes of the risks as they were.")
    settings: list[str] = Field(description="Register settings the file changed.")
