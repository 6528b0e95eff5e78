"""A cost estimate, and the occupations a search finds, as Rich tables."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table

from sourcewise.domain.estimates import Estimate, thousands
from sourcewise.domain.occupations import Occupation
from sourcewise.services.cost_estimates import CostEstimate, SiteEstimate

_SHARES = {"share"}


def _value(estimate: Estimate, value: float) -> str:
    if estimate.unit in _SHARES:
        return f"{value:.1%}"
    if estimate.unit.startswith("×"):
        return f"{value:.2f}"
    return thousands(value)


def _range(estimate: Estimate) -> str:
    if not estimate.uncertain:
        return ""
    low, _, high = estimate.ends()
    return f"{_value(estimate, low)} – {_value(estimate, high)}"


def _site_table(
    site: SiteEstimate, estimate: CostEstimate, home: bool, notes: dict[str, int]
) -> Table:
    """One country's numbers; each source is a numbered note (``notes``, shared by every
    table, so a source used in several countries is printed once)."""
    role = "home, status quo" if home else "candidate"
    table = Table(
        title=f"{site.country_name} ({site.country}), {role}, pay data {site.year}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("Item", min_width=18, ratio=2)
    table.add_column("Unit", no_wrap=True)
    table.add_column("Likely", justify="right", no_wrap=True)
    table.add_column("Range", justify="right", no_wrap=True)
    table.add_column("Mean", justify="right", no_wrap=True)
    table.add_column("Source", justify="right", no_wrap=True)
    for line in site.lines():
        unit = line.unit.replace("per yr", f"{estimate.currency}/yr").replace(
            "per h", f"{estimate.currency}/h"
        )
        label = f"{line.label} [bold](given)[/]" if line.given else line.label
        note = notes.setdefault(line.source, len(notes) + 1)
        table.add_row(
            label,
            unit,
            _value(line, line.mode),
            _range(line),
            _value(line, line.mean),
            f"[{note}]",
        )
    return table


def render_estimate(estimate: CostEstimate, console: Console | None = None) -> None:
    console = console or Console()
    role = estimate.occupation
    console.print(
        f"[bold]{role.title}[/] (SOC {role.soc_code}) · {estimate.kind.value} · "
        f"{estimate.fte:g} FTE · amounts in {estimate.currency}"
        + (f" at {estimate.usd_rate:g} per US$" if estimate.usd_rate != 1 else "")
        + f" · {estimate.billable_hours:,.0f} billed hours per FTE a year",
        highlight=False,
    )
    market = estimate.home.market
    if market is not None:
        cells = [
            ("mean", market.mean),
            ("P10", market.p10),
            ("P25", market.p25),
            ("median", market.p50),
            ("P75", market.p75),
            ("P90", market.p90),
        ]
        shown = " · ".join(
            f"{name} {'top-coded' if value is None else thousands(value)}" for name, value in cells
        )
        console.print(f"Market pay for the role (BLS OEWS May 2023): {shown}", highlight=False)
    current = estimate.current_annual_cost
    how = (
        "given"
        if current.given
        else f"{estimate.fte:g} FTE × the home cost of an own FTE, likely "
        f"{thousands(current.mode)}, {_range(current)}"
    )
    console.print(
        f"Today's cost of the function: {thousands(current.mean)} {estimate.currency}/yr on "
        f"average ({how})",
        highlight=False,
    )
    notes: dict[str, int] = {}
    console.print(_site_table(estimate.home, estimate, True, notes))
    for site in estimate.sites:
        console.print(_site_table(site, estimate, False, notes))
    console.print("[bold]Sources[/]")
    for source, number in notes.items():
        console.print(f"[{number}] {source}", markup=False, highlight=False)
    console.print(
        "Ranges take every assumption at its low or high end together: a deliberately wide first "
        "estimate. Replace any number with a quote (--given COUNTRY.KEY=VALUE).",
        highlight=False,
    )


def render_roles(found: Sequence[Occupation], query: str, console: Console | None = None) -> None:
    console = console or Console()
    if not found:
        console.print(f"No occupation of the BLS OEWS table matches {query!r}.", highlight=False)
        return
    table = Table(
        title=f"Occupations matching {query!r} (BLS OEWS May 2023)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("SOC", no_wrap=True)
    table.add_column("Title", ratio=3)
    table.add_column("Group", no_wrap=True)
    table.add_column("Employment", justify="right", no_wrap=True)
    table.add_column("Mean US$/yr", justify="right", no_wrap=True)
    for occupation in found:
        mean = occupation.annual_wages()[0].mean
        table.add_row(
            occupation.soc_code,
            occupation.title,
            occupation.group,
            "" if occupation.employment is None else f"{occupation.employment:,}",
            "n/a" if mean is None else thousands(mean),
        )
    console.print(table)
