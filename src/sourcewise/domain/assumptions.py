"""The tool's default assumptions: what a scenario that says nothing else is taken to mean,
each with its origin. The scenario file's format applies them; the business case cites them.
"""

from __future__ import annotations

from sourcewise.domain.arrangement import Arrangement

DEFAULT_BILLABLE_HOURS = 1800.0
"""40 hours × 45 weeks: a full-time year net of leave and public holidays."""

DEFAULT_WAGE_INFLATION = 0.03

DEFAULT_GOVERNANCE_OVERHEAD = {
    # Share of run cost spent managing the arrangement. Offshore outsourcing: midpoint of the
    # 6–10% of contract value for "managing the contract" reported by S. Overby, "The hidden
    # costs of offshore outsourcing", CIO Magazine, 2003. Domestic outsourcing: that range's low
    # end (no distance). Captive offshoring: a sourcewise assumption for running a remote own
    # centre (head-office oversight without a vendor contract). In-house: already in the cost.
    Arrangement.IN_HOUSE: 0.0,
    Arrangement.DOMESTIC_OUTSOURCING: 0.06,
    Arrangement.CAPTIVE_OFFSHORING: 0.05,
    Arrangement.OFFSHORE_OUTSOURCING: 0.08,
}

# Hidden costs of services offshoring. Ranges from S. Overby, "The hidden costs of offshore
# outsourcing", CIO Magazine, 2003, as shares of contract value: vendor selection 0.2-2%,
# transition 2-3%, layoffs and retention 3-5%, lost productivity and cultural issues 3-27%,
# improving development processes 1-10%, managing the contract 6-10%. The modes are sourcewise
# assumptions: the lower part of each range (the middle for the two narrow one-off ranges),
# lower still for coordination when nearshore or working home hours.
HIDDEN_COST_RANGES = {
    "vendor_selection_share": (0.002, 0.01, 0.02),
    "transition_share": (0.02, 0.025, 0.03),
    "layoff_retention_share": (0.03, 0.04, 0.05),
    "coordination_loss": (0.03, 0.08, 0.27),
    "coordination_loss_near": (0.03, 0.05, 0.27),
    "rework_share": (0.01, 0.03, 0.10),
    "governance_overhead": (0.06, 0.08, 0.10),
}

DEFAULT_PARALLEL_RUNNING_SHARE = 1.0
"""Share of the home team's cost still paid for each slice of work during its hand-over.
Practitioner accounts (Overby 2003; contact-centre transition playbooks) have the incumbent team
doing 85-100 % of a wave's work until its cut-over, so the whole team of the slice is kept: 1.
No published figure exists for a smaller retained share (docs/simulate.md)."""

DEFAULT_GOODS_GOVERNANCE_OVERHEAD = {
    # Goods are bought by the unit, so supplier management is a smaller share of spend than
    # contract management of a service. A sourcewise assumption, not a published figure:
    # 2% for a supplier at home, 3% abroad (quality audits, travel to the plant, expediting).
    Arrangement.IN_HOUSE: 0.0,
    Arrangement.DOMESTIC_OUTSOURCING: 0.02,
    Arrangement.CAPTIVE_OFFSHORING: 0.03,
    Arrangement.OFFSHORE_OUTSOURCING: 0.03,
}
