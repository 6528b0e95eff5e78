"""Governance results as Rich tables: SLA month, drift alerts, scorecards, benefits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from rich import box
from rich.console import Console
from rich.table import Table

from sourcewise.governance.benefits import BenefitReport
from sourcewise.governance.control_charts import Rule
from sourcewise.governance.scorecard import Scorecard
from sourcewise.governance.service_levels import Status
from sourcewise.reports.numbers import day, fixed, measure, money, month_short, percent
from sourcewise.reports.numbers import month as month_name
from sourcewise.services.monitoring import DriftAlert
from sourcewise.services.sla import SlaReport

RULE_TEXT = {
    Rule.BEYOND_3_SIGMA: "beyond 3σ",
    Rule.TWO_OF_THREE_BEYOND_2_SIGMA: "2 of 3 beyond 2σ",
    Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA: "4 of 5 beyond 1σ",
    Rule.EIGHT_ON_ONE_SIDE: "8 in a row on one side",
    Rule.EWMA_BEYOND_LIMIT: "EWMA beyond its limit",
}
STATUS_STYLE = {
    Status.MET: "green",
    Status.WARNING_50: "yellow",
    Status.WARNING_75: "dark_orange",
    Status.BREACH: "bold red",
    Status.INSUFFICIENT_SAMPLE: "dim",
    Status.NO_DATA: "dim",
}
STATUS_TEXT = {
    Status.MET: "met",
    Status.WARNING_50: "warning (≥50 %)",
    Status.WARNING_75: "warning (≥75 %)",
    Status.BREACH: "BREACH",
    Status.INSUFFICIENT_SAMPLE: "sample too small",
    Status.NO_DATA: "no data",
}


def with_unit(value: float | None, unit: str, like: float | None = None) -> str:
    """A measure in its unit, to the decimals ``like`` (the target) calls for."""
    return measure(value, unit, like, missing="n/a")


def render_sla(report: SlaReport, console: Console | None = None) -> None:
    console = console or Console()
    e, month = report.engagement, report.last
    table = Table(
        title=f"{e.name} — service levels, {month_name(month.month)}",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    for header, justify in (
        ("Service level", "left"),
        ("Kind", "left"),
        ("Target", "right"),
        ("Attained", "right"),
        ("Used", "right"),
        ("Status", "left"),
    ):
        table.add_column(header, justify=justify, no_wrap=header != "Service level")  # type: ignore[arg-type]
    for r in month.results:
        level = r.service_level
        sign = "≥" if level.direction.value == "higher_is_better" else "≤"
        used = percent(r.consumption, missing="n/a")
        table.add_row(
            level.name,
            "critical" if level.kind.value == "critical" else "key meas.",
            f"{sign} {with_unit(level.target, level.unit)}",
            with_unit(r.attained, level.unit, level.target),
            used,
            f"[{STATUS_STYLE[r.status]}]{STATUS_TEXT[r.status]}[/]",
        )
    console.print(table)
    console.print(
        "Used: share of the allowed shortfall (target to ideal) used up; warnings at 50 % "
        "and 75 %, breach past 100 %."
    )
    c = month.credits
    cur = e.currency
    console.print(
        f"Fees {money(c.fees, cur)} ({month.fees_source}); at risk {money(c.at_risk, cur)}."
    )
    for line in c.lines:
        console.print(
            f"  credit: {line.service_level} — {line.allocation_pct:f} % of the pool × factor "
            f"{fixed(line.factor, 2)} = {money(line.amount, cur)}"
        )
    capped = f" (capped by the {c.capped_by} cap)" if c.capped_by and not c.waived else ""
    console.print(
        f"Credit this month {money(c.credit, cur)}{capped}; earned back "
        f"{money(c.earned_back, cur)}; net {money(c.net, cur)}."
    )
    if c.waived:
        used = ", ".join(month_short(m) for m in c.credit_months)
        console.print(
            f"Waived {money(c.waived, cur)}: credits are payable in at most "
            f"{e.max_credit_months} months of a contract year, and {used} had them."
        )
    total = sum((m.credits.net for m in report.months), Decimal(0))
    console.print(f"Net credits since {month_name(report.months[0].month)}: {money(total, cur)}.")


def render_drift(alerts: Sequence[DriftAlert], console: Console | None = None) -> None:
    console = console or Console()
    if not alerts:
        console.print("No drift: every KPI series is in statistical control.")
        return
    console.print(
        f"[bold]{len(alerts)} drift alert{'s' if len(alerts) != 1 else ''}[/] "
        "(one per episode of a rule, newest first; limits from the first points of each series):"
    )
    for a in alerts:
        kpi = a.kpi if not a.series else f"{a.kpi} [{a.series}]"
        span = day(a.first) if a.first == a.last else f"{day(a.first)} → {day(a.last)}"
        points = f"{a.points} point{'s' if a.points != 1 else ''}"
        console.print(
            f"• [bold]{kpi}[/] — {RULE_TEXT[a.rule]}, {span} ({points}). {a.description}",
            highlight=False,
        )


SHORT_DOMAIN = {
    "quality": "Qual",
    "delivery": "Deliv",
    "cost": "Cost",
    "relationship": "Relat",
    "risk": "Risk",
    "service_levels": "SLA",
}


def render_scorecards(cards: Sequence[Scorecard], console: Console | None = None) -> None:
    console = console or Console()
    if not cards:
        console.print("No scorecards.")
        return
    domains = [d.domain for d in cards[-1].domains]
    table = Table(
        title=f"Scorecard — {cards[-1].provider}",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
        # One space between columns (the box's own): six domains still fit 80 characters.
        padding=(0, 0),
    )
    table.add_column("Month", no_wrap=True)
    for domain in domains:
        table.add_column(SHORT_DOMAIN[domain.value], justify="right", no_wrap=True)
    for header in ("Score", "Grade", "Δ", "Data"):
        table.add_column(header, justify="right", no_wrap=True)
    for card in cards:
        scores = {d.domain: d.score for d in card.domains}
        change = fixed(card.change, signed=True, missing="")
        table.add_row(
            month_short(card.period),
            *(fixed(scores.get(d), 0) for d in domains),
            fixed(card.overall),
            card.grade or "–",
            change,
            percent(card.coverage),
        )
    console.print(table)
    console.print("Scores 0–100 (80 = on target); Data: share of the domain weights with data.")


def render_benefits(
    name: str,
    report: BenefitReport,
    currency: str,
    planned_case: str | None,
    console: Console | None = None,
) -> None:
    console = console or Console()
    console.print(
        f"Plan: the approved case {planned_case}."
        if planned_case
        else "Plan: the business case of the engagement file (no approved case is linked: "
        "`sourcewise engagement link`).",
        markup=False,
        highlight=False,
    )
    table = Table(
        title=f"{name} — benefit realisation ({currency})",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    for header in ("Month", "Planned saving", "Actual saving", "Variance", "Cum. variance"):
        table.add_column(header, justify="right")
    for m in report.months:
        table.add_row(
            month_short(m.month),
            money(m.planned_saving, missing="n/a"),
            money(m.actual_saving, missing="n/a"),
            money(m.variance, missing="n/a"),
            money(m.cumulative_variance, missing="n/a"),
        )
    console.print(table)

    def month(d: date | None) -> str:
        return month_name(d, missing="not yet")

    realised = percent(report.realisation, missing="n/a") + (
        "" if report.realisation is None else " of plan"
    )
    console.print(
        f"Break-even: planned {month(report.planned_breakeven)}, actual "
        f"{month(report.actual_breakeven)}, forecast {month(report.forecast_breakeven)}."
    )
    console.print(
        f"Run-rate saving {money(report.run_rate, currency)} a month; realised {realised}. "
        f"Forecast: {report.forecast_note}."
    )
