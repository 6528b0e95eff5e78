"""Simulation results as Rich tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from sourcewise.reports.numbers import compact, readable
from sourcewise.services.simulate import Simulation


def render_simulation(sim: Simulation, console: Console | None = None) -> None:
    console = console or Console()
    company = sim.scenario.company
    cur = company.currency
    console.print(
        f"[bold]{company.name}[/] · {sim.draws:,} draws · seed {sim.seed} · "
        f"{len(sim.scenario.uncertain)} uncertain inputs · amounts in {cur} · "
        f"horizon {company.start_year_text}",
        highlight=False,
    )
    for f in sim.functions:
        sq = f.status_quo
        console.rule(f"[bold]{f.name}[/] · status quo NPV {compact(sq.mean, cur)}")
        table = Table(title="Total cost of ownership (NPV)", title_justify="left")
        table.add_column("Option", ratio=1, min_width=12)
        for header in ("P10", "P50", "P90", "Save P50", "Beats", "Even", "Hidden"):
            table.add_column(header, justify="right", no_wrap=True)
        for o in f.options:
            even = o.break_even
            table.add_row(
                o.name,
                compact(o.npv.p10),
                compact(o.npv.p50),
                compact(o.npv.p90),
                compact(o.savings.p50),
                f"{o.p_beats_status_quo:.0%}",
                "never" if even.p50 is None else f"m{even.p50:.0f}",
                f"{o.hidden_cost_share:+.0%}",
            )
        largest_se = max((o.npv.se for o in f.options), default=0.0)
        table.caption = (
            f"P10/P50/P90 of the NPV over the draws (standard error of the mean at most "
            f"{compact(largest_se, cur)}). Beats: share of draws cheaper than the status quo. "
            "Even: median break-even month. Hidden: TCO over the price alone."
        )
        table.caption_justify = "left"
        console.print(table)
        for o in f.options:
            bars = [b for b in o.tornado if b.swing > 0][:5]
            if not bars:
                continue
            tornado = Table(title=f"What moves the saving of {o.name}", title_justify="left")
            tornado.add_column("Input (P10 → P90)")
            tornado.add_column("Saving at P10", justify="right")
            tornado.add_column("Saving at P90", justify="right")
            tornado.add_column("Rank corr.", justify="right")
            for bar in bars:
                tornado.add_row(
                    f"{bar.input} ({readable(bar.low_value)} → {readable(bar.high_value)})",
                    compact(bar.savings_at_low, cur),
                    compact(bar.savings_at_high, cur),
                    f"{o.rank_correlations.get(bar.input, 0.0):+.2f}",
                )
            console.print(tornado)
