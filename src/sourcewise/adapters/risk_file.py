"""Risk register files: the risks, optional playbook overrides and an optional escalation path.

The shape is checked by pydantic; the domain then checks the meaning (residual not worse than
inherent, trigger fields, playbook actions). Domain errors name their field, so each becomes a
problem at that field's line. Every problem of the file is reported at once: the domain checks
run on every risk whose shape is valid, even when another risk's is not.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from pydantic import Field, ValidationError

from sourcewise.adapters.country_table import load_countries
from sourcewise.adapters.governance_yaml import Strict, field_names, problems_from
from sourcewise.adapters.indicator_table import load_fx_monthly
from sourcewise.adapters.yaml_source import SourceDocument, read_yaml
from sourcewise.domain.indicators import Indicator
from sourcewise.domain.problems import InputError, Path, Problem
from sourcewise.governance.playbook import EscalationLevel, PlaybookAction, parse_playbooks
from sourcewise.governance.risks import Assessment, Risk, RiskCategory, RiskStatus
from sourcewise.governance.triggers import (
    TRIGGER_TYPES,
    FxMoveTrigger,
    IndicatorChangeTrigger,
    Trigger,
    trigger_from_dict,
)

PLACEHOLDER_CODE = "(new)"
"""The code of a risk given without one, until the service assigns the next free code."""


class AssessmentModel(Strict):
    likelihood: int = Field(
        ge=1, le=5, description="1 rare, 2 unlikely, 3 possible, 4 likely, 5 almost certain."
    )
    impact: int = Field(
        ge=1, le=5, description="1 negligible, 2 minor, 3 moderate, 4 major, 5 severe."
    )


class RiskModel(Strict):
    code: str | None = Field(
        None, min_length=1, max_length=40, description="R-001…; default: the next free code."
    )
    title: str = Field(min_length=1, max_length=300)
    category: RiskCategory
    engagement: str | None = Field(
        None, min_length=1, max_length=200, description="Omit for a risk on no single engagement."
    )
    owner: str = Field(min_length=1, max_length=200)
    inherent: AssessmentModel = Field(description="Before mitigation.")
    residual: AssessmentModel = Field(description="After mitigation; not worse than inherent.")
    mitigations: list[str] = Field(default_factory=list, max_length=100)
    status: RiskStatus = RiskStatus.OPEN
    triggers: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=50,
        description="Mappings with kind fx_move, breach_streak, indicator_change, kpi_threshold.",
    )


class EscalationLevelModel(Strict):
    name: str = Field(min_length=1, max_length=200)
    owner_role: str = Field(min_length=1, max_length=200)
    time_limit_days: int = Field(
        ge=1, le=365, description="Business days the level holds the issue."
    )


class RiskFileModel(Strict):
    risks: list[RiskModel] = Field(default_factory=list, max_length=10_000)
    playbooks: dict[str, Any] | None = Field(
        None, description="Actions per risk category; replace the defaults."
    )
    escalation: list[EscalationLevelModel] | None = Field(None, min_length=1, max_length=20)


@dataclass(frozen=True, slots=True)
class RiskEntry:
    """A risk of the file; ``risk.code`` is ``PLACEHOLDER_CODE`` when the file gave none."""

    risk: Risk
    code_given: bool
    path: Path


@dataclass(frozen=True, slots=True)
class RiskFile:
    entries: tuple[RiskEntry, ...]
    playbooks: dict[RiskCategory, tuple[PlaybookAction, ...]] | None
    escalation: tuple[EscalationLevel, ...] | None
    doc: SourceDocument
    """For problems the service finds later (an unknown engagement) at the right line."""


_FIELD_PATH = re.compile(
    r"^(?P<path>[A-Za-z_]\w*(?:\[\d+\]|\.[A-Za-z_]\w*)*)(?::\s*|\s+)(?P<rest>.*)$", re.S
)
_PART = re.compile(r"\[(\d+)\]|\.?([A-Za-z_]\w*)")


def _split_path(text: str) -> Path:
    return tuple(int(i) if i else name for i, name in _PART.findall(text))


def domain_problem(
    doc: SourceDocument, base: Path, message: str, known: Mapping[str, Any]
) -> Problem:
    """A domain ValueError whose message starts with a field path (``residual.likelihood (4)
    exceeds …``, ``threshold_pct must be …``) as a problem at that field, when ``known`` (the
    raw mapping) has the field; otherwise at ``base``."""
    match = _FIELD_PATH.match(message)
    if match is None:
        return doc.problem(base, message)
    relative = _split_path(match["path"])
    if not relative or relative[0] not in known:
        return doc.problem(base, message)
    rest = match["rest"]
    # "(4) exceeds inherent.likelihood (3)" reads badly without its subject: keep it whole.
    return doc.problem((*base, *relative), message if rest.startswith("(") else rest)


_TRIGGER_FIELDS = sorted(
    {name for cls in TRIGGER_TYPES for name in cls.__dataclass_fields__} | {"kind"}
)


def _trigger(doc: SourceDocument, base: Path, raw: dict[str, Any]) -> Trigger | Problem:
    try:
        trigger = trigger_from_dict(raw, where="trigger")
    except ValueError as error:
        message = str(error).removeprefix("trigger.").removeprefix("trigger")
        missing = re.match(r"^(\w+): missing$", message)
        if missing:
            return doc.problem((*base, missing[1]), f"is required for {raw.get('kind')}")
        unknown = re.match(r"^(\w+): unknown field for (\w+)$", message)
        if unknown:
            close = difflib.get_close_matches(unknown[1], _TRIGGER_FIELDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            return doc.problem((*base, unknown[1]), f"unknown field for {unknown[2]}{hint}")
        return domain_problem(doc, base, message, raw)
    return _trigger_data_problem(doc, base, trigger) or trigger


def _trigger_data_problem(doc: SourceDocument, base: Path, trigger: Trigger) -> Problem | None:
    """Codes the packaged data cannot resolve would only ever give "missing data": say so now."""
    if isinstance(trigger, FxMoveTrigger):
        for name in ("base", "quote"):
            code = getattr(trigger, name)
            if code not in load_fx_monthly():
                return doc.problem(
                    (*base, name), f"no exchange-rate series for '{code}' in the packaged data"
                )
    if isinstance(trigger, IndicatorChangeTrigger):
        if trigger.country.upper() not in load_countries():
            return doc.problem(
                (*base, "country"),
                f"unknown country code '{trigger.country}'; use ISO 3166-1 alpha-2",
            )
        known = [str(i) for i in Indicator]
        if trigger.indicator not in known:
            close = difflib.get_close_matches(trigger.indicator, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; one of {', '.join(known)}"
            return doc.problem(
                (*base, "indicator"), f"unknown indicator '{trigger.indicator}'{hint}"
            )
    return None


def _risk(doc: SourceDocument, base: Path, raw: Mapping[str, Any]) -> RiskEntry | list[Problem]:
    model = RiskModel.model_validate(raw)
    problems: list[Problem] = []
    triggers: list[Trigger] = []
    for index, item in enumerate(model.triggers):
        if "country" in item and isinstance(item["country"], str):
            item = {**item, "country": item["country"].strip().upper()}
        found = _trigger(doc, (*base, "triggers", index), item)
        if isinstance(found, Problem):
            problems.append(found)
        else:
            triggers.append(found)
    try:
        risk = Risk(
            code=model.code or PLACEHOLDER_CODE,
            title=model.title,
            category=model.category,
            engagement=model.engagement,
            owner=model.owner,
            inherent=Assessment(model.inherent.likelihood, model.inherent.impact),
            residual=Assessment(model.residual.likelihood, model.residual.impact),
            mitigations=tuple(model.mitigations),
            status=model.status,
            triggers=tuple(triggers),
        )
    except ValueError as error:
        problems.append(domain_problem(doc, base, str(error), raw))
    if problems:
        return problems
    return RiskEntry(risk, model.code is not None, base)


def risk_from_data(data: dict[str, Any], source: str) -> Risk:
    """One risk given as plain data in the file's shape (a form's fields), with every check a
    risk of the file gets; ``InputError`` with each problem at its field (``residual.impact``)
    and no line. A risk given without a code has ``PLACEHOLDER_CODE``."""
    doc = SourceDocument(source, data)
    try:
        RiskModel.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from(error, doc, field_names(RiskModel))) from None
    found = _risk(doc, (), data)
    if isinstance(found, list):
        raise InputError(found)
    return found.risk


def _playbooks(
    doc: SourceDocument, raw: Mapping[str, Any]
) -> dict[RiskCategory, tuple[PlaybookAction, ...]] | list[Problem]:
    # One category at a time, so that a mistake in one does not hide those in the others.
    parsed: dict[RiskCategory, tuple[PlaybookAction, ...]] = {}
    problems: list[Problem] = []
    for key, items in raw.items():
        try:
            parsed.update(parse_playbooks({key: items}))
        except ValueError as error:
            message = str(error).removeprefix("playbooks.")
            problems.append(domain_problem(doc, ("playbooks",), message, raw))
    return problems or parsed


def _escalation(doc: SourceDocument, raw: list[Any]) -> tuple[EscalationLevel, ...] | list[Problem]:
    levels: list[EscalationLevel] = []
    problems: list[Problem] = []
    for index, item in enumerate(raw):
        model = EscalationLevelModel.model_validate(item)
        try:
            levels.append(EscalationLevel(model.name, model.owner_role, model.time_limit_days))
        except ValueError as error:
            problems.append(domain_problem(doc, ("escalation", index), str(error), item))
    return problems or tuple(levels)


def _invalid_parts(error: ValidationError | None) -> set[Path]:
    """The top-level parts (``("risks", 2)``, ``("playbooks",)``) with a shape error."""
    parts: set[Path] = set()
    for item in error.errors() if error else ():
        loc = tuple(item["loc"])
        parts.add(loc[:2] if loc[:1] in (("risks",), ("escalation",)) and len(loc) > 1 else loc[:1])
    return parts


def load_risk_file(path: FsPath) -> RiskFile:
    """The risks, playbooks and escalation path of ``path``; ``InputError`` with every problem."""
    doc = read_yaml(path)
    if doc.problems or doc.data is None:
        raise InputError(doc.problems or [Problem(doc.file, None, "", "the file is empty")])
    data = doc.data
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise InputError([Problem(doc.file, 1, "", f"expected a mapping at the top, got {kind}")])
    problems: list[Problem] = []
    shape_error: ValidationError | None = None
    try:
        RiskFileModel.model_validate(data)
    except ValidationError as error:
        shape_error = error
        problems.extend(problems_from(error, doc, field_names(RiskFileModel)))
    if ("risks",) in _invalid_parts(shape_error) or ("escalation",) in _invalid_parts(shape_error):
        raise InputError(problems)  # not even a list: nothing more to check
    invalid = _invalid_parts(shape_error)

    entries: list[RiskEntry] = []
    for index, raw in enumerate(data.get("risks") or []):
        if ("risks", index) in invalid:
            continue
        found = _risk(doc, ("risks", index), raw)
        if isinstance(found, RiskEntry):
            entries.append(found)
        else:
            problems.extend(found)
    problems.extend(_duplicate_codes(doc, entries))

    playbooks = None
    if data.get("playbooks") is not None and ("playbooks",) not in invalid:
        found_playbooks = _playbooks(doc, data["playbooks"])
        if isinstance(found_playbooks, list):
            problems.extend(found_playbooks)
        else:
            playbooks = found_playbooks
    escalation = None
    raw_levels = data.get("escalation")
    if isinstance(raw_levels, list) and not any(p[0] == "escalation" for p in invalid):
        found_levels = _escalation(doc, raw_levels)
        if isinstance(found_levels, list):
            problems.extend(found_levels)
        else:
            escalation = found_levels
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.line or 0, p.path)))
    return RiskFile(tuple(entries), playbooks, escalation, doc)


def _duplicate_codes(doc: SourceDocument, entries: list[RiskEntry]) -> list[Problem]:
    first: dict[str, RiskEntry] = {}
    problems = []
    for entry in entries:
        if not entry.code_given:
            continue
        earlier = first.setdefault(entry.risk.code, entry)
        if earlier is not entry:
            line = doc.line_of((*earlier.path, "code"))
            problems.append(
                doc.problem(
                    (*entry.path, "code"),
                    f"code '{entry.risk.code}' is given twice (first on line {line})",
                )
            )
    return problems
