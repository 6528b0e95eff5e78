from pathlib import Path

import pytest
from hypothesis import is_hypothesis_test, settings

ROOT = Path(__file__).resolve().parents[1]

# The suite must give the same verdict on every run: property tests use a fixed derandomised
# search and no time limit per example (the CI machine may be slower). Explore with
# `pytest --hypothesis-seed=N` or another profile.
settings.register_profile("sourcewise", derandomize=True, deadline=None)
settings.load_profile("sourcewise")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every Hypothesis test is a property test, so `make unit` (-m "not slow and not
    property") leaves them all to `make test`: together they cost more than the rest of
    tests/unit."""
    for item in items:
        if isinstance(item, pytest.Function) and is_hypothesis_test(item.obj):
            item.add_marker(pytest.mark.property)


@pytest.fixture
def examples_dir() -> Path:
    return ROOT / "examples"
