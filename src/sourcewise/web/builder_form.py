"""The guided builder's form: every answer lives in the form itself (the visible step's fields,
the other steps' fields hidden but still submitted), never in a server session, so moving
between steps or to the YAML view and back loses nothing, with or without JavaScript.

``read_form`` turns the submitted fields into a :class:`BuilderForm` (the text as typed, so a
bad answer is shown back as it was), and ``answers_of`` validates it into ``ScenarioAnswers``
with each problem under the name of its form field. An estimated number the user edits
becomes a ``given`` override: the estimate table sends each number as ``value.KEY`` beside the
``estimated.KEY`` it was shown with, and a number that differs is the user's; a given number
travels as ``given.KEY`` until it is reset.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from sourcewise.services.scenario_builder import ARRANGEMENTS, ScenarioAnswers

STEPS: tuple[tuple[str, str], ...] = (
    ("company", "Company and home"),
    ("function", "Function and role"),
    ("where", "Countries and arrangements"),
    ("needs", "Data, languages and hours"),
    ("review", "Review and save"),
)
STEP_NAMES = tuple(name for name, _ in STEPS)
VIEWS = (*STEP_NAMES, "yaml")
"""The steps, and the view of the scenario file they build."""
STEP_FIELDS: Mapping[str, tuple[str, ...]] = {
    "company": ("company", "home_country", "currency"),
    "function": ("kind", "function_name", "role", "fte"),
    "where": ("countries", "arrangements", "exclude_options"),
    "needs": ("data_sensitivity", "languages", "overlap_hours_needed"),
    "review": (
        "positioning",
        "expertise_in_house",
        "ip_sensitivity",
        "demand_volatility",
        "pilot_planned",
        "change_management_planned",
        "horizon_years",
        "discount_rate",
        "given",
    ),
}
TEXT_FIELDS = (
    "company",
    "home_country",
    "currency",
    "function_name",
    "kind",
    "role",
    "fte",
    "countries",
    "data_sensitivity",
    "languages",
    "overlap_hours_needed",
    "positioning",
    "expertise_in_house",
    "ip_sensitivity",
    "demand_volatility",
    "pilot_planned",
    "change_management_planned",
    "horizon_years",
    "discount_rate",
)
DEFAULTS: Mapping[str, str] = {
    "company": "",
    "home_country": "US",
    "currency": "",
    "function_name": "",
    "kind": "customer_service",
    "role": "",
    "fte": "",
    "countries": "",
    "data_sensitivity": "none",
    "languages": "en",
    "overlap_hours_needed": "4",
    "positioning": "commoditized",
    "expertise_in_house": "true",
    "ip_sensitivity": "low",
    "demand_volatility": "medium",
    "pilot_planned": "false",
    "change_management_planned": "false",
    "horizon_years": "5",
    "discount_rate": "0.08",
}
SAVE_FIELDS = ("save_as", "save_note")
"""The save box's fields: kept in the form too, but not answers."""
OPTIONAL = ("currency", "function_name", "role")
"""Left empty, these take the builder's default (home currency, the kind's name and role)."""
MAX_FIELD = 2000
_LIST = re.compile(r"[\s,;]+")
_KEY = re.compile(r"^(?:[A-Z]{2}\.[a-z_]+|current_annual_cost)$")


@dataclass
class BuilderForm:
    values: dict[str, str] = field(default_factory=lambda: dict(DEFAULTS))
    """Each answer's text as typed."""
    arrangements: list[str] = field(default_factory=lambda: list(ARRANGEMENTS))
    excluded: list[str] = field(default_factory=list)
    given: dict[str, str] = field(default_factory=dict)
    """The numbers the user gave instead of estimates, as typed: ``PH.hourly_rate`` -> text."""
    open_sites: list[str] = field(default_factory=list)
    """The countries whose estimate table is open (app.js keeps this as they are toggled)."""
    view: str = "company"
    last_step: str = "company"
    """The step to go back to from the YAML view."""

    @property
    def step_index(self) -> int:
        return STEP_NAMES.index(self.view) if self.view in STEP_NAMES else len(STEP_NAMES)


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value[:MAX_FIELD] if isinstance(value, str) else None


def _texts(form: FormData, name: str) -> list[str]:
    return [v[:MAX_FIELD] for v in form.getlist(name) if isinstance(v, str)]


