"""The decision workspace as Rich tables: saved scenarios, versions, diffs, decision runs and
the comparison of two runs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sourcewise.reports.numbers import MISSING, compact, percent
from sourcewise.reports.workspace_json import DRIVERS_NOTE, recommendations_of
from sourcewise.services.run_comparison import OptionSide, RunComparison
from sourcewise.services.scenario_library import InputChange, ScenarioDiff
from sourcewise.workspace.records import (
    DecisionRun,
    RunStatus,
    SavedScenario,
    ScenarioVersion,
    Visibility,
)

SHARING = {Visibility.TEAM: "team", Visibility.PRIVATE: "private"}
STATUS_STYLE = {
    RunStatus.DRAFT: "dim",
    RunStatus.PROPOSED: "yellow",
    RunStatus.APPROVED: "bold green",
    RunStatus.REJECTED: "red",
}


def stamp(at: datetime | None) -> str:
    return MISSING if at is None else f"{at:%Y-%m-%d %H:%M}"


def value(v: Any) -> str:
    """A field's value as a reader types it in YAML: text as is, the rest as compact JSON."""
    if v is None:
        return MISSING
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False, separators=(", ", ": "), default=str)


def _row(table: Table, *cells: str | Text) -> None:
    """A row whose text is shown as written: names, notes and paths hold brackets that Rich
    would otherwise read as markup."""
    table.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in cells))


def _table(*headers: str, title: str | None = None, short: Sequence[str] = ()) -> Table:
    """A table whose ``short`` columns (numbers, dates) never wrap; the rest fold."""
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    for header in headers:
        table.add_column(header, overflow="fold", no_wrap=header in short)
    return table


def render_scenarios(
    rows: Sequence[tuple[SavedScenario, ScenarioVersion | None]], console: Console
) -> None:
    if not rows:
        console.print("No saved scenarios yet: `sourcewise scenario save FILE`.")
        return
    table = _table(
        "Scenario", "Owner", "Sharing", "Latest", "Updated (UTC)", "By", short=("Updated (UTC)",)
    )
    for s, latest in rows:
        _row(
            table,
            s.name,
            s.owner,
            SHARING[s.visibility],
            f"v{s.latest_version}",
            stamp(latest.created_at if latest else None),
            latest.author if latest else MISSING,
        )
    console.print(table)


def render_versions(
    scenario: SavedScenario, versions: Sequence[ScenarioVersion], console: Console
) -> None:
    sharing = "shared with the team" if scenario.visibility is Visibility.TEAM else "private"
    console.print(
        f"{scenario.name}: owned by {scenario.owner}, {sharing}, {len(versions)} "
        f"version{'s' if len(versions) != 1 else ''}",
        markup=False,
        highlight=False,
    )
    table = _table("Version", "Saved (UTC)", "By", "Note", "Digest", short=("Saved (UTC)",))
    for v in versions:
        _row(table, f"v{v.version}", stamp(v.created_at), v.author, v.note, v.digest[:12])
    console.print(table)


def _where(change: InputChange) -> tuple[str, str]:
    """The line in each version, and the source (one when both versions give the same)."""
    lines = [change.line_before, change.line_after]
    shown = [MISSING if n is None else str(n) for n in lines]
    line = shown[0] if shown[0] == shown[1] else f"{shown[0]} → {shown[1]}"
    before, after = change.source_before or MISSING, change.source_after or MISSING
    return line, before if before == after else f"{before} → {after}"


def render_diff(diff: ScenarioDiff, console: Console) -> None:
    old, new = diff.before, diff.after
    if not diff.changes:
        console.print(
            f"{old.label} and v{new.version} give every field the same value.", markup=False
        )
        return
    table = _table(
        "Field",
        "Change",
        f"v{old.version}",
        f"v{new.version}",
        "Line",
        "Source",
        title=f"{old.scenario}: v{old.version} → v{new.version}, {len(diff.changes)} changed",
    )
    for c in diff.changes:
        line, source = _where(c)
        _row(table, c.path, c.change, value(c.before), value(c.after), line, source)
    console.print(table)
    for v in (old, new):
        note = f": {v.note}" if v.note else ""
        console.print(
            f"v{v.version} saved {stamp(v.created_at)} UTC by {v.author}{note}",
            markup=False,
            highlight=False,
        )


def render_recommendations(result: dict[str, Any], console: Console) -> None:
    for r in recommendations_of(result):
        if r["status_quo"]:
            line = f"{r['function']}: keep the status quo ({r['option']})"
        else:
            saving = compact(r["saving"], r["currency"] or "")
            beats = r["p_beats_status_quo"]
            odds = "" if beats is None else f", P(beats status quo) {percent(beats)}"
            line = f"{r['function']}: {r['option']}, saves {saving}{odds}"
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def _status(run: DecisionRun) -> Text:
    return Text(run.status.value, style=STATUS_STYLE[run.status])


