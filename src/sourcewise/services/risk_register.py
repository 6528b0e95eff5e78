"""Risk register use cases: load risks from a file, evaluate their triggers on data, open
playbooks, and follow the escalation path.

Every write goes through one unit of work with its audit-log entries, so a file is stored
entirely or not at all.

The playbook overrides and the escalation path of a risk file have no table of their own: they
are kept as audit-log entries (entities ``risk_playbooks`` and ``risk_escalation``), and the
newest entry is the one in force. Each change of them is therefore logged by construction.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path as FsPath
from typing import Any, Literal

from sourcewise.adapters.risk_file import RiskFile, load_risk_file
from sourcewise.domain.problems import InputError, Problem
from sourcewise.governance.playbook import (
    DEFAULT_ESCALATION,
    EscalationLevel,
    EscalationState,
    PlaybookAction,
    PlaybookRecord,
    escalation_state,
    open_playbook,
)
from sourcewise.governance.risks import (
    Rating,
    Risk,
    RiskCategory,
    RiskChange,
    RiskStatus,
    diff_risks,
    evaluate_triggers,
    heat_map,
    next_risk_code,
    rank_risks,
    score_summary,
)
from sourcewise.governance.triggers import TriggerFiring, trigger_to_dict
from sourcewise.services.governance_store import UowFactory, as_json, current_actor, log_change
from sourcewise.services.risk_trigger_data import trigger_data
from sourcewise.storage.repositories import NotFoundError
from sourcewise.storage.unit_of_work import UnitOfWork

PLAYBOOKS_ENTITY = "risk_playbooks"
ESCALATION_ENTITY = "risk_escalation"


@dataclass(frozen=True, slots=True)
class AddOutcome:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    """``playbooks`` and/or ``escalation`` when the file changed them."""


def risk_json(risk: Risk) -> dict[str, Any]:
    """A risk as JSON-ready data (triggers in their ``trigger_to_dict`` form)."""
    data: dict[str, Any] = as_json(risk)
    data["triggers"] = [trigger_to_dict(trigger) for trigger in risk.triggers]
    return data


def _unknown_engagement(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"no engagement named '{name}'{hint}; add it first with `sourcewise engagement add`"


def _resolve_codes(file: RiskFile, stored: dict[str, Risk]) -> list[Risk]:
    """The file's risks with their codes: a risk without one is the stored risk with the same
    title and engagement (so adding a file twice is idempotent), else the next free code."""
    taken = set(stored) | {e.risk.code for e in file.entries if e.code_given}
    by_title = {(r.title.casefold(), r.engagement): r.code for r in stored.values()}
    resolved: list[Risk] = []
    for entry in file.entries:
        risk = entry.risk
        if not entry.code_given:
            code = by_title.get((risk.title.casefold(), risk.engagement))
            if code is None or code in {r.code for r in resolved}:
                code = next_risk_code(taken)
            taken.add(code)
            risk = dataclasses.replace(risk, code=code)
        resolved.append(risk)
    return resolved


def _engagement_problems(file: RiskFile, uow: UnitOfWork) -> list[Problem]:
    names = [e.name for e in uow.engagements.all()]
    problems = []
    for entry in file.entries:
        name = entry.risk.engagement
        if name is not None and name not in names:
            path = (*entry.path, "engagement")
            problems.append(file.doc.problem(path, _unknown_engagement(name, names)))
    return problems


def add_risks(make_uow: UowFactory, path: FsPath, now: datetime | None = None) -> AddOutcome:
    """Store the risks of ``path``: new codes are added, known ones updated with their changes
    appended to the history, identical ones left alone. All or nothing."""
    file = load_risk_file(path)
    at = (now or datetime.now(UTC)).astimezone(UTC)
    actor = current_actor()
    added, updated, unchanged = [], [], []
    with make_uow() as uow:
        problems = _engagement_problems(file, uow)
        if problems:
            raise InputError(problems)
        stored = {risk.code: risk for risk in uow.risks.all()}
        for risk in _resolve_codes(file, stored):
            before = stored.get(risk.code)
            if before is None:
                uow.risks.add(risk)
                log_change(uow, "risk", risk.code, None, risk_json(risk), actor, at)
                added.append(risk.code)
                continue
            changes = diff_risks(before, risk, at, actor)
            if not changes:
                unchanged.append(risk.code)
                continue
            uow.risks.update(risk, changes)
            log_change(uow, "risk", risk.code, risk_json(before), risk_json(risk), actor, at)
            updated.append(risk.code)
        settings = _store_settings(uow, file, actor, at)
        uow.commit()
    return AddOutcome(tuple(added), tuple(updated), tuple(unchanged), settings)


def _playbooks_json(playbooks: dict[RiskCategory, tuple[PlaybookAction, ...]]) -> dict[str, Any]:
    return {str(category): as_json(list(actions)) for category, actions in playbooks.items()}


def _latest(uow: UnitOfWork, entity: str) -> Any:
    entries = uow.audit_log.entries(entity=entity, limit=1)
    return entries[0].after if entries else None


def stored_playbooks(uow: UnitOfWork) -> dict[RiskCategory, tuple[PlaybookAction, ...]]:
    """The playbook overrides in force (empty: the defaults)."""
    raw = _latest(uow, PLAYBOOKS_ENTITY) or {}
    return {
        RiskCategory(category): tuple(PlaybookAction(**action) for action in actions)
        for category, actions in raw.items()
    }


def stored_escalation(uow: UnitOfWork) -> tuple[EscalationLevel, ...]:
    """The escalation path in force (``DEFAULT_ESCALATION`` unless a file gave one)."""
    raw = _latest(uow, ESCALATION_ENTITY)
    if not raw:
        return DEFAULT_ESCALATION
    return tuple(EscalationLevel(**level) for level in raw)


def _store_settings(uow: UnitOfWork, file: RiskFile, actor: str, at: datetime) -> tuple[str, ...]:
    changed = []
    if file.playbooks is not None:
        # A file's playbook replaces the stored one of its category; other categories stay.
        before = stored_playbooks(uow)
        after = {**before, **file.playbooks}
        if after != before:
            old = _playbooks_json(before) if before else None
            log_change(uow, PLAYBOOKS_ENTITY, "playbooks", old, _playbooks_json(after), actor, at)
            changed.append("playbooks")
    if file.escalation is not None:
        current = stored_escalation(uow)
        if file.escalation != current:
            old_levels = as_json(list(current)) if _latest(uow, ESCALATION_ENTITY) else None
            new_levels = as_json(list(file.escalation))
            log_change(uow, ESCALATION_ENTITY, "escalation", old_levels, new_levels, actor, at)
            changed.append("escalation")
    return tuple(changed)


# --- Evaluation -----------------------------------------------------------------------------

PlaybookNote = Literal["opened", "already open"]


@dataclass(frozen=True, slots=True)
class TriggerOutcome:
    firing: TriggerFiring
    playbook: PlaybookNote | None = None


@dataclass(frozen=True, slots=True)
class RiskEvaluation:
    risk: Risk
    outcomes: tuple[TriggerOutcome, ...]


@dataclass(frozen=True, slots=True)
class Evaluation:
    as_of: date
    risks: tuple[RiskEvaluation, ...]
    opened: tuple[PlaybookRecord, ...]


def _require_engagement(uow: UnitOfWork, name: str | None) -> None:
    if name is not None and uow.engagements.get(name) is None:
        raise NotFoundError(_unknown_engagement(name, [e.name for e in uow.engagements.all()]))


def evaluate_risks(
    make_uow: UowFactory,
    as_of: date,
    engagement: str | None = None,
    now: datetime | None = None,
) -> Evaluation:
    """Evaluate every open risk's triggers on the data up to ``as_of`` and open the playbook of
    each trigger that fired, unless one for the same risk and trigger is still unresolved (so
    running it again opens nothing new). ``now`` is when the playbooks open."""
    opened_at = (now or datetime.now(UTC)).astimezone(UTC)
    actor = current_actor()
    with make_uow() as uow:
        _require_engagement(uow, engagement)
        risks = [r for r in uow.risks.all(engagement) if r.status is not RiskStatus.CLOSED]
        data = trigger_data(uow, risks, as_of)
        overrides = stored_playbooks(uow)
        unresolved = {(p.risk, p.trigger) for p in uow.risks.playbooks() if p.resolved_at is None}
        results, opened = [], []
        for risk in rank_risks(risks):
            outcomes = []
            for firing in evaluate_triggers(risk, data, as_of):
                if not firing.fired:
                    outcomes.append(TriggerOutcome(firing))
                    continue
                key = (risk.code, firing.trigger.description)
                if key in unresolved:
                    outcomes.append(TriggerOutcome(firing, "already open"))
                    continue
                run = open_playbook(risk, firing, opened_at, overrides)
                record = PlaybookRecord(
                    risk=run.risk_code,
                    trigger=run.trigger,
                    reason=run.reason,
                    opened_at=run.opened_at,
                    actions=tuple((s.action, s.owner_role, s.due_at, None) for s in run.steps),
                )
                uow.risks.add_playbook(record)
                log_change(uow, "playbook", f"{risk.code}: {run.trigger}", None, record, actor)
                unresolved.add(key)
                opened.append(record)
                outcomes.append(TriggerOutcome(firing, "opened"))
            results.append(RiskEvaluation(risk, tuple(outcomes)))
        uow.commit()
    return Evaluation(as_of, tuple(results), tuple(opened))


# --- Views ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Register:
    risks: tuple[Risk, ...]
    """Worst first (residual, then inherent score)."""
    heat_map: dict[tuple[int, int], tuple[str, ...]]
    """Residual (likelihood, impact) → codes, of the risks not closed."""
    inherent_heat_map: dict[tuple[int, int], tuple[str, ...]]
    summary: dict[Rating, int]
    open_playbooks: dict[str, int]


def risk_register(make_uow: UowFactory, engagement: str | None = None) -> Register:
    """The register, ranked, with heat maps of the risks still open or being mitigated."""
    with make_uow() as uow:
        _require_engagement(uow, engagement)
        risks = rank_risks(uow.risks.all(engagement))
        runs = uow.risks.playbooks()
    live = [r for r in risks if r.status is not RiskStatus.CLOSED]
    counts: dict[str, int] = {}
    for run in runs:
        if run.resolved_at is None:
            counts[run.risk] = counts.get(run.risk, 0) + 1
    return Register(
        risks=risks,
        heat_map=heat_map(live, "residual"),
        inherent_heat_map=heat_map(live, "inherent"),
        summary=score_summary(live),
        open_playbooks=counts,
    )


@dataclass(frozen=True, slots=True)
class Escalation:
    risk: Risk
    playbook: PlaybookRecord
    state: EscalationState
    next_action: tuple[str, str, datetime] | None
    """The first action not done: (action, owner role, due at)."""


@dataclass(frozen=True, slots=True)
class OpenPlaybooks:
    """What escalations are computed from: the stored data, without the time."""

    levels: tuple[EscalationLevel, ...]
    runs: tuple[PlaybookRecord, ...]
    """The unresolved playbooks."""
    risks: Mapping[str, Risk]
    """Their risks, by code."""


def open_playbooks(make_uow: UowFactory) -> OpenPlaybooks:
    """The escalation path in force and every unresolved playbook with its risk."""
    with make_uow() as uow:
        levels = stored_escalation(uow)
        runs = tuple(p for p in uow.risks.playbooks() if p.resolved_at is None)
        risks = {r.code: r for r in uow.risks.all()}
    return OpenPlaybooks(levels, runs, risks)


def escalations(
    make_uow: UowFactory, now: datetime, stored: OpenPlaybooks | None = None
) -> tuple[Escalation, ...]:
    """Where every unresolved playbook stands on the escalation path at ``now``, most
    escalated first. Playbooks opened after ``now`` did not exist yet and are left out.
    ``stored`` is ``open_playbooks`` when the caller has it already (a server's cache)."""
    moment = now.astimezone(UTC)
    stored = stored or open_playbooks(make_uow)
    found = []
    for run in stored.runs:
        if run.opened_at > moment:
            continue
        state = escalation_state(run.opened_at, moment, stored.levels)
        pending = next(((a, o, due) for a, o, due, done in run.actions if done is None), None)
        found.append(Escalation(stored.risks[run.risk], run, state, pending))
    return tuple(
        sorted(found, key=lambda e: (not e.state.overdue, -e.state.level, e.playbook.opened_at))
    )


@dataclass(frozen=True, slots=True)
class RiskHistory:
    risk: Risk
    changes: tuple[RiskChange, ...]
    playbooks: tuple[PlaybookRecord, ...]


def risk_history(make_uow: UowFactory, code: str) -> RiskHistory:
    """A risk as it stands, every change made to it and the playbooks opened for it."""
    with make_uow() as uow:
        risk = uow.risks.get(code)
        if risk is None:
            codes = [r.code for r in uow.risks.all()]
            close = difflib.get_close_matches(code, codes, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise NotFoundError(f"no risk with code '{code}'{hint}")
        return RiskHistory(risk, tuple(uow.risks.history(code)), tuple(uow.risks.playbooks(code)))


__all__ = [
    "AddOutcome",
    "Escalation",
    "Evaluation",
    "Register",
    "RiskHistory",
    "add_risks",
    "escalations",
    "evaluate_risks",
    "risk_history",
    "risk_json",
    "risk_register",
    "trigger_data",
]
