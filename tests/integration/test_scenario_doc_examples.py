"""The scenario snippets the docs show are valid: each is put into the bundled example where
the docs say it goes, and the file must then pass `validate` with the snippet's values in use."""

from __future__ import annotations

import re
from pathlib import Path

from sourcewise.services.scenarios import read_scenario_text

ROOT = Path(__file__).resolve().parents[2]


def _yaml_block_after(page: str, marker: str) -> str:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    start = text.index(marker)
    found = re.compile(r"^```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL).search(text, start)
    assert found is not None, f"docs/{page}: no yaml block after {marker!r}"
    return found.group(1)


def _with_function_section(snippet: str) -> str:
    """The US example with ``snippet`` (a function-level section) before its options."""
    example = (ROOT / "examples" / "us-customer-service.yaml").read_text(encoding="utf-8")
    return example.replace("\n    options:\n", "\n" + snippet + "    options:\n", 1)


def test_the_ahp_example_in_decision_md_is_complete_and_valid() -> None:
    snippet = _yaml_block_after("decision.md", "An `ahp:` section")
    scenario, problems = read_scenario_text(_with_function_section(snippet), "ahp.yaml")
    assert problems == []
    assert scenario is not None
    judgements = scenario.functions[0].profile.ahp_judgements
    assert judgements is not None
    assert len(judgements) == 21


def test_a_pair_left_out_is_reported() -> None:
    snippet = _yaml_block_after("decision.md", "An `ahp:` section")
    broken = snippet.replace("      control: {country_risk: 0.5}\n", "")
    _, problems = read_scenario_text(_with_function_section(broken), "ahp.yaml")
    assert any("ahp" in str(problem) for problem in problems)


def test_the_matrix_file_quoted_in_decision_md_is_the_bundled_one() -> None:
    text = (ROOT / "docs" / "decision.md").read_text(encoding="utf-8")
    start = text.index("`examples/provider-shortlist.csv`:")
    quoted = text[
        text.index("```text\n", start) + len("```text\n") : text.index("```\n", start + 40)
    ]
    bundled = (ROOT / "examples" / "provider-shortlist.csv").read_text(encoding="utf-8")
    assert quoted == bundled
