"""The JSON that decide, simulate and optimise print for every example is exactly the document
their published schema (`sourcewise schema --decision` and the others) describes."""

import json
from pathlib import Path
from typing import Any

import jsonschema_rs  # a test dependency (through schemathesis): an independent validator
import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from sourcewise.cli import app
from sourcewise.reports.decision_document import DecisionDocument
from sourcewise.reports.document import SCHEMA_VERSION
from sourcewise.reports.plan_document import PlanDocument
from sourcewise.reports.simulation_document import SimulationDocument

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
runner = CliRunner()

COMMANDS = [
    ("decide", "--decision", DecisionDocument),
    ("simulate", "--simulation", SimulationDocument),
    ("optimise", "--plan", PlanDocument),
]


def printed(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize(("command", "flag", "model"), COMMANDS, ids=lambda c: str(c))
def test_every_example_gives_the_documented_json(
    example: Path, command: str, flag: str, model: type[BaseModel]
) -> None:
    text = printed(command, str(example), "--format", "json", "--draws", "200", "--seed", "7")
    document = json.loads(text)
    assert document["schema_version"] == SCHEMA_VERSION
    # Parsed strictly: no coercion, every key present, no key the model does not describe.
    parsed = model.model_validate_json(text, strict=True)
    assert parsed.model_dump(mode="json") == document
    # And the published schema, read by another implementation, accepts it.
    schema = json.loads(printed("schema", flag))
    jsonschema_rs.validator_for(schema).validate(document)


def test_the_schema_refuses_a_key_it_does_not_describe() -> None:
    example = str(ROOT / "examples/us-customer-service.yaml")
    document = json.loads(printed("decide", example, "-f", "json", "--draws", "0"))
    schema = jsonschema_rs.validator_for(json.loads(printed("schema", "--decision")))
    schema.validate(document)
    document["functions"][0]["options"][1]["breakeven_month"] = 12
    assert not schema.is_valid(document)


def test_one_name_and_one_shape_per_key_across_the_documents() -> None:
    """A key has one shape wherever it appears in decide, simulate and optimise: the same JSON
    Schema (descriptions aside; nullable or not), unless it is one of the generic words below."""
    from sourcewise.reports.document import json_schema

    shapes: dict[str, dict[str, Any]] = {}
    for _, _, model in COMMANDS:
        schema = json_schema(model)  # type: ignore[arg-type]
        definitions = schema["$defs"]

        def shape(node: dict[str, Any], defs: dict[str, Any] = definitions) -> Any:
            if "$ref" in node:
                return shape(defs[node["$ref"].rsplit("/", 1)[-1]])
            alternatives = [a for a in node.get("anyOf", []) if a != {"type": "null"}]
            if len(alternatives) == 1:
                return shape(alternatives[0])
            return {k: v for k, v in node.items() if k not in ("description", "title")}

        for definition in [schema, *definitions.values()]:
            for key, value in definition.get("properties", {}).items():
                where = f"{model.__name__}: {definition['title']}.{key}"
                shapes.setdefault(key, {})[where] = shape(value)
    clashes = {
        key: found
        for key, found in shapes.items()
        if key not in GENERIC and len({json.dumps(s, sort_keys=True) for s in found.values()}) > 1
    }
    assert not clashes


GENERIC = {
    # The records of a list differ by document: decide's functions and options are assessed,
    # simulate's simulated; each document describes its own.
    "functions",
    "options",
    # A score component's name is one of the components, every other name free text.
    "name",
}


def test_decide_says_what_knowing_more_is_worth_and_how_the_recommendation_stands() -> None:
    example = str(ROOT / "examples/us-customer-service.yaml")
    document = json.loads(printed("decide", example, "-f", "json", "--draws", "2000"))
    [function] = document["functions"]
    information = function["information"]
    recommended = function["recommendation"]["option"]
    options = {o["name"]: o for o in function["options"]}
    means = {name: o["npv_cost_distribution"]["mean"] for name, o in options.items()}
    assert information["cheapest"] == min(means, key=lambda name: means[name])
    assert information["recommended_is_cheapest"] is (recommended == information["cheapest"])
    assert information["cost_gap"] == pytest.approx(
        means[recommended] - means[information["cheapest"]], abs=0.02
    )
    assert information["recommended_value"] == pytest.approx(
        information["cost_gap"] + information["perfect_value"], abs=0.02
    )
    assert 0 < information["perfect_value_se"] < information["perfect_value"]
    assert 0 < len(information["inputs"]) <= 5
    values = [i["value"] for i in information["inputs"]]
    assert values == sorted(values, reverse=True)
    assert all(0 <= v <= information["perfect_value"] for v in values)
    for pilot in information["pilots"]:
        assert 0 <= pilot["best"]["value"] <= pilot["perfect_value"]
    assert information["summary"][0].startswith(
        f"The recommended option, {recommended}, is not the cheapest"
    )
    without = json.loads(printed("decide", example, "-f", "json", "--draws", "0"))
    assert without["functions"][0]["information"] is None
