"""The modules that register the ``sourcewise`` commands, in the order ``--help`` lists them.

Nothing imports them at start-up: ``make docs`` reads them into ``cli/catalogue.py`` (each
command's name, summary and modules), and the root group (``cli/lazy_group.py``) imports a
command's modules only when that command runs or shows its help. A new command module is added
here, then ``make docs`` is run.
"""

COMMAND_MODULES = tuple(
    f"sourcewise.cli.{name}"
    for name in (
        "scenario_commands",
        "voi_commands",
        "excel_commands",
        "matrix_commands",
        "location_commands",
        "data_commands",
        "governance_commands",
        "contract_commands",
        "monitor_commands",
        "steering_commands",
        "record_commands",
        "risk_commands",
        "workspace_commands",
        "run_commands",
        "web_commands",
        "worker_commands",
        "report_commands",
        "estimate_commands",
    )
)
