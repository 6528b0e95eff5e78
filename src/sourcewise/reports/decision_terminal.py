"""The decision as Rich tables for the terminal."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sourcewise.domain.fit import Stance
from sourcewise.domain.recommendation import OptionAssessment
from sourcewise.domain.sampled import as_number
from sourcewise.reports.numbers import compact
from sourcewise.services.decide import Decision, FunctionDecision


def _where(assessment: OptionAssessment) -> str:
    return " + ".join(
        f"{p.site.country} {p.site.provider}"
        + (f" {p.site.share:.0%}" if len(assessment.sites) > 1 else "")
        for p in assessment.sites
    )


def _comparison_table(decision: FunctionDecision, currency: str, years: int) -> Table:
    table = Table(title=f"Options compared (NPV over {years} years)", title_justify="left")
    table.add_column("Option · arrangement · where", ratio=1, min_width=24)
    for header in ("NPV cost", "Saving", "TCO", "Price", "Even", "Fit"):
        table.add_column(header, justify="right", no_wrap=True)
    recommended = decision.recommendation.option
    for a in decision.assessments:
        s = a.savings
        star = "★ " if a.name == recommended else ""
        name = Text(star + a.name, style="bold")
        name.append(f"\n{a.classification.label}", style="italic")
        name.append(f"\n{_where(a)}", style="dim")
        cells = (
            ["—"] * 4
            if s is None
            else [
                compact(s.npv_savings),
                f"{s.savings_share:+.0%}",
                f"{s.price_savings_share:+.0%}",
                f"m{s.break_even_month}" if s.break_even_month else "never",
            ]
        )
        table.add_row(
            name,
            compact(a.projection.npv),
            *cells,
            f"{a.fit_score:+.1f}",
            style="green" if a.name == recommended else None,
        )
    table.caption = (
        f"Amounts in {currency}. TCO/Price: saving on total cost of ownership / on price alone. "
        "Even: month from which cumulative savings stay positive. Fit: strategic-fit score."
    )
    table.caption_justify = "left"
    return table


def _yearly_table(decision: FunctionDecision, currency: str) -> Table:
    years = decision.assessments[0].projection.yearly.shape[-1]
    table = Table(title=f"Yearly cost ({currency})", title_justify="left")
    table.add_column("Option")
    for year in range(1, years + 1):
        table.add_column(f"Y{year}", justify="right")
    for a in decision.assessments:
        table.add_row(a.name, *(compact(v) for v in a.projection.yearly))
    return table


def _rules_table(decision: FunctionDecision) -> Table:
    table = Table(title="Strategic-fit rules fired", title_justify="left")
    table.add_column("Option", ratio=2)
    table.add_column("", justify="right", no_wrap=True)
    table.add_column("Reason", ratio=5)
    table.add_column("Source", ratio=2)
    for a in decision.assessments:
        for i, fired in enumerate(a.rules):
            colour = "green" if fired.stance is Stance.SUPPORTS else "red"
            table.add_row(
                a.name if i == 0 else "",
                Text(f"{fired.weight:+g}", style=colour),
                fired.reason,
                fired.citation.article.short,
            )
    return table


def _ranking_table(decision: FunctionDecision) -> Table:
    r = decision.ranking
    assert r is not None
    table = Table(
        title=f"Multi-criteria ranks ({r.weight_source}); SMAA: {r.smaa_weights}",
        title_justify="left",
    )
    table.add_column("Option", ratio=1, min_width=16)
    for method in r.method_ranks:
        table.add_column(method.replace("PROMETHEE II", "PROM. II"), justify="right")
    table.add_column("Mean", justify="right")
    table.add_column("1st (SMAA)", justify="right")
    recommended = decision.recommendation.option
    for i, option in enumerate(r.options):
        table.add_row(
            ("★ " if option == recommended else "") + option,
            *(str(ranks[i]) for ranks in r.method_ranks.values()),
            f"{r.consensus[i]:.2f}",
            f"{r.first_rank_acceptability[i]:.0%}",
        )
    weights = ", ".join(f"{n} {w:.0%}" for n, w in zip(r.criteria, r.weights, strict=True))
    lead = ", ".join(f"{n} (+{v:.3f})" for n, v in r.lead[:3]) or "none"
    table.caption = (
        f"★ the recommendation. Best mean rank (the consensus): {r.winner}. Weights: {weights}. "
        f"Lead of {r.winner} over the runner-up: {lead}."
    )
    table.caption_justify = "left"
    return table


def render_function(
    decision: FunctionDecision, currency: str, years: int, console: Console
) -> None:
    profile = decision.profile
    today = compact(as_number(profile.current_annual_cost), currency)
    header = (
        f"[bold]{profile.name}[/] · {profile.kind.value.replace('_', ' ')} · "
        f"{profile.positioning} · status quo {today}/year"
    )
    console.rule(header)
    console.print(_comparison_table(decision, currency, years))
    console.print(_yearly_table(decision, currency))
    console.print(_rules_table(decision))
    if decision.ranking is not None:
        console.print(_ranking_table(decision))
    recommendation = decision.recommendation
    reasons = Text("\n").join(Text(f"• {r}") for r in recommendation.reasons)
    parts = [Text(f"Recommendation: {recommendation.option}", style="bold"), reasons]
    check = recommendation.cross_check
    if check is not None:
        verdict = "agrees" if check.agrees else f"prefers {check.option}"
        parts.append(Text(f"Cross-check ({check.method}): {verdict}.", style="bold"))
        parts.append(Text(check.reason, style="" if check.agrees else "yellow"))
    console.print(Panel(Group(*parts), border_style="green"))


def render_decision(decision: Decision, console: Console | None = None) -> None:
    console = console or Console()
    company = decision.scenario.company
    console.print(
        f"[bold]{company.name}[/] · home {company.home_country} · {company.currency} · "
        f"discount rate {company.discount_rate:.1%} · horizon {company.horizon_years} years "
        f"{company.start_year_text}",
        highlight=False,
    )
    for function in decision.functions:
        render_function(function, company.currency, company.horizon_years, console)
