"""The top-level commands: what ``sourcewise --help`` says of each (``None``: hidden)
and the modules whose import registers it. Generated from cli/command_modules.py by
``make docs``; tests/integration/test_docs.py fails when it is stale."""

COMMANDS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "validate": (
        "Check a scenario file and report every problem at once, each with its line.",
        ("sourcewise.cli.scenario_commands",),
    ),
    "schema": (
        (
            "Print the JSON Schema of scenario files, or of a command's JSON output (its "
            "schema_version and the policy on changing it: docs/decide-json.md)."
        ),
        ("sourcewise.cli.scenario_commands",),
    ),
    "classify": (
        (
            "Classify one arrangement: in-house, domestic outsourcing, captive offshoring or "
            "offshore outsourcing, with nearshore flagged and the reason."
        ),
        ("sourcewise.cli.scenario_commands",),
    ),
    "decide": (
        "Compare every option of every function: arrangement, cost, savings, fit, recommendation.",
        ("sourcewise.cli.scenario_commands",),
    ),
    "simulate": (
        (
            "Total cost of ownership under uncertainty: NPV percentiles, probability of beating "
            "the status quo, break-even, hidden costs and what drives the saving, for every "
            "option."
        ),
        ("sourcewise.cli.scenario_commands",),
    ),
    "optimise": (
        (
            "Choose one option per function together, minimising risk-adjusted cost under the "
            "scenario's portfolio constraints (HiGHS MILP); compare with one arrangement for "
            "all."
        ),
        ("sourcewise.cli.scenario_commands",),
    ),
    "voi": (
        (
            "Value of information: what knowing everything (EVPI), one input or one option's "
            "inputs (EVPPI) or a pilot's result (EVSI, by pilot size against its cost) would "
            "save before choosing, for every function."
        ),
        ("sourcewise.cli.voi_commands",),
    ),
    "rank": (
        "Rank alternatives of your own decision matrix with a multi-criteria method.",
        ("sourcewise.cli.matrix_commands",),
    ),
    "scorecard": (
        "The provider's scorecard month by month: domain scores, grade (A–F) and trend.",
        ("sourcewise.cli.governance_commands",),
    ),
    "benefits": (
        (
            "Benefit realisation: the business case's planned savings against actual fees, "
            "service credits and internal costs; cumulative variance and forecast break-even. "
            "Names the approved case the plan comes from when the engagement is linked to one "
            "(`engagement link`)."
        ),
        ("sourcewise.cli.governance_commands",),
    ),
    "log": (
        "The audit log: every change, who made it, when, before and after (newest first).",
        ("sourcewise.cli.governance_commands",),
    ),
    "remedies": (
        "Contract remedies that repeated breaches call for, with their clauses.",
        ("sourcewise.cli.steering_commands",),
    ),
    "actions": (
        "Open actions from audits, steering committees and milestone reviews, by due date.",
        ("sourcewise.cli.record_commands",),
    ),
    "serve": (
        "Run the web app and REST API (OpenAPI docs at /api/docs).",
        ("sourcewise.cli.web_commands",),
    ),
    "worker": (
        "Run queued background jobs (decide and simulate) until stopped (SIGTERM or Ctrl-C).",
        ("sourcewise.cli.worker_commands",),
    ),
    "report": (
        (
            "Write the business case for a board: recommendation, savings under uncertainty, "
            "hidden costs, drivers, locations, ranks, key risks with their playbook, what to "
            "learn before deciding, pilot plan, assumptions."
        ),
        ("sourcewise.cli.report_commands",),
    ),
    "estimate": (
        (
            "A first estimate of what the function costs at home and in each candidate country, "
            "as own staff and through a vendor, every number with the source that says how it "
            "was made: BLS OEWS May 2023 pay for US roles, ILO earnings converted at PPP and "
            "the official rate elsewhere, and named assumptions (loads, seat cost, mark-up) "
            "with their citations."
        ),
        ("sourcewise.cli.estimate_commands",),
    ),
    "scenario": (
        (
            "Scenarios saved in the workspace, with immutable versions (save, list, show, diff, "
            "checkout, share), and scenarios as Excel workbooks (template, import, export)."
        ),
        (
            "sourcewise.cli.excel_commands",
            "sourcewise.cli.workspace_commands",
            "sourcewise.cli.estimate_commands",
        ),
    ),
    "locations": (
        (
            "Country facts for offshoring: time zones, language, governance, inflation, "
            "currency, data-transfer regime, with a score per kind of function."
        ),
        ("sourcewise.cli.location_commands",),
    ),
    "data": (
        "Rebuild the packaged reference data.",
        ("sourcewise.cli.data_commands",),
    ),
    "db": (
        "Create or migrate the governance database.",
        ("sourcewise.cli.governance_commands",),
    ),
    "engagement": (
        "Engagements: provider, contracts, service levels, business case.",
        (
            "sourcewise.cli.governance_commands",
            "sourcewise.cli.contract_commands",
            "sourcewise.cli.workspace_commands",
        ),
    ),
    "kpi": (
        "KPI definitions and measurements.",
        ("sourcewise.cli.governance_commands",),
    ),
    "costs": (
        "What each month actually cost.",
        ("sourcewise.cli.governance_commands",),
    ),
    "sla": (
        "Service levels and service credits.",
        ("sourcewise.cli.governance_commands",),
    ),
    "monitor": (
        (
            "Drift alerts on one engagement's KPIs (monitor -e NAME), or the automated "
            "monitoring of every engagement (monitor run --all)."
        ),
        ("sourcewise.cli.monitor_commands",),
    ),
    "notify": (
        "Notification subscriptions (e-mail or webhook) and the delivery log.",
        ("sourcewise.cli.monitor_commands",),
    ),
    "cap": (
        "Corrective-action plans opened by service-level breaches (monitor run opens them).",
        ("sourcewise.cli.steering_commands",),
    ),
    "audit": (
        "Regular audits of an engagement: findings, severity, actions and due dates.",
        ("sourcewise.cli.record_commands",),
    ),
    "survey": (
        "Stakeholder surveys (Likert and NPS) with confidence intervals and trends.",
        ("sourcewise.cli.record_commands",),
    ),
    "meeting": (
        "Joint steering committees and milestone reviews, with decisions and actions.",
        ("sourcewise.cli.record_commands",),
    ),
    "pilot": (
        "Start with a pilot before scaling: acceptance criteria and a go / extend / stop call.",
        ("sourcewise.cli.record_commands",),
    ),
    "risk": (
        "The risk register: risks with triggers on data, playbooks and the escalation path.",
        ("sourcewise.cli.risk_commands",),
    ),
    "run": (
        (
            "Decision runs of saved scenario versions: start, list, show, verify, compare; "
            "propose, approve, reject; report and export."
        ),
        ("sourcewise.cli.run_commands",),
    ),
    "user": (
        "Users of the web app and API, and their API tokens.",
        ("sourcewise.cli.web_commands",),
    ),
}
