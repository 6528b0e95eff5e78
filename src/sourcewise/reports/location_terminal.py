"""Location rankings and country pages as Rich tables."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table

from sourcewise.domain.location_score import Component
from sourcewise.reports.numbers import readable
from sourcewise.services.locations import LocationAssessment

_SHORT = {
    Component.COST: "Cost",
    Component.TALENT_AND_LANGUAGE: "Tal",
    Component.GOVERNANCE: "Gov",
    Component.ECONOMIC: "Eco",
    Component.DATA_TRANSFER: "Data",
    Component.TIME_ZONE: "TZ",
    Component.INFRASTRUCTURE: "Inf",
    Component.LOGISTICS: "Log",
}


def _num(value: float | None, fmt: str = "{:.0f}") -> str:
    return "n/a" if value is None else fmt.format(value)


def render_ranking(ranked: Sequence[LocationAssessment], console: Console | None = None) -> None:
    console = console or Console()
    if not ranked:
        console.print("No countries to rank.")
        return
    home = ranked[0].home
    table = Table(
        title=f"Locations ranked from {home.name} ({home.business_city})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("Country", min_width=14, ratio=1)
    table.add_column("Score", justify="right", style="bold", no_wrap=True)
    table.add_column("Cov", justify="right", no_wrap=True)
    weights = {c.component: c.weight for c in ranked[0].score.components}
    shown = [
        c
        for c in Component
        if weights.get(c, 0.0) > 0 or any(a.score.component(c).weight > 0 for a in ranked)
    ]
    for c in shown:
        table.add_column(_SHORT[c], justify="right", no_wrap=True)
    table.add_column("h", justify="right", no_wrap=True)
    for index, a in enumerate(ranked, start=1):
        score = a.score
        flag = "*" if score.low_coverage else ""
        table.add_row(
            f"{index}. {a.country.name} ({a.country.iso2})",
            _num(score.score, "{:.1f}") + flag,
            f"{score.coverage:.0%}",
            *(_num(score.component(c).score) for c in shown),
            f"{a.overlap.mean_hours:.1f}",
        )
    table.caption = (
        "Sub-scores 0-100 on fixed scales (docs/locations.md): cost, talent and language, "
        "governance, economic risk, data transfer, time-zone fit, infrastructure, logistics; "
        "n/a = no data or does not apply, left out of the score. Cov: share of the weight "
        "that applies with data; "
        "* below 60%, ranked after the others. h: mean shared working hours a day."
    )
    table.caption_justify = "left"
    console.print(table)


def render_location(a: LocationAssessment, console: Console | None = None) -> None:
    console = console or Console()
    score = a.score
    console.rule(f"[bold]{a.country.name} ({a.country.iso2})[/] from {a.home.name}")
    console.print(
        f"Score [bold]{_num(score.score, '{:.1f}')}[/] of 100 · coverage {score.coverage:.0%}"
        + (
            " · [red]low coverage: the score rests on too little data[/]"
            if score.low_coverage
            else ""
        )
    )
    parts = Table(title="Score components", title_justify="left")
    parts.add_column("Component")
    parts.add_column("Score", justify="right")
    parts.add_column("Weight", justify="right")
    parts.add_column("Why")
    for c in score.components:
        parts.add_row(str(c.component), _num(c.score, "{:.1f}"), f"{c.weight:.0%}", c.explanation)
    console.print(parts)
    overlap = a.overlap
    days = a.holidays
    console.print(
        f"Working-hour overlap {overlap.year} ({a.home.business_city} ↔ {a.country.business_city}, "
        f"{a.country.timezone}): min {overlap.min_hours:g} h, mean {overlap.mean_hours:.2f} h, "
        f"max {overlap.max_hours:g} h; {overlap.days_without_overlap} of {overlap.working_days} "
        "home working days with none."
    )
    console.print(
        f"Working days {overlap.year}: {days.home_working_days} at home, "
        f"{days.work_working_days} there, {days.shared_working_days} shared."
        + ("" if days.work_supported else " (no public-holiday calendar known there)")
    )
    facts = Table(title="Indicators (latest year)", title_justify="left")
    facts.add_column("Indicator")
    facts.add_column("Value", justify="right")
    facts.add_column("Year", justify="right")
    facts.add_column("Source")
    for name, o in a.indicators.items():
        facts.add_row(name, readable(o.value), str(o.year), o.source)
    vol = a.facts.fx_volatility
    facts.add_row(
        f"fx_volatility {a.country.currency}/{a.home.currency}",
        "n/a" if vol is None else f"{vol:.2%}",
        "60 m",
        "ECB / Fed monthly",
    )
    facts.add_row("gdpr_transfer", str(a.facts.transfer_regime), "", "EU Commission")
    share = a.country.english_share
    facts.add_row("english_share", "n/a" if share is None else f"{share:.0%}", "", "CLDR")
    console.print(facts)
