"""Governing an engagement against an approved business case kept in the store.

Linking takes an approved decision run (by id, or the latest approved run of a scenario
version) and the function and option the engagement carries out, stores the link and replaces
the engagement's planned months with that case's: benefit realisation, the dashboard and the
engagement page then measure against the approved version and name it. The planned months
come from the run's own scenario version, decided again without draws (the plan is the
deterministic projection, so the same version always gives the same plan).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sourcewise.governance.records import Engagement
from sourcewise.security.users import Principal
from sourcewise.services.decision_runs import visible_run
from sourcewise.services.engagements import engagement_or_error, plan_from_scenario
from sourcewise.services.governance_store import UowFactory, current_actor, log_change
from sourcewise.services.scenario_library import ScenarioAccessError, may_see, visible_version
from sourcewise.services.scenarios import parse_scenario_text
from sourcewise.workspace.records import DecisionRun, EngagementCase, RunStatus


class CaseError(ValueError):
    """The run cannot govern this engagement (not approved, no such function or option)."""


@dataclass(frozen=True, slots=True)
class LinkedCase:
    case: EngagementCase
    run: DecisionRun
    """Without its result (``result`` is empty)."""

    @property
    def label(self) -> str:
        """``US customer service v2, run 7, approved by cfo on 2026-12-02``."""
        return case_label(self.run)


def case_label(run: DecisionRun) -> str:
    """A run named as a business case: its scenario version, its id and who approved it."""
    review = run.review
    approved = (
        f", approved by {review.reviewed_by} on {review.reviewed_at:%Y-%m-%d}"
        if review.reviewed_at is not None
        else ""
    )
    return f"{run.scenario} v{run.version}, run {run.id}{approved}"


@dataclass(frozen=True, slots=True)
class CaseChoice:
    """An approved run an engagement may be linked to, with what it decided."""

    run: DecisionRun
    """Without its result."""
    functions: tuple[tuple[str, tuple[str, ...], str | None], ...]
    """Each function: its options but the status quo, and the recommended one."""

    @property
    def label(self) -> str:
        return case_label(self.run)


def _pick(
    run: DecisionRun, function: str | None, option: str | None, engagement: Engagement
) -> tuple[str, str]:
    engagement_function = engagement.function
    functions = {f["name"]: f for f in (run.result.get("decision") or {}).get("functions", [])}
    if function is None:
        if engagement_function in functions:
            function = engagement_function
        elif len(functions) == 1:
            function = next(iter(functions))
        else:
            raise CaseError(
                f"{run.label} decides {len(functions)} functions ({', '.join(functions)}); "
                "say which one the engagement carries out (--function)"
            )
    found = functions.get(function)
    if found is None:
        raise CaseError(f"{run.label} has no function '{function}' ({', '.join(functions)})")
    candidates = [o for o in found.get("options", []) if not o.get("status_quo")]
    options = [o["name"] for o in candidates]
    chosen = (
        option
        or _option_of(engagement, candidates)
        or (found.get("recommendation") or {}).get("option")
    )
    if chosen not in options:
        raise CaseError(
            f"{run.label} has no option '{chosen}' for {function} ({', '.join(options)})"
        )
    return function, str(chosen)


def _option_of(engagement: Engagement, candidates: list[dict[str, Any]]) -> str | None:
    """The option the engagement evidently carries out: the one whose provider it contracts,
    else the only one placed in its country; None when neither tells (then the run's
    recommendation is taken)."""
    by_provider = [o["name"] for o in candidates if o.get("provider") == engagement.provider]
    if len(by_provider) == 1:
        return str(by_provider[0])
    by_country = [o["name"] for o in candidates if o.get("country") == engagement.country]
    return str(by_country[0]) if len(by_country) == 1 else None


def _decided(run: DecisionRun) -> tuple[tuple[str, tuple[str, ...], str | None], ...]:
    functions = (run.result.get("decision") or {}).get("functions", [])
    return tuple(
        (
            f["name"],
            tuple(o["name"] for o in f.get("options", []) if not o.get("status_quo")),
            (f.get("recommendation") or {}).get("option"),
        )
        for f in functions
    )


def approved_runs(make_uow: UowFactory, principal: Principal | None = None) -> list[CaseChoice]:
    """The approved runs ``principal`` may see, newest first: what an engagement may be
    governed against."""
    with make_uow() as uow:
        seen = {s.name for s in uow.workspace.scenarios() if may_see(principal, s)}
        ids = [
            r.id
            for r in uow.workspace.runs()
            if r.status is RunStatus.APPROVED and r.scenario in seen
        ]
        runs = [found for i in ids if (found := uow.workspace.run(i)) is not None]
    return [CaseChoice(replace(r, result={}), _decided(r)) for r in runs]


def approved_run_of(
    make_uow: UowFactory, scenario: str, version: int, principal: Principal | None = None
) -> int:
    """The latest approved run of a scenario version."""
    with make_uow() as uow:
        visible_version(uow, scenario, version, principal)
        approved = [
            r
            for r in uow.workspace.runs(scenario)
            if r.version == version and r.status is RunStatus.APPROVED
        ]
    if not approved:
        raise CaseError(f"no run of {scenario} v{version} is approved yet")
    return approved[0].id


def link_engagement(
    make_uow: UowFactory,
    engagement: str,
    run_id: int,
    function: str | None = None,
    option: str | None = None,
    principal: Principal | None = None,
) -> LinkedCase:
    """Govern ``engagement`` against approved run ``run_id``: the engagement's function and
    the option with its provider (else the only one in its country, else the run's
    recommendation), unless ``function``/``option`` say otherwise."""
    actor = principal.username if principal is not None else current_actor()
    if principal is not None and not principal.can_write:
        raise ScenarioAccessError(f"{actor} may not link engagements to business cases")
    stored = engagement_or_error(make_uow, engagement)
    with make_uow() as uow:
        run = visible_run(uow, run_id, principal)
        version = visible_version(uow, run.scenario, run.version, principal)
    if run.status is not RunStatus.APPROVED:
        raise CaseError(
            f"{run.label} is {run.status.value}; only an approved run can govern an engagement"
        )
    function, option = _pick(run, function, option, stored)
    scenario = parse_scenario_text(version.text, version.label)
    plan = plan_from_scenario(scenario, function, option, stored.start, version.label)
    case = EngagementCase(stored.name, run.id, function, option, datetime.now(UTC), actor)
    with make_uow().for_writing() as uow:
        before = uow.workspace.case(stored.name)
        uow.workspace.link_case(case)
        uow.ledger.put_plan(stored.name, plan)
        log_change(
            uow, "engagement_case", stored.name, before, case, actor=actor, at=case.linked_at
        )
        uow.commit()
    return LinkedCase(case, run)


def case_of(make_uow: UowFactory, engagement: str) -> LinkedCase | None:
    """The approved case ``engagement`` is governed against, if it is linked to one."""
    with make_uow() as uow:
        case = uow.workspace.case(engagement)
        if case is None:
            return None
        run = uow.workspace.run(case.run_id)
    assert run is not None
    return LinkedCase(case, replace(run, result={}))


def engagements_of_run(make_uow: UowFactory, run_id: int) -> list[EngagementCase]:
    """The engagements governed against run ``run_id``, by name."""
    with make_uow() as uow:
        return sorted(uow.workspace.cases(run_id), key=lambda c: c.engagement)
