from sourcewise.adapters.scenario_sources import scenario_sources
from sourcewise.adapters.yaml_source import parse_yaml
from sourcewise.domain.provenance import InputSource

TEXT = """\
company:
  name: Acme
  home_country: US
  discount_rate: 0.1
functions:
  - name: Care
    options:
      - name: Vendor
        hourly_rate: {dist: triangular, low: 10, mode: 12, high: 15, source: RFP answers}
        billable_hours_per_fte: 1700
      - name: Split
        parts:
          - share: 0.5
            hourly_rate: {dist: uniform, low: 9, high: 11}
"""


def test_each_input_given_by_the_file_with_its_source_and_line() -> None:
    found = scenario_sources(
        parse_yaml(TEXT, "s.yaml"),
        [
            "functions[0].options[0].hourly_rate",
            "functions[0].options[1].parts[0].hourly_rate",
            "functions[0].options[0].coordination_loss",
        ],
    )
    assert found.file == "s.yaml"
    assert found.inputs == {
        "functions[0].options[0].hourly_rate": InputSource(9, "RFP answers"),
        "functions[0].options[1].parts[0].hourly_rate": InputSource(14, None),
    }


def test_the_defaults_left_in_place() -> None:
    found = scenario_sources(parse_yaml(TEXT, "s.yaml"), [])
    # The company gives its discount rate; one site gives its billable hours, the other not.
    assert found.defaulted == {
        "horizon_years",
        "wage_inflation",
        "billable_hours_per_fte",
        "governance_overhead",
        "parallel_running_share",
    }