def read_form(form: FormData) -> BuilderForm:
    """The builder's state as submitted: answers, overrides, options left out, the view asked
    for (``go``), and the effect of a reset (``reset``) or a card's toggle (``toggle``)."""
    state = BuilderForm()
    for name in (*TEXT_FIELDS, *SAVE_FIELDS):
        found = _text(form, name)
        if found is not None:
            state.values[name] = found.strip()
    if _text(form, "arrangements_sent") is not None:
        # Checkboxes send nothing when none is ticked: the marker says the list was on the form.
        state.arrangements = [a for a in _texts(form, "arrangements") if a in ARRANGEMENTS]
    state.excluded = list(dict.fromkeys(_texts(form, "exclude_options")))
    state.open_sites = [code for code in _texts(form, "open_sites") if len(code) == 2][:50]
    toggled = _text(form, "toggle")
    if toggled:
        if toggled in state.excluded:
            state.excluded.remove(toggled)
        else:
            state.excluded.append(toggled)
    for name in form:
        if name.startswith("given.") and _KEY.match(name[6:]):
            state.given[name[6:]] = _text(form, name) or ""
        elif name.startswith("value.") and _KEY.match(name[6:]):
            shown, typed = _text(form, f"estimated.{name[6:]}"), (_text(form, name) or "").strip()
            if typed and shown is not None and typed != shown.strip():
                state.given[name[6:]] = typed
    reset = _text(form, "reset")
    if reset:
        state.given.pop(reset, None)
    last = _text(form, "last_step") or ""
    state.last_step = last if last in STEP_NAMES else "company"
    asked = _text(form, "go") or ""
    state.view = asked if asked in VIEWS else state.last_step
    if state.view in STEP_NAMES:
        state.last_step = state.view
    return state


def split_list(text: str) -> list[str]:
    return [part for part in _LIST.split(text) if part]


def _data(state: BuilderForm) -> dict[str, Any]:
    values = state.values
    data: dict[str, Any] = {
        name: values.get(name, "") for name in TEXT_FIELDS if name not in ("countries", "languages")
    }
    for name in OPTIONAL:
        if not data[name]:
            data.pop(name)
    data["countries"] = [c.upper() for c in split_list(values.get("countries", ""))]
    data["languages"] = [code.lower() for code in split_list(values.get("languages", ""))]
    data["arrangements"] = state.arrangements
    data["exclude_options"] = state.excluded
    places = {values.get("home_country", "").upper(), *data["countries"]}
    # A number given for a country no longer asked about is no longer an override.
    data["given"] = {
        key: value
        for key, value in state.given.items()
        if key == "current_annual_cost" or key.split(".")[0] in places
    }
    return data


def _field(location: tuple[int | str, ...]) -> str:
    if location and location[0] == "given" and len(location) > 1:
        return f"given.{location[1]}"
    return str(location[0]) if location else "answers"


def answers_of(state: BuilderForm) -> tuple[ScenarioAnswers | None, dict[str, str]]:
    """Valid answers, or None and every problem by form field (``given.KEY`` for a given
    number)."""
    try:
        return ScenarioAnswers.model_validate(_data(state)), {}
    except ValidationError as error:
        problems: dict[str, str] = {}
        for found in error.errors():
            name = _field(found["loc"])
            unanswered = name in TEXT_FIELDS and not state.values.get(name, "").strip()
            message = str(found["msg"]).removeprefix("Value error, ")
            problems.setdefault(name, "not answered yet" if unanswered else message)
        return None, problems


ESTIMATE_FIELDS = frozenset({"home_country", "countries", "fte", "kind", "role", "currency"})
"""The answers an estimate needs; a problem elsewhere still lets the estimate be shown."""


def estimate_answers(state: BuilderForm, problems: Mapping[str, str]) -> ScenarioAnswers | None:
    """Answers good enough to estimate with: the fields with problems that the estimate does
    not need take their defaults (the company a placeholder), or None when it needs one."""
    if any(name in ESTIMATE_FIELDS for name in problems):
        return None
    data = _data(state)
    for name in problems:
        if name.startswith("given."):
            data["given"].pop(name[6:], None)  # the estimate stands where the text is no number
        else:
            data.pop(name, None)
    data["company"] = data.get("company") or "?"
    try:
        return ScenarioAnswers.model_validate(data)
    except ValidationError:
        return None


def step_problems(state: BuilderForm, problems: Mapping[str, str], step: str) -> dict[str, str]:
    fields = STEP_FIELDS.get(step, ())
    return {
        name: message
        for name, message in problems.items()
        if name in fields or (name.startswith("given.") and "given" in fields)
    }


def step_of(name: str) -> str:
    """The step whose form field ``name`` is (``given.*``: the estimate table, on review)."""
    base = name.split(".")[0]
    return next((step for step, fields in STEP_FIELDS.items() if base in fields), "review")
