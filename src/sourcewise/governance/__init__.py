"""Governing an arrangement once it runs: service levels and credits, KPIs, monitoring,
scorecards, corrective-action plans and contract remedies, risks, pilots, surveys and benefits.
Immutable records and pure functions; `Decimal` for contractual money; no I/O, no SQLAlchemy,
no pydantic."""
