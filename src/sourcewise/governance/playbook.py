"""The risk playbook and the escalation path.

When risks materialise — "such as regulatory changes, talent shortages, or geopolitical
volatility" — "a well-defined risk playbook keeps your plan on track and minimizes disruption",
and "a clear escalation path" helps "catch issues early" (BusinessVert, "Outsourcing vs
offshoring": ``domain.articles.PLAYBOOK_ARTICLE``). This module holds default actions per risk
category, turns them into a dated run when a trigger fires, and says where an open run stands on
the escalation path.

Playbook due dates are calendar days after the run opens. Escalation time limits are business
days: Monday to Friday, in UTC, with no public holidays unless given. Times are timezone-aware
and returned in UTC.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType

from sourcewise.governance.risks import Risk, RiskCategory
from sourcewise.governance.triggers import TriggerFiring

ENGAGEMENT_MANAGER = "engagement manager"
VENDOR_MANAGEMENT_OFFICE = "vendor management office"
STEERING_COMMITTEE = "steering committee"
EXECUTIVE_SPONSOR = "executive sponsor"
LEGAL_COUNSEL = "legal counsel"
DATA_PROTECTION_OFFICER = "data protection officer"
INFORMATION_SECURITY = "information security"
PROCUREMENT = "procurement"
FINANCE = "finance"
TREASURY = "treasury"
HR = "human resources"
BUSINESS_CONTINUITY = "business continuity manager"
QUALITY_LEAD = "quality lead"
RISK_OWNER = "risk owner"


def _non_blank(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-blank string, not {value!r}")
    return value.strip()


def _whole(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be a whole number ≥ {minimum}, not {value!r}")
    return value


def _utc(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, not {value!r}")
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class PlaybookAction:
    """A step to take when a risk materialises: what, which role owns it, and how many calendar
    days after the run opens it is due (0 = the same day)."""

    action: str
    owner_role: str
    due_days: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", _non_blank(self.action, "action"))
        object.__setattr__(self, "owner_role", _non_blank(self.owner_role, "owner_role"))
        _whole(self.due_days, "due_days", 0)


_A = PlaybookAction

# The articles' wording where they have some; the rest is ordinary contract-management practice.
DEFAULT_PLAYBOOKS: Mapping[RiskCategory, tuple[PlaybookAction, ...]] = MappingProxyType(
    {
        RiskCategory.REGULATORY_CHANGE: (
            _A("Review contract compliance against the regulatory change", LEGAL_COUNSEL, 5),
            _A(
                "Obtain legal counsel's advice on the change in each affected country",
                LEGAL_COUNSEL,
                10,
            ),
            _A(
                "Confirm the data-transfer mechanism still covers the transfers",
                DATA_PROTECTION_OFFICER,
                10,
            ),
            _A(
                "Agree the contract and process changes with the provider",
                VENDOR_MANAGEMENT_OFFICE,
                30,
            ),
        ),
        RiskCategory.TALENT_SHORTAGE: (
            _A("Confirm succession plans for key roles with the provider", ENGAGEMENT_MANAGER, 5),
            _A("Ask the provider for its hiring and retention plan", VENDOR_MANAGEMENT_OFFICE, 10),
            _A("Run knowledge transfer and update process documentation", ENGAGEMENT_MANAGER, 15),
            _A("Assess a second site to tap into a wider talent pool", PROCUREMENT, 30),
        ),
        RiskCategory.GEOPOLITICAL_VOLATILITY: (
            _A(
                "Check the safety of staff and the status of the affected site",
                ENGAGEMENT_MANAGER,
                1,
            ),
            _A(
                "Invoke or test the business continuity plan for the location",
                BUSINESS_CONTINUITY,
                3,
            ),
            _A("Review step-in rights, force majeure and exit clauses", LEGAL_COUNSEL, 7),
            _A("Prepare to move critical work to a second location", PROCUREMENT, 14),
        ),
        RiskCategory.CURRENCY_SHOCK: (
            _A("Quantify the costs exposed to the currency fluctuations", FINANCE, 5),
            _A("Review hedging of the exposed costs", TREASURY, 10),
            _A("Review the contract's price-adjustment clause", PROCUREMENT, 10),
            _A("Update the business case with the new exchange rate", FINANCE, 15),
        ),
        RiskCategory.VENDOR_FAILURE: (
            _A("Activate the step-in and exit plan", VENDOR_MANAGEMENT_OFFICE, 2),
            _A("Secure copies of our data and revoke unneeded access", INFORMATION_SECURITY, 3),
            _A("Check the escrow deposit and its release conditions", LEGAL_COUNSEL, 5),
            _A("Line up an alternative provider", PROCUREMENT, 14),
        ),
        RiskCategory.CONCENTRATION: (
            _A(
                "Map the functions and sites that depend on this provider or location",
                VENDOR_MANAGEMENT_OFFICE,
                10,
            ),
            _A("Review exit and transition clauses", LEGAL_COUNSEL, 20),
            _A("Assess a second provider or location for critical work", PROCUREMENT, 30),
        ),
        RiskCategory.DATA_SECURITY: (
            _A("Run the incident response procedure with the provider", INFORMATION_SECURITY, 1),
            _A(
                "Assess notification duties to regulators and customers", DATA_PROTECTION_OFFICER, 3
            ),
            _A("Review the provider's access to sensitive company data", INFORMATION_SECURITY, 5),
            _A("Audit the provider's data security controls", INFORMATION_SECURITY, 30),
        ),
        RiskCategory.INTELLECTUAL_PROPERTY: (
            _A("Restrict access to strategic IP to those who need it", ENGAGEMENT_MANAGER, 5),
            _A("Review IP ownership and confidentiality clauses", LEGAL_COUNSEL, 10),
            _A("Check the provider's cross-border IP protection", LEGAL_COUNSEL, 20),
        ),
        RiskCategory.QUALITY: (
            _A("Analyse root causes with the provider", ENGAGEMENT_MANAGER, 5),
            _A("Agree a corrective action plan with dates", ENGAGEMENT_MANAGER, 10),
            _A("Audit the provider's internal quality systems", QUALITY_LEAD, 20),
            _A(
                "Apply service credits where the contract provides them",
                VENDOR_MANAGEMENT_OFFICE,
                30,
            ),
        ),
        RiskCategory.TIME_ZONE_AND_COMMUNICATION: (
            _A("Agree shared working hours and response times", ENGAGEMENT_MANAGER, 5),
            _A("Set a communication cadence and named escalation contacts", ENGAGEMENT_MANAGER, 5),
            _A("Review handovers and language needs with the provider", ENGAGEMENT_MANAGER, 15),
        ),
        RiskCategory.OTHER: (
            _A("Assess the risk and agree actions", RISK_OWNER, 5),
            _A("Report the risk and the actions to the steering committee", ENGAGEMENT_MANAGER, 10),
        ),
    }
)


def check_playbooks(
    playbooks: Mapping[RiskCategory, Sequence[PlaybookAction]],
) -> dict[RiskCategory, tuple[PlaybookAction, ...]]:
    """Validated copy of user playbooks; ValueError naming the field (``currency_shock[1]``…)."""
    checked: dict[RiskCategory, tuple[PlaybookAction, ...]] = {}
    for key, actions in playbooks.items():
        try:
            category = RiskCategory(key)
        except ValueError:
            raise ValueError(f"unknown risk category {key!r}") from None
        if isinstance(actions, str | bytes) or not isinstance(actions, Sequence) or not actions:
            raise ValueError(f"{category}: a playbook needs at least one action")
        seen: set[str] = set()
        for index, action in enumerate(actions):
            if not isinstance(action, PlaybookAction):
                raise ValueError(f"{category}[{index}] must be a PlaybookAction")
            if action.action.casefold() in seen:
                raise ValueError(f"{category}[{index}].action repeats {action.action!r}")
            seen.add(action.action.casefold())
        checked[category] = tuple(actions)
    return checked


def parse_playbooks(raw: object) -> dict[RiskCategory, tuple[PlaybookAction, ...]]:
    """Playbooks from loaded YAML/JSON: ``{category: [{action, owner_role, due_days}, …]}``.

    ValueError names the field, e.g. ``playbooks.currency_shock[2].due_days: …``.
    """
    if not isinstance(raw, Mapping):
        raise ValueError("playbooks: expected a mapping of risk category to a list of actions")
    parsed: dict[RiskCategory, list[PlaybookAction]] = {}
    for key, items in raw.items():
        where = f"playbooks.{key}"
        try:
            category = RiskCategory(key)
        except ValueError:
            raise ValueError(f"{where}: unknown risk category") from None
        if isinstance(items, str | bytes) or not isinstance(items, Sequence):
            raise ValueError(f"{where}: expected a list of actions")
        actions = parsed.setdefault(category, [])
        for index, item in enumerate(items):
            spot = f"{where}[{index}]"
            if not isinstance(item, Mapping):
                raise ValueError(f"{spot}: expected a mapping with action, owner_role, due_days")
            unknown = sorted(set(map(str, item)) - {"action", "owner_role", "due_days"})
            if unknown:
                raise ValueError(f"{spot}.{unknown[0]}: unknown field")
            for name in ("action", "owner_role", "due_days"):
                if name not in item:
                    raise ValueError(f"{spot}.{name}: missing")
            try:
                actions.append(PlaybookAction(item["action"], item["owner_role"], item["due_days"]))
            except ValueError as error:
                raise ValueError(f"{spot}.{error}") from None
    try:
        return check_playbooks(parsed)
    except ValueError as error:
        raise ValueError(f"playbooks.{error}") from None


@dataclass(frozen=True, slots=True)
class PlaybookStep:
    """A concrete action of a run, with its due instant (UTC)."""

    action: str
    owner_role: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class PlaybookRun:
    """The playbook opened for a risk: why (``trigger`` and ``reason``) and the dated steps."""

    risk_code: str
    category: RiskCategory
    trigger: str
    reason: str
    opened_at: datetime
    steps: tuple[PlaybookStep, ...]


def open_playbook(
    risk: Risk,
    firing: TriggerFiring | None,
    opened_at: datetime,
    overrides: Mapping[RiskCategory, Sequence[PlaybookAction]] | None = None,
) -> PlaybookRun:
    """Open the playbook of the risk's category, with steps due ``due_days`` after ``opened_at``.

    ``firing`` is the trigger that fired (one of the risk's own), or None when opened by hand.
    An override for a category replaces the default playbook of that category entirely.
    """
    opened = _utc(opened_at, "opened_at")
    if firing is None:
        trigger, reason = "opened manually", "opened manually"
    else:
        if not firing.fired:
            raise ValueError(f"firing did not fire ({firing.status}): {firing.reason}")
        if firing.trigger not in risk.triggers:
            raise ValueError(f"firing is for a trigger that {risk.code} does not have")
        trigger, reason = firing.trigger.description, firing.reason
    playbooks = check_playbooks(overrides) if overrides else {}
    actions = playbooks.get(risk.category, DEFAULT_PLAYBOOKS[risk.category])
    steps = tuple(
        PlaybookStep(a.action, a.owner_role, opened + timedelta(days=a.due_days)) for a in actions
    )
    return PlaybookRun(risk.code, risk.category, trigger, reason, opened, steps)


@dataclass(frozen=True, slots=True)
class PlaybookRecord:
    """An opened playbook as the register keeps it: why, when, and its actions with due
    times and when each was done; ``resolved_at`` once the run is closed."""

    risk: str
    trigger: str
    reason: str
    opened_at: datetime
    actions: tuple[tuple[str, str, datetime, datetime | None], ...]
    """(action, owner role, due at, done at)."""
    resolved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class EscalationLevel:
    """A step of the escalation path: who holds the issue and for how many business days."""

    name: str
    owner_role: str
    time_limit_days: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _non_blank(self.name, "name"))
        object.__setattr__(self, "owner_role", _non_blank(self.owner_role, "owner_role"))
        _whole(self.time_limit_days, "time_limit_days", 1)


DEFAULT_ESCALATION: tuple[EscalationLevel, ...] = (
    EscalationLevel("engagement manager", ENGAGEMENT_MANAGER, 2),
    EscalationLevel("vendor management office / steering committee", VENDOR_MANAGEMENT_OFFICE, 5),
    EscalationLevel("executive sponsor", EXECUTIVE_SPONSOR, 10),
)


def add_business_days(start: datetime, days: int, holidays: Collection[date] = ()) -> datetime:
    """The same time of day on the ``days``-th following weekday (UTC) that is not a holiday.

    Friday 10:00 + 1 is Monday 10:00; Saturday 10:00 + 1 is also Monday 10:00.
    """
    moment = _utc(start, "start")
    _whole(days, "days", 0)
    left = days
    while left:
        moment += timedelta(days=1)
        if moment.weekday() < 5 and moment.date() not in holidays:
            left -= 1
    return moment


@dataclass(frozen=True, slots=True)
class EscalationState:
    """Where an issue stands: its level (1-based), who owns it, and when that level's time
    expires. ``overdue`` once the last level's limit has passed without resolution."""

    level: int
    name: str
    owner_role: str
    level_started_at: datetime
    expires_at: datetime
    overdue: bool
    resolved: bool


def escalation_state(
    opened_at: datetime,
    now: datetime,
    levels: Sequence[EscalationLevel] = DEFAULT_ESCALATION,
    resolved_at: datetime | None = None,
    holidays: Collection[date] = (),
) -> EscalationState:
    """The escalation state at ``now`` of an issue opened at ``opened_at``.

    Each level holds the issue for its time limit in business days, counted from when it took
    over; a level still holds at the exact instant its limit expires and hands over just after.
    Past the last level's limit the issue stays there, overdue. A resolved issue stops where it
    was at ``resolved_at`` and is never overdue.
    """
    opened = _utc(opened_at, "opened_at")
    moment = _utc(now, "now")
    if moment < opened:
        raise ValueError(f"now ({moment.isoformat()}) is before opened_at ({opened.isoformat()})")
    if not levels:
        raise ValueError("levels: the escalation path needs at least one level")
    resolved = False
    if resolved_at is not None:
        resolved_moment = _utc(resolved_at, "resolved_at")
        if resolved_moment < opened:
            raise ValueError("resolved_at is before opened_at")
        if resolved_moment <= moment:
            moment, resolved = resolved_moment, True
    started = opened
    for number, level in enumerate(levels, start=1):
        if not isinstance(level, EscalationLevel):
            raise ValueError(f"levels[{number - 1}] must be an EscalationLevel")
        expires = add_business_days(started, level.time_limit_days, holidays)
        if moment <= expires or number == len(levels):
            overdue = moment > expires and not resolved
            return EscalationState(
                number, level.name, level.owner_role, started, expires, overdue, resolved
            )
        started = expires
    raise AssertionError("unreachable: the last level always returns")