def render_runs(runs: Sequence[DecisionRun], console: Console) -> None:
    if not runs:
        console.print("No decision runs yet: `sourcewise run start SCENARIO`.")
        return
    short = ("Run", "Status", "Decided (UTC)", "Draws", "Seed")
    table = _table(
        "Run", "Scenario version", "Status", "Decided (UTC)", "By", "Draws", "Seed", short=short
    )
    for r in runs:
        _row(
            table,
            str(r.id),
            f"{r.scenario} v{r.version}",
            _status(r),
            stamp(r.created_at),
            r.actor,
            f"{r.draws:,}",
            str(r.seed),
        )
    console.print(table)


def render_run(run: DecisionRun, console: Console) -> None:
    """One run: what it decided, with what, its review and its recommendations."""
    review = run.review
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    _row(table, "Run", f"{run.id}: {run.scenario} v{run.version}")
    _row(table, "Status", _status(run))
    _row(
        table,
        "Decided",
        f"{stamp(run.created_at)} UTC by {run.actor}; {run.draws:,} draws, seed {run.seed}",
    )
    _row(table, "Software", f"sourcewise {run.software_version}; data {run.data_version}")
    _row(table, "Result digest", f"sha256 {run.result_digest}")
    if review.proposed_by:
        note = f": {review.proposal_note}" if review.proposal_note else ""
        _row(table, "Proposed", f"by {review.proposed_by} on {stamp(review.proposed_at)} UTC{note}")
    if review.reviewed_by:
        step = "Approved" if run.status is RunStatus.APPROVED else "Rejected"
        _row(
            table,
            step,
            f"by {review.reviewed_by} on {stamp(review.reviewed_at)} UTC: "
            f"{review.review_comment or ''}",
        )
    console.print(table)
    console.print("Recommendation", style="bold")
    render_recommendations(run.result, console)


def _side(side: OptionSide | None) -> tuple[str, str, str]:
    if side is None:
        return MISSING, MISSING, MISSING
    return (
        compact(side.saving),
        percent(side.p_beats_status_quo),
        MISSING if side.rank is None else str(side.rank),
    )


def _arrow(before: str, after: str) -> str:
    return before if before == after else f"{before} → {after}"


def render_comparison(comparison: RunComparison, console: Console) -> None:
    a, b = comparison.before, comparison.after
    currency = ((b.result.get("decision") or {}).get("company") or {}).get("currency", "")
    console.print(
        f"Run {a.id} ({a.scenario} v{a.version}) → run {b.id} ({b.scenario} v{b.version})",
        style="bold",
        markup=False,
        highlight=False,
    )
    recommended = _table("Function", f"Run {a.id}", f"Run {b.id}", title="Recommendation")
    for function, before, after in comparison.recommendations:
        changed = "" if before == after else " (changed)"
        _row(recommended, function, before or MISSING, (after or MISSING) + changed)
    console.print(recommended)
    options = _table(
        "Function",
        "Option",
        f"Saving ({currency})",
        "Change",
        "P(beats status quo)",
        "Rank",
        title="Options",
    )
    for o in comparison.options:
        saving_a, beats_a, rank_a = _side(o.before)
        saving_b, beats_b, rank_b = _side(o.after)
        change = o.saving_change
        _row(
            options,
            o.function,
            o.option,
            _arrow(saving_a, saving_b),
            MISSING if change is None else ("+" if change > 0 else "") + compact(change),
            _arrow(beats_a, beats_b),
            _arrow(rank_a, rank_b),
        )
    console.print(options)
    if not comparison.changes:
        console.print("Both runs decided the same scenario version: no input changed.")
        return
    changes = _table("Field", "Change", "Before", "After", title="Changed inputs")
    for c in comparison.changes:
        _row(changes, c.path, c.change, value(c.before), value(c.after))
    console.print(changes)
    # Options whose saving does not depend on a changed input show it with no effect: omitted.
    effective = [d for d in comparison.drivers if d.estimated_effect != 0]
    if not effective:
        console.print("No changed uncertain input has an estimated effect (see the note below).")
    else:
        drivers = _table(
            "Input",
            "Option",
            "Mean before → after",
            f"Estimated effect on saving ({currency})",
            title="Drivers (first-order estimates)",
        )
        for d in effective:
            effect = ("+" if d.estimated_effect > 0 else "") + compact(d.estimated_effect)
            _row(drivers, d.input, d.option, f"{d.mean_before:.4g} → {d.mean_after:.4g}", effect)
        console.print(drivers)
    console.print(DRIVERS_NOTE, style="dim", markup=False, highlight=False)
