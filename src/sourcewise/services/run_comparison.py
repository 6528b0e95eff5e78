"""Two decision runs side by side: the recommendation, each option's saving, probability of
beating the status quo and rank, what changed between the scenario versions, and which changed
inputs drove the difference.

Drivers are estimated from the later run's tornado: each changed uncertain input's mean shift
times the slope of the option's saving across that input's range (one input at a time, the
others at their means). It is a first-order estimate, said to be one; a fixed input (not a
distribution) that changed is listed among the changes without an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sourcewise.domain.scenario import Scenario
from sourcewise.security.users import Principal
from sourcewise.services.decision_runs import visible_run
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.scenario_library import InputChange, describe_changes, visible_version
from sourcewise.services.scenarios import parse_scenario_text
from sourcewise.workspace.records import DecisionRun

MAX_DRIVERS = 20


@dataclass(frozen=True, slots=True)
class OptionSide:
    saving: float | None
    """Present value saved against the status quo (the simulated mean when there were draws)."""
    p_beats_status_quo: float | None
    rank: int | None
    """1 = best score among the function's options."""


@dataclass(frozen=True, slots=True)
class OptionComparison:
    function: str
    option: str
    before: OptionSide | None
    after: OptionSide | None

    @property
    def saving_change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        if self.before.saving is None or self.after.saving is None:
            return None
        return self.after.saving - self.before.saving


@dataclass(frozen=True, slots=True)
class Driver:
    input: str
    """``function / option / field`` by name."""
    option: str
    mean_before: float
    mean_after: float
    estimated_effect: float
    """Estimated change of the option's saving caused by this input's change alone."""


@dataclass(frozen=True, slots=True)
class RunComparison:
    before: DecisionRun
    after: DecisionRun
    recommendations: tuple[tuple[str, str | None, str | None], ...]
    """(function, recommended before, recommended after)."""
    options: tuple[OptionComparison, ...]
    changes: tuple[InputChange, ...]
    drivers: tuple[Driver, ...]


def _functions(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    decision = result.get("decision") or {}
    return {f["name"]: f for f in decision.get("functions", [])}


def _sides(function: dict[str, Any]) -> dict[str, OptionSide]:
    options = [o for o in function.get("options", []) if not o.get("status_quo")]
    ranked = sorted(options, key=lambda o: -(o.get("score") or float("-inf")))
    ranks = {o["name"]: index + 1 for index, o in enumerate(ranked)}
    sides = {}
    for o in options:
        distribution = o.get("savings_vs_status_quo_distribution") or {}
        saving = distribution.get("mean", o.get("savings_vs_status_quo"))
        sides[o["name"]] = OptionSide(saving, o.get("p_beats_status_quo"), ranks[o["name"]])
    return sides


def _named_means(scenario: Scenario) -> dict[str, float]:
    """Each uncertain input's mean by a label that names its function and option."""
    means = {}
    for u in scenario.uncertain:
        means[_named(scenario, u.ref.label)] = u.distribution.mean
    return means


def _named(scenario: Scenario, label: str) -> str:
    """``functions[0].options[1].hourly_rate`` → ``Customer service / Captive Manila /
    hourly_rate``; a company field keeps its label."""
    ref = next((u.ref for u in scenario.uncertain if u.ref.label == label), None)
    if ref is None or ref.function is None:
        return label
    function = scenario.functions[ref.function]
    parts = [function.profile.name]
    if ref.option is not None:
        parts.append(function.options[ref.option].name)
    tail = label.rsplit("]", 1)[-1].lstrip(".") or ref.field
    return " / ".join([*parts, tail])


def _drivers(before: Scenario, after: Scenario, result: dict[str, Any]) -> list[Driver]:
    old, new = _named_means(before), _named_means(after)
    shifted = {k: (old[k], new[k]) for k in new.keys() & old.keys() if old[k] != new[k]}
    if not shifted:
        return []
    simulation = result.get("simulation") or {}
    drivers = []
    for function in simulation.get("functions", []):
        for option in function.get("options", []):
            for bar in option.get("tornado") or []:
                key = _named(after, bar["input"])
                if key not in shifted or bar["high"] == bar["low"]:
                    continue
                slope = (bar["savings_at_high"] - bar["savings_at_low"]) / (
                    bar["high"] - bar["low"]
                )
                mean_before, mean_after = shifted[key]
                effect = slope * (mean_after - mean_before)
                drivers.append(Driver(key, option["name"], mean_before, mean_after, effect))
    drivers.sort(key=lambda d: -abs(d.estimated_effect))
    return drivers[:MAX_DRIVERS]


def compare_runs(
    make_uow: UowFactory, before: int, after: int, principal: Principal | None = None
) -> RunComparison:
    """Runs ``before`` and ``after`` side by side (any two runs the principal may see)."""
    with make_uow() as uow:
        first = visible_run(uow, before, principal)
        second = visible_run(uow, after, principal)
        old = visible_version(uow, first.scenario, first.version, principal)
        new = visible_version(uow, second.scenario, second.version, principal)
    old_functions, new_functions = _functions(first.result), _functions(second.result)
    recommendations = []
    options = []
    for name in [*old_functions, *(n for n in new_functions if n not in old_functions)]:
        a, b = old_functions.get(name), new_functions.get(name)
        recommendations.append(
            (
                name,
                (a or {}).get("recommendation", {}).get("option"),
                (b or {}).get("recommendation", {}).get("option"),
            )
        )
        sides_a = _sides(a) if a else {}
        sides_b = _sides(b) if b else {}
        for option in [*sides_a, *(o for o in sides_b if o not in sides_a)]:
            options.append(OptionComparison(name, option, sides_a.get(option), sides_b.get(option)))
    same = (first.scenario, first.version) == (second.scenario, second.version)
    changes = () if same else describe_changes(old, new)
    drivers: list[Driver] = []
    if not same:
        drivers = _drivers(
            parse_scenario_text(old.text, old.label),
            parse_scenario_text(new.text, new.label),
            second.result,
        )
    return RunComparison(
        first, second, tuple(recommendations), tuple(options), changes, tuple(drivers)
    )
