"""The ``sourcewise`` command line: a thin skin over the services.

Heavy modules (numpy, pydantic, the services) are imported inside each command, so
``sourcewise --help`` starts without loading them.

Exit codes: 0 success, 1 invalid input (every problem printed), 2 usage error, 3 no portfolio
meets the constraints (optimise).
"""

# Importing a module registers its commands; --help lists them in this order.
# isort: off
from sourcewise.cli import scenario_commands  # noqa: F401
from sourcewise.cli import excel_commands  # noqa: F401
from sourcewise.cli import matrix_commands  # noqa: F401
from sourcewise.cli import location_commands  # noqa: F401
from sourcewise.cli import data_commands  # noqa: F401
from sourcewise.cli import governance_commands  # noqa: F401
from sourcewise.cli import contract_commands  # noqa: F401
from sourcewise.cli import monitor_commands  # noqa: F401
from sourcewise.cli import steering_commands  # noqa: F401
from sourcewise.cli import record_commands  # noqa: F401
from sourcewise.cli import risk_commands  # noqa: F401
from sourcewise.cli import workspace_commands  # noqa: F401
from sourcewise.cli import run_commands  # noqa: F401
from sourcewise.cli import web_commands  # noqa: F401
from sourcewise.cli import worker_commands  # noqa: F401
from sourcewise.cli import report_commands  # noqa: F401
from sourcewise.cli import estimate_commands  # noqa: F401
from sourcewise.cli import voi_commands  # noqa: F401

# isort: on
from sourcewise.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
