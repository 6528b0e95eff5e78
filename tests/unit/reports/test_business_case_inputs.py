"""The business case's assumptions table: the tool's defaults carry their published citations."""

from __future__ import annotations

from sourcewise.adapters.scenario_file import load_scenario_text
from sourcewise.reports.business_case_inputs import assumptions

OFFSHORE_VENDOR = """\
company:
  name: Acme
  home_country: US
  start_year: 2026
functions:
  - name: Support
    kind: it_support
    fte: 10
    current_annual_cost: 900000
    options:
      - name: Vendor
        employer: third_party
        country: IN
        hourly_rate: 20
"""


def test_the_hand_over_defaults_are_cited_with_their_published_ranges() -> None:
    scenario, problems = load_scenario_text(OFFSHORE_VENDOR, "s.yaml")
    assert problems == []
    assert scenario is not None
    rows = {row.input: row for row in assumptions(scenario, None).uncertain}
    layoffs = rows["Vendor: layoff retention share"]
    transition = rows["Vendor: transition share"]
    assert "layoffs and retention 3–5%, mode 4%" in layoffs.source
    assert "transition 2–3%, mode 2.5% of the first year's fees" in transition.source
    assert all("Overby 2003" in row.source for row in (layoffs, transition))
    assert not layoffs.given
    assert not transition.given


def test_the_parallel_running_default_is_listed_with_its_reason() -> None:
    scenario, _ = load_scenario_text(OFFSHORE_VENDOR, "s.yaml")
    assert scenario is not None
    [row] = [d for d in assumptions(scenario, None).defaults if d.name == "Parallel running"]
    assert row.value == "100% of the home team of each slice in hand-over"
    assert "parallel_running_share" in row.citation
