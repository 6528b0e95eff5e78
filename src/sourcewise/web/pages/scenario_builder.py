"""The guided builder, ``/scenarios/new``: the questions of ``ScenarioAnswers`` as a form in
steps, the live estimate with every number's source (each editable: an edited number becomes a
``given`` override), the options as cards that can be left out and added back, the YAML view
of the scenario file the answers make, and saving it as a version in the workspace.

Without JavaScript each step is a plain POST that renders the page again; with it, htmx swaps
the form (steps) or only the live panel (as answers change). The state is the form's own
fields (``web.builder_form``). Saving goes through ``services.scenario_library`` (audit-logged);
provider users are refused (403) as on every scenario page; viewers build but do not save.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from sourcewise.domain import estimate_assumptions as assume
from sourcewise.domain.problems import InputError
from sourcewise.domain.scenario import DataSensitivity, FunctionKind, Level, Positioning
from sourcewise.reports.estimate_document import CostEstimateDocument, estimate_document
from sourcewise.security.users import Principal
from sourcewise.services.cost_estimates import (
    FUNCTION_KEYS,
    SITE_KEYS,
    CostEstimate,
    EstimateError,
    EstimateRequest,
    estimate_costs,
    find_roles,
)
from sourcewise.services.scenario_builder import (
    BuildError,
    BuiltScenario,
    ScenarioAnswers,
    build_scenario,
    country_choices,
    option_key,
)
from sourcewise.services.scenario_builder import planned_options as planned
from sourcewise.services.scenario_library import (
    Saved,
    ScenarioAccessError,
    ScenarioNameTakenError,
    save_scenario,
)
from sourcewise.web.auth import PageUser, require_internal, require_writer, uow_factory
from sourcewise.web.builder_form import (
    STEP_NAMES,
    STEPS,
    TEXT_FIELDS,
    BuilderForm,
    answers_of,
    estimate_answers,
    read_form,
    split_list,
    step_of,
    step_problems,
)
from sourcewise.web.templating import render

router = APIRouter(include_in_schema=False)

ARRANGEMENT_LABELS = {
    "domestic_outsourcing": "Domestic outsourcing",
    "captive_offshoring": "Captive offshoring",
    "offshore_outsourcing": "Offshore outsourcing",
}
ARRANGEMENT_HINTS = {
    "domestic_outsourcing": "a vendor at home does the work",
    "captive_offshoring": "an own centre abroad, own staff",
    "offshore_outsourcing": "a vendor abroad does the work",
}


@dataclass(frozen=True)
class OptionCard:
    key: str
    arrangement: str
    country: str
    country_name: str
    name: str
    excluded: bool
    per_fte: float | None
    """Own staff's loaded cost per FTE, or the vendor's rate × billed hours, a year."""
    yearly: float | None


@dataclass
class Workbench:
    """What the page shows for a state of the form."""

    state: BuilderForm
    answers: ScenarioAnswers | None
    problems: dict[str, str]
    built: BuiltScenario | None = None
    estimate: CostEstimateDocument | None = None
    cards: list[OptionCard] = field(default_factory=list)
    saved: Saved | None = None
    save_problems: list[str] = field(default_factory=list)


def _estimate_of(answers: ScenarioAnswers) -> CostEstimate:
    given = dict(answers.given)
    return estimate_costs(
        EstimateRequest(
            home=answers.home_country,
            countries=tuple(c for c in answers.countries if c != answers.home_country),
            fte=answers.fte,
            kind=answers.kind,
            role=answers.role,
            currency=answers.currency,
            given=given,
        )
    )


def _field_of(error: ValueError) -> tuple[str, str]:
    message = str(error)
    name, _, rest = message.partition(": ")
    name = {"home": "home_country", "country": "countries"}.get(name, name)
    return (name, rest) if rest and name.isidentifier() else ("answers", message)


def _cards(
    answers: ScenarioAnswers, estimate: CostEstimate, built: BuiltScenario | None
) -> list[OptionCard]:
    names = dict(zip(planned(answers), built.options, strict=True)) if built else {}
    every = planned(answers.model_copy(update={"exclude_options": []}))
    cards = []
    for arrangement, country in every:
        site = estimate.site(country)
        if arrangement == "captive_offshoring":
            per_fte = site.cost_per_fte.mean
            name = f"Own centre in {site.country_name} (captive offshoring)"
        else:
            per_fte = site.hourly_rate.mean * estimate.billable_hours
            where = "domestic" if arrangement == "domestic_outsourcing" else "offshore"
            name = f"{site.country_name} vendor ({where} outsourcing)"
        key = option_key(arrangement, country)
        cards.append(
            OptionCard(
                key=key,
                arrangement=arrangement,
                country=country,
                country_name=site.country_name,
                name=names.get((arrangement, country), name),
                excluded=key in answers.exclude_options,
                per_fte=per_fte,
                yearly=per_fte * answers.fte,
            )
        )
    return cards


def workbench(state: BuilderForm) -> Workbench:
    answers, problems = answers_of(state)
    bench = Workbench(state, answers, problems)
    estimating = answers or estimate_answers(state, problems)
    if answers is not None:
        try:
            bench.built = build_scenario(answers)
        except BuildError as error:
            name, message = _field_of(error)
            problems[name] = message
    estimate = bench.built.estimate if bench.built else None
    if estimate is None and estimating is not None:
        try:
            estimate = _estimate_of(estimating)
        except EstimateError as error:
            name, message = _field_of(error)
            problems.setdefault(name, message)
    if estimate is not None:
        bench.estimate = estimate_document(estimate)
        chosen = answers or estimating
        assert chosen is not None
        bench.cards = _cards(chosen, estimate, bench.built)
    return bench


def _choices() -> dict[str, Any]:
    return {
        "countries": country_choices(),
        "kinds": [k.value for k in FunctionKind if k not in assume.GOODS_KINDS],
        "sensitivities": [s.value for s in DataSensitivity],
        "levels": [level.value for level in Level],
        "positionings": [p.value for p in Positioning],
    }


def _country_names(text: str) -> list[tuple[str, str | None]]:
    known = dict(country_choices())
    return [(code.upper(), known.get(code.upper())) for code in split_list(text)]


def _roles(query: str, kind: str) -> list[Any]:
    if query.strip():
        return find_roles(query, 12)
    try:
        code = assume.DEFAULT_ROLES[FunctionKind(kind)]
    except (ValueError, KeyError):
        return []
    return find_roles(code, 1)


def _context(bench: Workbench, principal: Principal, fresh: bool = False) -> dict[str, Any]:
    state = bench.state
    step_errors = step_problems(state, bench.problems, state.view)
    return {
        "bench": bench,
        "state": state,
        "v": state.values,
        "steps": STEPS,
        "step_names": STEP_NAMES,
        "problems": bench.problems,
        "step_errors": step_errors,
        "problem_steps": {name: step_of(name) for name in bench.problems},
        "editable": {*SITE_KEYS, *FUNCTION_KEYS},
        "arrangement_labels": ARRANGEMENT_LABELS,
        "arrangement_hints": ARRANGEMENT_HINTS,
        "named_countries": _country_names(state.values.get("countries", "")),
        "roles": _roles(state.values.get("role", ""), state.values.get("kind", "")),
        "may_save": principal.can_write,
        "shown": shown_number,
        "table_keys": table_keys,
        "given_in": lambda country: [k for k in state.given if k.startswith(f"{country}.")],
        "field_names": (*TEXT_FIELDS, "arrangements", "exclude_options"),
        "fresh": fresh,
        **_choices(),
    }


def table_keys(document: CostEstimateDocument) -> set[str]:
    """The numbers the estimate table shows as fields (the others travel as hidden fields)."""
    keys = {f"{site.country}.{line.key}" for site in document.countries for line in site.lines}
    return {*keys, "current_annual_cost"}


def shown_number(value: float) -> str:
    """A number as the estimate table's field shows it; an unchanged field is the estimate."""
    if abs(value) >= 1000:
        return f"{value:.0f}"
    return f"{value:.4g}"


