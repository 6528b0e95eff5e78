"""The answers of the editing API (``web.api.edits``): a record's editable values as its file
holds them, the service-credit statements with the provider's answers, and an audit finding
with its answers. Optional fields the file leaves out are absent from the answer, as from
the file (the routes answer ``response_model_exclude_unset``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, create_model

from sourcewise.governance.records import Finding
from sourcewise.governance.responses import CreditResponse, FindingResponse
from sourcewise.reports.record_documents import document_of

ISO_DATE = "ISO 8601 date."
PERCENT = "Percentage points (100 = 100 %), exact decimal string."


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServiceLevelValues(_Document):
    """A service level as the engagement file holds it."""

    name: str
    metric: str = Field(description="The KPI code it is measured on.")
    kind: str = Field(description="critical or key_measurement.")
    target: float = Field(description="The target, in the KPI's unit.")
    direction: str | None = Field(
        None, description="higher_is_better or lower_is_better; null: the KPI's."
    )
    window: str = Field(description="month or quarter.")
    minimum_sample: int = Field(description="Fewer measurements than this are not judged.")
    best: float | None = Field(None, description="The best attainable value, in the KPI's unit.")
    aggregation: str | None = Field(None, description="mean, sum, max, min or last.")
    allocation_pct: str = Field(description=f"Share of the at-risk pool. {PERCENT}")
    prorated: bool = Field(description="Whether a partial shortfall owes part of the credit.")
    full_credit_shortfall: float | None = Field(
        None, description="The shortfall (KPI's unit) that owes the whole allocation."
    )
    earn_back_months: int = Field(description="Consecutive met months that return a credit.")


class EngagementCore(_Document):
    function: str | None = None
    home_country: str | None = Field(None, description="ISO 3166-1 alpha-2 code.")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code.")
    start: str | None = Field(None, description=ISO_DATE)
    end: str | None = Field(None, description=ISO_DATE)
    currency: str | None = Field(None, description="ISO 4217 code.")


class CreditTermValues(_Document):
    at_risk_pct: str | None = Field(None, description=f"Of the month's fees. {PERCENT}")
    monthly_cap_pct: str | None = Field(None, description=f"Of the month's fees. {PERCENT}")
    annual_cap_pct: str | None = Field(None, description=f"Of the year's fees. {PERCENT}")
    max_credit_months: int | None = Field(None, description="Credited months per year.")


class Terms(_Document):
    """The engagement's core fields and service-credit terms, as its file holds them."""

    engagement: EngagementCore
    service_credits: CreditTermValues


class MeetingActionValues(_Document):
    text: str
    owner: str | None = None
    due_on: str | None = Field(None, description=ISO_DATE)
    done_on: str | None = Field(None, description=ISO_DATE)


class MeetingValues(_Document):
    """A meeting as its file entry holds it (actions in order)."""

    engagement: str
    kind: str = Field(description="steering_committee or milestone_review.")
    held_on: str = Field(description=ISO_DATE)
    title: str
    attendees: list[str] | None = None
    milestone: str | None = None
    milestone_status: str | None = None
    decisions: list[str] | None = None
    actions: list[MeetingActionValues] | None = None


GivenCreditAnswer = document_of(CreditResponse, exclude=("id",), name="CreditAnswerDocument")
GivenFindingAnswer = document_of(FindingResponse, exclude=("id",), name="FindingAnswerDocument")


class CreditStatement(_Document):
    """A month with a service credit, and the provider's answers to it."""

    month: str = Field(description="YYYY-MM.")
    credit: str = Field(description="The month's net credit, exact decimal string in currency.")
    currency: str = Field(description="ISO 4217 code.")
    answers: list[GivenCreditAnswer]  # type: ignore[valid-type]
    version: str = Field(description="The ETag an answer sends in If-Match.")


FindingWithAnswers: type[BaseModel] = create_model(
    "FindingWithAnswers",
    __base__=document_of(Finding),
    __doc__="An audit finding with the provider's answers, newest first.",
    answers=(list[GivenFindingAnswer], Field(description="Newest first.")),  # type: ignore[valid-type]
)
