"""The command line's simulation defaults are the engine's."""

from sourcewise.cli.app import DEFAULT_DRAWS, DEFAULT_SEED
from sourcewise.services import simulate


def test_cli_defaults_match_the_engine() -> None:
    assert (DEFAULT_DRAWS, DEFAULT_SEED) == (simulate.DEFAULT_DRAWS, simulate.DEFAULT_SEED)
