"""What a decision run keeps as its result: the decide document and, when draws were asked,
the simulation document, as the web app's jobs and the API return them."""

from __future__ import annotations

from typing import Any

from sourcewise.reports.decision_json import decision_to_dict
from sourcewise.reports.simulation_json import simulation_to_dict
from sourcewise.services.decide import Decision


def run_result(decision: Decision) -> dict[str, Any]:
    simulation = decision.simulation
    return {
        "decision": decision_to_dict(decision),
        "simulation": None if simulation is None else simulation_to_dict(simulation),
    }
