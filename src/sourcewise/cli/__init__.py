"""The ``sourcewise`` command line: a thin skin over the services.

Only the root group is built at start-up: each command's module is imported when that command
runs or shows its help (``cli/lazy_group.py``), and heavy modules (numpy, pydantic, the
services) are imported inside each command, so ``sourcewise --help`` loads none of them.

Exit codes: 0 success, 1 invalid input (every problem printed), 2 usage error, 3 no portfolio
meets the constraints (optimise).
"""

from sourcewise.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app(prog_name="sourcewise")
