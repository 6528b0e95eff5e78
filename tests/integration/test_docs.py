"""Generated docs must match the code; run `make docs` when this fails."""

from pathlib import Path

import pytest

from sourcewise import docs_gen

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize(
    ("name", "generate"),
    [("cli.md", docs_gen.cli_markdown), ("scenario.md", docs_gen.scenario_markdown)],
)
def test_generated_doc_is_current(name: str, generate: object) -> None:
    assert callable(generate)
    assert (DOCS / name).read_text(encoding="utf-8") == generate(), f"run `make docs`: {name}"


def test_json_doc_names_every_option_key() -> None:
    from sourcewise.reports.decision_json import decision_to_dict

    text = (DOCS / "decide-json.md").read_text(encoding="utf-8")
    assert callable(decision_to_dict)
    for key in ("arrangement", "country", "provider", "npv_cost", "savings_vs_status_quo", "rules"):
        assert key in text
