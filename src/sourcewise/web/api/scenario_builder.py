"""The guided builder over JSON: search the BLS occupations for a role, estimate what a function
costs at home and abroad with every number's source, and build a scenario file from a few
answers, optionally saving it as a version in the workspace.

Estimating and building change nothing, so every colleague may (like validating a scenario);
saving is the library's (analysts and admins, audit-logged by ``save_scenario``). Provider users
are refused (403) as on every scenario route. An answer the estimate or the builder cannot use
is 422 naming it: their messages start with the field's name.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sourcewise.domain.occupations import Occupation
from sourcewise.domain.scenario import FunctionKind
from sourcewise.reports.estimate_document import CostEstimateDocument, estimate_document
from sourcewise.security.users import Principal
from sourcewise.services.cost_estimates import (
    MAX_COUNTRIES,
    MAX_FTE,
    EstimateError,
    EstimateRequest,
    estimate_costs,
    find_roles,
)
from sourcewise.services.scenario_builder import (
    MAX_GIVEN,
    ArrangementChoice,
    BuildError,
    BuiltScenario,
    ScenarioAnswers,
    build_scenario,
)
from sourcewise.services.scenario_builder import planned_options as planned
from sourcewise.services.scenario_library import MAX_NAME, MAX_NOTE, save_scenario
from sourcewise.web.api.saved_scenarios import FORM_SLACK, SaveResult, api_path, library_errors
from sourcewise.web.auth import User, require_internal, require_writer, uow_factory
from sourcewise.web.problems import ApiError

router = APIRouter(prefix="/api/v1", tags=["scenario builder"])

MAX_ROLES = 50
COUNTRY = "^[A-Z]{2}$"
"""The estimate checks the code is a country it knows, and says so naming the field."""


class RoleMatch(BaseModel):
    code: str = Field(description="SOC code (BLS OEWS May 2023).")
    title: str
    group: str = Field(description="total, major, minor, broad or detailed (SOC hierarchy).")
    employment: int | None = Field(description="US employment; null when not published.")
    mean_pay: float | None = Field(description="Mean annual wage in US$; null when not published.")


class EstimateAsk(BaseModel):
    """What to estimate: the function's role and size, at home and in candidate countries."""

    model_config = ConfigDict(extra="forbid")

    home: str = Field(pattern=COUNTRY, description="ISO 3166-1 alpha-2 code of the home country.")
    countries: list[Annotated[str, StringConstraints(pattern=COUNTRY)]] = Field(
        default_factory=list, max_length=MAX_COUNTRIES, description="Candidate countries."
    )
    fte: float = Field(gt=0, le=MAX_FTE, description="Full-time equivalents.")
    kind: FunctionKind | None = Field(None, description="Default: from the role's SOC group.")
    role: str | None = Field(
        None, max_length=200, description="SOC code or title (default: the kind's usual role)."
    )
    currency: str | None = Field(
        None, pattern="^[A-Z]{3}$", description="USD or the home currency (default)."
    )
    given: dict[str, float] = Field(
        default_factory=dict,
        max_length=MAX_GIVEN,
        description="Numbers that replace estimates: COUNTRY.KEY (e.g. PH.hourly_rate) -> value.",
    )


class BuildRequest(ScenarioAnswers):
    """The builder's answers, and optionally the name to save the scenario under."""

    save_as: str | None = Field(
        None,
        max_length=MAX_NAME * FORM_SLACK,
        description="Save the scenario as the next version of this name (analysts and admins).",
    )
    note: str = Field("", max_length=MAX_NOTE * FORM_SLACK, description="The version's note.")


class BuiltOption(BaseModel):
    name: str = Field(description="The option's name in the scenario file.")
    arrangement: ArrangementChoice
    country: str
    key: str = Field(description="ARRANGEMENT:COUNTRY, as exclude_options names it.")


class BuiltScenarioDocument(BaseModel):
    text: str = Field(description="The scenario file (YAML), every estimate with its source.")
    options: list[BuiltOption] = Field(description="The options besides in-house, in order.")
    estimate: CostEstimateDocument
    saved: SaveResult | None = Field(description="The saved version, when save_as was given.")


def refused_answer(error: ValueError) -> ApiError:
    """An estimate's or builder's refusal as 422 naming the field its message starts with."""
    message = str(error)
    field, _, rest = message.partition(": ")
    # The estimate names one candidate country "country"; the request's field is "countries".
    field = "countries" if field == "country" else field
    named = field if rest and field.isidentifier() else "answers"
    return ApiError(
        422,
        "Invalid answer",
        message,
        [{"field": named, "message": rest or message}],
    )


def role_match(occupation: Occupation) -> RoleMatch:
    return RoleMatch(
        code=occupation.soc_code,
        title=occupation.title,
        group=occupation.group,
        employment=occupation.employment,
        mean_pay=occupation.annual_wages()[0].mean,
    )


def built_options(answers: ScenarioAnswers, built: BuiltScenario) -> list[BuiltOption]:
    return [
        BuiltOption(
            name=name, arrangement=arrangement, country=country, key=f"{arrangement}:{country}"
        )
        for name, (arrangement, country) in zip(built.options, planned(answers), strict=True)
    ]


def _internal(principal: Principal) -> Principal:
    require_internal(principal)
    return principal


@router.get("/estimates/roles", response_model=list[RoleMatch])
def get_roles(
    user: User,
    q: Annotated[str, Query(max_length=200, description="A SOC code or words of a title.")],
    limit: Annotated[int, Query(ge=1, le=MAX_ROLES)] = 10,
) -> list[RoleMatch]:
    """Occupations of the BLS OEWS May 2023 table matching ``q``, best first."""
    _internal(user)
    return [role_match(o) for o in find_roles(q, limit)]


@router.post("/estimates", response_model=CostEstimateDocument)
def post_estimate(user: User, body: EstimateAsk) -> CostEstimateDocument:
    """What the function costs at home and in each candidate country, as own staff and through
    a vendor: every number with its range and source; ``given`` numbers replace estimates."""
    _internal(user)
    try:
        estimate = estimate_costs(
            EstimateRequest(
                home=body.home,
                countries=tuple(body.countries),
                fte=body.fte,
                kind=body.kind,
                role=body.role,
                currency=body.currency,
                given=body.given,
            )
        )
    except EstimateError as error:
        raise refused_answer(error) from None
    return estimate_document(estimate)


@router.post("/scenarios/build", response_model=BuiltScenarioDocument)
def post_build(request: Request, user: User, body: BuildRequest) -> BuiltScenarioDocument:
    """The scenario file the answers make, with its options and the estimate behind it. With
    ``save_as`` it is also saved as the next version of that name (analysts and admins)."""
    _internal(user)
    if body.save_as is not None:
        require_writer(user)
    answers = ScenarioAnswers.model_validate(body.model_dump(exclude={"save_as", "note"}))
    try:
        built = build_scenario(answers)
    except BuildError as error:
        raise refused_answer(error) from None
    saved = None
    if body.save_as is not None:
        with library_errors():
            kept = save_scenario(uow_factory(request), built.text, body.save_as, body.note, user)
        saved = SaveResult(
            name=kept.scenario.name,
            version=kept.version.version,
            outcome="created" if kept.created else "unchanged",
            url=api_path(kept.scenario.name, "versions", kept.version.version),
        )
    return BuiltScenarioDocument(
        text=built.text,
        options=built_options(answers, built),
        estimate=estimate_document(built.estimate),
        saved=saved,
    )