def _page(
    request: Request,
    principal: Principal,
    bench: Workbench,
    status: int = 200,
    fresh: bool = False,
    moved: bool = False,
) -> Response:
    htmx = bool(request.headers.get("hx-request"))
    template = "builder/_form.html" if htmx else "builder/page.html"
    # htmx swaps only 2xx answers: a refused save is shown in the form all the same.
    status = 200 if htmx else status
    # ``moved``: app.js moves the focus to the new step's title once it is in place.
    context = _context(bench, principal, fresh)
    return render(request, template, status_code=status, moved=moved and htmx, **context)


def _stay_on_errors(state: BuilderForm, bench: Workbench, came_from: str) -> None:
    """Going forward past a step with problems stays on it, so they are seen where they are."""
    if state.view not in STEP_NAMES or came_from not in STEP_NAMES:
        return
    if STEP_NAMES.index(state.view) <= STEP_NAMES.index(came_from):
        return
    if step_problems(state, bench.problems, came_from):
        state.view = came_from
        state.last_step = came_from


@router.get("/scenarios/new", response_class=HTMLResponse)
def builder_page(request: Request, principal: PageUser) -> Response:
    require_internal(principal)
    return _page(request, principal, workbench(BuilderForm()), fresh=True)


async def _state(request: Request) -> tuple[BuilderForm, str, bool]:
    """The form's state, the step it was sent from, and whether a step was asked for."""
    form = await request.form()
    came_from = form.get("last_step")
    sent_from = came_from if isinstance(came_from, str) else ""
    return read_form(form), sent_from, form.get("go") is not None


