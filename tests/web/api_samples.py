"""Files and seed data for the API tests: both providers' engagements get measurements, costs,
a business-case plan, risks, records and a pilot, so every governance route has something to
answer with (``seed_saved`` a saved scenario for the library's); ``HIDDEN_FROM_PROVIDERS`` names
text of that data no provider user may be shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from tests_web_helpers import SCENARIO_TEXT

from sourcewise.governance.benefits import PlannedMonth
from sourcewise.governance.records import BusinessCase
from sourcewise.security.users import Principal, Role
from sourcewise.services.costs import add_costs
from sourcewise.services.governance_records import add_records
from sourcewise.services.kpi_ingest import ingest_measurements
from sourcewise.services.risk_register import add_risks
from sourcewise.services.scenario_library import save_scenario
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.path_segments import quote_segment

OWN, OTHER = "Customer care", "Other care"
"""The provider user's engagement (Acme BPO), and the other provider's."""

BUSINESS_CASE = BusinessCase("business-case.yaml", "Customer service", "Bilingual nearshore option")
"""Give it to both engagements (``engagement(OWN, business_case=BUSINESS_CASE)``)."""

HIDDEN_FROM_PROVIDERS: dict[str, tuple[str, ...]] = {
    "business case": (BUSINESS_CASE.option,),
    "benefits": ("30000.00", "30,000.00"),  # a month's planned saving, in JSON and on a page
    "risks": ("Attrition of experienced agents",),
    "surveys": ("Would you renew the contract",),
    "meetings": ("Steering committee on the exit plan", "Draft the exit plan"),
}
"""What the seed data puts in each internal part, as text: internal users are shown each of
these somewhere, provider users none of them anywhere."""

ENGAGEMENT_YAML = """\
provider:
  name: Acme BPO
  kind: vendor
  country: PH
engagement:
  name: Back office
  function: Finance back office
  home_country: US
  country: PH
  start: 2026-01-01
  currency: USD
contracts:
  - reference: MSA-9
    kind: master_agreement
    title: Master
    start: 2026-01-01
  - reference: SOW-9
    kind: statement_of_work
    parent: MSA-9
    title: Payables
    start: 2026-01-01
    monthly_fee: 50000
service_credits:
  at_risk_pct: 10
service_levels:
  - name: Availability
    metric: availability
    kind: critical
    target: 99.5
    allocation_pct: 100
"""

MEASUREMENTS_CSV = """\
kpi,period,value,sample_size
availability,2026-01-15,99.25,
availability,2026-02-15,99.9,
"""

COSTS_CSV = """\
month,fees,internal_costs,one_off_costs
2026-01,100000.10,20000,0
2026-02,100000.10,20000,0
"""


def risks_yaml(own: str = OWN, other: str = OTHER) -> str:
    return f"""\
risks:
  - code: R-001
    title: Attrition of experienced agents
    category: talent_shortage
    engagement: {own}
    owner: Engagement manager
    inherent: {{likelihood: 4, impact: 4}}
    residual: {{likelihood: 3, impact: 4}}
    triggers:
      - kind: breach_streak
        service_level: Availability
        streak: 1
  - code: R-002
    title: Key supplier of the other provider fails
    category: vendor_failure
    engagement: {other}
    owner: Vendor manager
    inherent: {{likelihood: 2, impact: 3}}
    residual: {{likelihood: 2, impact: 2}}
  - code: R-003
    title: New data-protection rules for offshore processing
    category: regulatory_change
    owner: Legal counsel
    inherent: {{likelihood: 3, impact: 3}}
    residual: {{likelihood: 2, impact: 3}}
"""


def audits_yaml(engagement: str = OWN) -> str:
    return f"""\
audits:
  - engagement: {engagement}
    title: Q1 quality audit
    auditor: Internal audit
    held_on: 2026-03-18
    scope: Call quality sampling.
    findings:
      - reference: QA-1
        description: Card numbers visible.
        severity: critical
        action: Mask card numbers.
        owner: IT security lead
        due_on: 2026-04-15
      - reference: QA-2
        description: Recordings kept too long.
        severity: high
        action: Apply the retention rule.
        owner: Compliance manager
        due_on: 2026-12-31
"""


def pilot_yaml(engagement: str) -> str:
    return f"""\
pilots:
  - engagement: {engagement}
    name: Pilot
    start: 2026-01-01
    end: 2026-03-31
    criteria:
      - name: Defects
        kind: proportion
        direction: lower_is_better
        target: 2
        events: 10
        trials: 1000
"""


def surveys_yaml(engagement: str) -> str:
    return f"""\
surveys:
  - engagement: {engagement}
    name: Stakeholder pulse
    period: 2026-03
    audience: Store-operations leads
    questions:
      - code: renew
        text: Would you renew the contract with this provider?
        kind: likert
        scale_max: 5
        responses: [4, 5, 3, 4, 2]
"""


def meetings_yaml(engagement: str) -> str:
    return f"""\
meetings:
  - engagement: {engagement}
    kind: steering_committee
    held_on: 2026-04-21
    title: Steering committee on the exit plan
    attendees: [CFO delegate, Vendor manager]
    decisions:
      - Keep a second source in reserve.
    actions:
      - text: Draft the exit plan for the board.
        owner: Vendor manager
        due_on: 2026-05-15
"""


def _file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def seed(store: MemoryUnitOfWork, folder: Path) -> None:
    """Measurements, costs, plans, pilots, audits, surveys and meetings for both engagements;
    three risks."""

    def make() -> MemoryUnitOfWork:
        return store

    measurements = _file(folder, "m.csv", MEASUREMENTS_CSV)
    costs = _file(folder, "costs.csv", COSTS_CSV)
    for name in (OWN, OTHER):
        assert ingest_measurements(make, measurements, name).written
        add_costs(make, costs, name)
        add_records(make, _file(folder, f"pilot {name}.yaml", pilot_yaml(name)))
        add_records(make, _file(folder, f"audits {name}.yaml", audits_yaml(name)))
        add_records(make, _file(folder, f"surveys {name}.yaml", surveys_yaml(name)))
        add_records(make, _file(folder, f"meetings {name}.yaml", meetings_yaml(name)))
        plan = [
            PlannedMonth(date(2026, m, 1), Decimal("150000.00"), Decimal("120000.00"))
            for m in (1, 2)
        ]
        with store:
            store.ledger.put_plan(name, plan)
            store.commit()
    add_risks(make, _file(folder, "risks.yaml", risks_yaml()))


SAVED = "Plan <b>1</b> ../a/b"
"""A team scenario saved by the analyst in two versions; its name is hostile on purpose: every
route of the library takes it in its path."""
SAVED_SEGMENT = quote_segment(SAVED)
RATE_UP = ("discount_rate: 0.08", "discount_rate: 0.09")
"""What version 2 of ``SAVED`` changes in ``SCENARIO_TEXT``."""


def seed_saved(store: MemoryUnitOfWork) -> None:
    make = lambda: store  # noqa: E731
    analyst = Principal("analyst", Role.ANALYST)
    save_scenario(make, SCENARIO_TEXT, SAVED, "as received", analyst)
    save_scenario(make, SCENARIO_TEXT.replace(*RATE_UP), SAVED, "rate up", analyst)
