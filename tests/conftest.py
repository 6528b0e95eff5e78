from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

# The suite must give the same verdict on every run: property tests use a fixed derandomised
# search and no time limit per example (the CI machine may be slower). Explore with
# `pytest --hypothesis-seed=N` or another profile.
settings.register_profile("sourcewise", derandomize=True, deadline=None)
settings.load_profile("sourcewise")


@pytest.fixture
def examples_dir() -> Path:
    return ROOT / "examples"