@router.post("/scenarios/new", response_class=HTMLResponse)
async def builder_step(request: Request, principal: PageUser) -> Response:
    """Another step, the YAML view, or the same step after a reset or a card's toggle: the
    whole form (htmx swaps it in), the answers kept in it."""
    require_internal(principal)
    state, came_from, moved = await _state(request)
    bench = workbench(state)
    _stay_on_errors(state, bench, came_from)
    return _page(request, principal, bench, moved=moved)


@router.post("/scenarios/new/live", response_class=HTMLResponse)
async def builder_live(request: Request, principal: PageUser) -> Response:
    """The live panel (problems, estimate, option cards) for the answers so far, with each
    field's message swapped in beside it."""
    require_internal(principal)
    state, _, _ = await _state(request)
    bench = workbench(state)
    return render(request, "builder/_live.html", live_swap=True, **_context(bench, principal))


@router.get("/scenarios/new/roles", response_class=HTMLResponse)
def builder_roles(
    request: Request,
    principal: PageUser,
    role: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The role field's suggestions: occupations of the BLS table matching what is typed."""
    require_internal(principal)
    return render(request, "builder/_roles.html", roles=_roles(role, kind))


@router.post("/scenarios/new/save", response_class=HTMLResponse)
async def builder_save(request: Request, principal: PageUser) -> Response:
    """Save the scenario the answers make as the next version of a name (audit-logged), then
    show the review step with links to the version and to deciding it."""
    require_internal(principal)
    require_writer(principal)
    form = await request.form()
    state = read_form(form)
    state.view = state.last_step = "review"
    bench = workbench(state)
    name = form.get("save_as")
    note = form.get("save_note")
    name = name.strip() if isinstance(name, str) else ""
    note = note if isinstance(note, str) else ""
    state.values["save_as"], state.values["save_note"] = name, note
    if bench.built is None:
        bench.save_problems = ["answer every question without a problem first (listed below)"]
        return _page(request, principal, bench, 422)
    if not name:
        bench.save_problems = ["save_as: give the scenario a name"]
        return _page(request, principal, bench, 422)
    try:
        bench.saved = save_scenario(uow_factory(request), bench.built.text, name, note, principal)
    except InputError as error:
        bench.save_problems = [f"{p.path or 'text'}: {p.message}" for p in error.problems]
        return _page(request, principal, bench, 422)
    except ScenarioAccessError as error:
        bench.save_problems = [str(error)]
        status = 409 if isinstance(error, ScenarioNameTakenError) else 403
        return _page(request, principal, bench, status)
    return _page(request, principal, bench)
