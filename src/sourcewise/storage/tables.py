"""The governance schema as SQLAlchemy Core tables: one metadata that Alembic migrates and the
repositories query. Money is ``ExactDecimal`` (``NUMERIC`` on PostgreSQL, text on SQLite;
always ``Decimal``); timestamps are stored in UTC without zone (SQLite has none); JSON columns
hold small lists only."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from sourcewise.storage.types import ExactDecimal

# Stable constraint names so that migrations can refer to them on every database.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Money = ExactDecimal(18, 4)
Percent = ExactDecimal(9, 4)


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _engagement(nullable: bool = False) -> Column[int]:
    return Column(
        "engagement_id",
        Integer,
        ForeignKey("engagements.id", ondelete="CASCADE"),
        nullable=nullable,
        index=True,
    )


providers = Table(
    "providers",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("country", String(2), nullable=False),
    Column("notes", Text, nullable=False, default=""),
    CheckConstraint("kind IN ('vendor', 'captive')", name="kind"),
)

engagements = Table(
    "engagements",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("function", String(200), nullable=False),
    Column("arrangement", String(40), nullable=False),
    Column("home_country", String(2), nullable=False),
    Column("country", String(2), nullable=False),
    Column("provider_id", Integer, ForeignKey("providers.id"), nullable=False, index=True),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=True),
    Column("currency", String(3), nullable=False),
    Column("at_risk_pct", Percent, nullable=False),
    Column("monthly_cap_pct", Percent, nullable=True),
    Column("annual_cap_pct", Percent, nullable=True),
    Column("max_credit_months", Integer, nullable=True),
    Column("business_case", JSON, nullable=True),
    # Scorecard weights, corrective-action defaults, remedies (``storage.steering_terms``).
    Column("steering", JSON, nullable=True),
    CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
    CheckConstraint("CAST(at_risk_pct AS NUMERIC) BETWEEN 0 AND 100", name="at_risk"),
    CheckConstraint("max_credit_months BETWEEN 1 AND 12", name="max_credit_months"),
)

contracts = Table(
    "contracts",
    metadata,
    _id(),
    _engagement(),
    Column("reference", String(100), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("parent_id", Integer, ForeignKey("contracts.id", ondelete="CASCADE"), nullable=True),
    Column("title", String(300), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=True),
    Column("monthly_fee", Money, nullable=False),
    # The contract calendar (governance.contract_calendar); dates lists as ISO strings.
    Column("total_value", Money, nullable=True),
    Column("notice_period", Integer, nullable=True),
    Column("notice_unit", String(6), nullable=True),
    Column("auto_renewal", Boolean, nullable=False, server_default=false()),
    Column("renewal_term_months", Integer, nullable=True),
    Column("renewal_decision", String(12), nullable=False, server_default="pending"),
    Column("price_review_dates", JSON, nullable=False, server_default="[]"),
    Column("benchmarking_dates", JSON, nullable=False, server_default="[]"),
    Column("termination_assistance_months", Integer, nullable=True),
    Column("termination_assistance_terms", Text, nullable=False, server_default=""),
    UniqueConstraint("engagement_id", "reference", name="uq_contracts_reference"),
    CheckConstraint("kind IN ('master_agreement', 'statement_of_work')", name="kind"),
    CheckConstraint("CAST(monthly_fee AS NUMERIC) >= 0", name="fee"),
    CheckConstraint("CAST(total_value AS NUMERIC) >= 0", name="total_value"),
    CheckConstraint("notice_unit IN ('months', 'days')", name="notice_unit"),
    CheckConstraint(
        "renewal_decision IN ('pending', 'renew', 'renegotiate', 'terminate')",
        name="renewal_decision",
    ),
)

service_levels = Table(
    "service_levels",
    metadata,
    _id(),
    _engagement(),
    Column("name", String(200), nullable=False),
    Column("metric", String(64), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("target", Float, nullable=False),
    Column("direction", String(20), nullable=False),
    Column("unit", String(20), nullable=False),
    Column("window", String(10), nullable=False),
    Column("minimum_sample", Integer, nullable=False),
    Column("best", Float, nullable=True),
    Column("aggregation", String(10), nullable=False),
    Column("allocation_pct", Percent, nullable=False),
    Column("prorated", Boolean, nullable=False),
    Column("full_credit_shortfall", Float, nullable=True),
    Column("earn_back_months", Integer, nullable=False),
    UniqueConstraint("engagement_id", "name", name="uq_service_levels_name"),
)

kpi_definitions = Table(
    "kpi_definitions",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("unit", String(20), nullable=False),
    Column("direction", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("domain", String(20), nullable=False),
    Column("aggregation", String(10), nullable=False),
    Column("scale_min", Float, nullable=True),
    Column("scale_max", Float, nullable=True),
    Column("currency", String(3), nullable=True),
)

measurements = Table(
    "measurements",
    metadata,
    _id(),
    _engagement(),
    Column("kpi", String(64), nullable=False),
    Column("period", DateTime, nullable=False),
    Column("series", String(100), nullable=False, default=""),
    Column("value", Float, nullable=False),
    Column("sample_size", Integer, nullable=True),
    Column("source", String(300), nullable=False),
    Column("ingested_at", DateTime, nullable=False),
    # The natural key: loading the same file twice finds every row already there.
    UniqueConstraint("engagement_id", "kpi", "period", "series", name="uq_measurements_key"),
)
Index("ix_measurements_kpi_period", measurements.c.kpi, measurements.c.period)

monthly_costs = Table(
    "monthly_costs",
    metadata,
    _id(),
    _engagement(),
    Column("month", Date, nullable=False),
    Column("fees", Money, nullable=False),
    Column("internal_costs", Money, nullable=False),
    Column("one_off_costs", Money, nullable=False),
    UniqueConstraint("engagement_id", "month", name="uq_monthly_costs_month"),
)

planned_months = Table(
    "planned_months",
    metadata,
    _id(),
    _engagement(),
    Column("month", Date, nullable=False),
    Column("baseline_cost", Money, nullable=False),
    Column("planned_cost", Money, nullable=False),
    UniqueConstraint("engagement_id", "month", name="uq_planned_months_month"),
)

risks = Table(
    "risks",
    metadata,
    _id(),
    Column("code", String(40), nullable=False, unique=True),
    _engagement(nullable=True),
    Column("title", String(300), nullable=False),
    Column("category", String(40), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("inherent_likelihood", Integer, nullable=False),
    Column("inherent_impact", Integer, nullable=False),
    Column("residual_likelihood", Integer, nullable=False),
    Column("residual_impact", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("mitigations", JSON, nullable=False),
    Column("triggers", JSON, nullable=False),
    CheckConstraint(
        "inherent_likelihood BETWEEN 1 AND 5 AND inherent_impact BETWEEN 1 AND 5 "
        "AND residual_likelihood BETWEEN 1 AND 5 AND residual_impact BETWEEN 1 AND 5",
        name="scales",
    ),
)

risk_history = Table(
    "risk_history",
    metadata,
    _id(),
    Column("risk_id", Integer, ForeignKey("risks.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("field", String(60), nullable=False),
    Column("before", Text, nullable=True),
    Column("after", Text, nullable=True),
)

playbook_runs = Table(
    "playbook_runs",
    metadata,
    _id(),
    Column("risk_id", Integer, ForeignKey("risks.id", ondelete="CASCADE"), nullable=False),
    Column("trigger", String(300), nullable=False),
    Column("reason", Text, nullable=False),
    Column("opened_at", DateTime, nullable=False),
    Column("resolved_at", DateTime, nullable=True),
)

playbook_actions = Table(
    "playbook_actions",
    metadata,
    _id(),
    Column("run_id", Integer, ForeignKey("playbook_runs.id", ondelete="CASCADE"), nullable=False),
    Column("action", Text, nullable=False),
    Column("owner_role", String(200), nullable=False),
    Column("due_at", DateTime, nullable=False),
    Column("done_at", DateTime, nullable=True),
)

audits = Table(
    "audits",
    metadata,
    _id(),
    _engagement(),
    Column("title", String(300), nullable=False),
    Column("auditor", String(200), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("scope", Text, nullable=False),
    UniqueConstraint("engagement_id", "title", "held_on", name="uq_audits_key"),
)

audit_findings = Table(
    "audit_findings",
    metadata,
    _id(),
    Column("audit_id", Integer, ForeignKey("audits.id", ondelete="CASCADE"), nullable=False),
    Column("reference", String(40), nullable=False),
    Column("description", Text, nullable=False),
    Column("severity", String(20), nullable=False),
    Column("action", Text, nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("closed_on", Date, nullable=True),
    CheckConstraint("severity IN ('low', 'medium', 'high', 'critical')", name="severity"),
)

surveys = Table(
    "surveys",
    metadata,
    _id(),
    _engagement(),
    Column("name", String(200), nullable=False),
    Column("period", Date, nullable=False),
    Column("audience", String(200), nullable=False),
    UniqueConstraint("engagement_id", "name", "period", name="uq_surveys_key"),
)

survey_questions = Table(
    "survey_questions",
    metadata,
    _id(),
    Column("survey_id", Integer, ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("scale_max", Integer, nullable=False),
    Column("responses", JSON, nullable=False),
    CheckConstraint("kind IN ('likert', 'nps')", name="kind"),
)

meetings = Table(
    "meetings",
    metadata,
    _id(),
    _engagement(),
    Column("kind", String(30), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("title", String(300), nullable=False),
    Column("milestone", String(300), nullable=True),
    Column("milestone_status", String(20), nullable=True),
    Column("attendees", JSON, nullable=False),
    UniqueConstraint("engagement_id", "kind", "held_on", "title", name="uq_meetings_key"),
    CheckConstraint("kind IN ('steering_committee', 'milestone_review')", name="kind"),
)

meeting_items = Table(
    "meeting_items",
    metadata,
    _id(),
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("text", Text, nullable=False),
    Column("owner", String(200), nullable=True),
    Column("due_on", Date, nullable=True),
    Column("done_on", Date, nullable=True),
    CheckConstraint("kind IN ('decision', 'action')", name="kind"),
)

pilots = Table(
    "pilots",
    metadata,
    _id(),
    _engagement(),
    Column("name", String(200), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("criteria", JSON, nullable=False),
    UniqueConstraint("engagement_id", "name", name="uq_pilots_name"),
)

audit_log = Table(
    "audit_log",
    metadata,
    _id(),
    Column("at", DateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_key", String(300), nullable=False),
    Column("action", String(10), nullable=False),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    CheckConstraint("action IN ('insert', 'update', 'delete')", name="action"),
)

# --- provider responses (migration 0008) ---------------------------------------------------

credit_responses = Table(
    "credit_responses",
    metadata,
    _id(),
    _engagement(),
    Column("month", Date, nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("comment", Text, nullable=False),
    Column("amount", Money, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", DateTime, nullable=False),
    CheckConstraint("verdict IN ('acknowledged', 'disputed')", name="verdict"),
)

finding_responses = Table(
    "finding_responses",
    metadata,
    _id(),
    Column("audit_id", Integer, ForeignKey("audits.id", ondelete="CASCADE"), nullable=False),
    Column("reference", String(40), nullable=False),
    Column("answer", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", DateTime, nullable=False),
)
Index("ix_finding_responses_audit", finding_responses.c.audit_id, finding_responses.c.reference)

# --- accounts (migration 0002) -------------------------------------------------------------

users = Table(
    "users",
    metadata,
    _id(),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(10), nullable=False),
    Column("provider_id", Integer, ForeignKey("providers.id"), nullable=True),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    # May approve or reject proposed business cases (migration 0004); never a provider.
    Column("approver", Boolean, nullable=False, server_default=false()),
    CheckConstraint("role IN ('admin', 'analyst', 'viewer', 'provider')", name="role"),
    CheckConstraint(
        "(role = 'provider') = (provider_id IS NOT NULL)", name="provider_only_for_providers"
    ),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    _id(),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=True),
    Column("revoked", Boolean, nullable=False),
    UniqueConstraint("user_id", "name", name="uq_api_tokens_name"),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(100), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

login_failures = Table(
    "login_failures",
    metadata,
    _id(),
    Column("key", String(200), nullable=False, index=True),
    Column("at", DateTime, nullable=False),
)


# --- the decision workspace (migration 0004) -----------------------------------------------

scenarios = Table(
    "scenarios",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("owner", String(200), nullable=False),
    Column("visibility", String(10), nullable=False),
    Column("created_at", DateTime, nullable=False),
    CheckConstraint("visibility IN ('private', 'team')", name="visibility"),
)

scenario_versions = Table(
    "scenario_versions",
    metadata,
    _id(),
    Column("scenario_id", Integer, ForeignKey("scenarios.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("author", String(200), nullable=False),
    Column("note", Text, nullable=False),
    # The text as the user wrote it (comments, order, sources), and its validated model.
    Column("text", Text, nullable=False),
    Column("model", JSON, nullable=False),
    Column("digest", String(64), nullable=False),
    UniqueConstraint("scenario_id", "version", name="uq_scenario_versions_version"),
    CheckConstraint("version >= 1", name="version"),
)

decision_runs = Table(
    "decision_runs",
    metadata,
    _id(),
    Column("version_id", Integer, ForeignKey("scenario_versions.id"), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("draws", Integer, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("software_version", String(40), nullable=False),
    Column("data_version", String(80), nullable=False),
    Column("result", JSON, nullable=False),
    Column("result_digest", String(64), nullable=False),
    Column("status", String(10), nullable=False),
    Column("proposed_by", String(200), nullable=True),
    Column("proposed_at", DateTime, nullable=True),
    Column("proposal_note", Text, nullable=True),
    Column("reviewed_by", String(200), nullable=True),
    Column("reviewed_at", DateTime, nullable=True),
    Column("review_comment", Text, nullable=True),
    CheckConstraint("status IN ('draft', 'proposed', 'approved', 'rejected')", name="status"),
    CheckConstraint("draws >= 0", name="draws"),
)

engagement_cases = Table(
    "engagement_cases",
    metadata,
    # The approved decision (run, function, option) an engagement is governed against.
    Column(
        "engagement_id",
        Integer,
        ForeignKey("engagements.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("run_id", Integer, ForeignKey("decision_runs.id"), nullable=False, index=True),
    Column("function", String(200), nullable=False),
    Column("option", String(200), nullable=False),
    Column("linked_at", DateTime, nullable=False),
    Column("linked_by", String(200), nullable=False),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("label", String(300), nullable=False),
    Column("status", String(10), nullable=False),
    Column("total", Integer, nullable=False),
    Column("done", Integer, nullable=False),
    # What the worker needs to run the job (scenario text, draws, seed, version to record).
    Column("payload", JSON, nullable=False),
    Column("result", JSON, nullable=True),
    Column("error", Text, nullable=True),
    Column("run_id", Integer, ForeignKey("decision_runs.id"), nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("worker", String(200), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("started_at", DateTime, nullable=True),
    Column("heartbeat_at", DateTime, nullable=True),
    Column("finished_at", DateTime, nullable=True),
    CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
    CheckConstraint("kind IN ('decision', 'simulation')", name="kind"),
)
Index("ix_jobs_status_created_at", jobs.c.status, jobs.c.created_at)

monitor_events = Table(
    "monitor_events",
    metadata,
    # One row per condition (``governance.alerts.condition_key``): a run that finds it again
    # only moves last_seen; the unique key is what makes ``monitor run`` idempotent.
    _id(),
    Column("key", String(64), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("engagement", String(200), nullable=False, index=True),
    Column("subject", String(500), nullable=False),
    Column("period", String(40), nullable=False),
    Column("summary", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("first_seen", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Column("state", String(15), nullable=False),
    Column("changed_by", String(200), nullable=True),
    Column("changed_at", DateTime, nullable=True),
    CheckConstraint("severity IN ('info', 'warning', 'critical')", name="severity"),
    CheckConstraint("state IN ('open', 'acknowledged', 'resolved')", name="state"),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    _id(),
    Column("username", String(200), nullable=False, index=True),
    Column("channel", String(10), nullable=False),
    Column("target", String(500), nullable=False),
    # None: every engagement the user may see.
    Column("engagement", String(200), nullable=True),
    Column("min_severity", String(10), nullable=False),
    Column("kinds", JSON, nullable=False),
    Column("digest", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    # A role subscription: everything the role is shown (of this provider's engagements, for
    # the provider role); username is then who set it up.
    Column("role", String(10), nullable=True),
    Column("provider", String(200), nullable=True),
    CheckConstraint("channel IN ('email', 'webhook')", name="channel"),
    CheckConstraint(
        "role IS NULL OR role IN ('admin', 'analyst', 'viewer', 'provider')", name="role"
    ),
)

deliveries = Table(
    "deliveries",
    metadata,
    _id(),
    Column(
        "event_id",
        Integer,
        ForeignKey("monitor_events.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "subscription_id",
        Integer,
        ForeignKey("subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("created_at", DateTime, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("sent_at", DateTime, nullable=True),
    # An event is told at most once per subscription.
    UniqueConstraint("subscription_id", "event_id", name="uq_deliveries_subscription_event"),
    CheckConstraint("status IN ('pending', 'sent')", name="status"),
)
Index("ix_deliveries_status", deliveries.c.status)

# Repeated runs inside the servers (the scheduled monitoring): one row per run name, claimed
# with a conditional update so that one process of many runs it each time it falls due.
scheduled_runs = Table(
    "scheduled_runs",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("next_due_at", DateTime, nullable=False),
    Column("last_started_at", DateTime, nullable=True),
    Column("last_finished_at", DateTime, nullable=True),
    Column("last_summary", Text, nullable=True),
    Column("last_error", Text, nullable=True),
)

corrective_action_plans = Table(
    "corrective_action_plans",
    metadata,
    # One plan per breach (``governance.corrective_actions``): the unique key is what keeps two
    # concurrent monitoring runs from opening it twice.
    _id(),
    Column("engagement", String(200), nullable=False, index=True),
    Column("service_level", String(200), nullable=False),
    Column("first_breach", Date, nullable=False),
    Column("last_breach", Date, nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("opened_at", DateTime, nullable=False),
    Column("state", String(10), nullable=False),
    Column("closed_by", String(200), nullable=True),
    Column("closed_at", DateTime, nullable=True),
    Column("closing_note", Text, nullable=False),
    UniqueConstraint(
        "engagement", "service_level", "first_breach", name="uq_corrective_action_plans_breach"
    ),
    CheckConstraint("state IN ('open', 'closed')", name="state"),
)
