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


def _described(change: InputChange, old: int, new: int) -> list[str]:
    """What changed, then where each version gives it: its line and its ``source``."""
    if change.change == "added":
        what = f"added in v{new}: {value(change.after)}"
    elif change.change == "removed":
        what = f"removed in v{new} (v{old}: {value(change.before)})"
    else:
        what = f"{value(change.before)} → {value(change.after)}"
    places = []
    for version, line, source in (
        (old, change.line_before, change.source_before),
        (new, change.line_after, change.source_after),
    ):
        if line is not None or source is not None:
            at = f"line {line}" if line is not None else "no line"
            places.append((version, at, source))
    if len(places) == 2 and places[0][1:] == places[1][1:]:
        places = [(0, *places[0][1:])]  # both versions alike: say it once
    where = []
    for version, at, source in places:
        said = f"{at}; source: {source}" if source else at
        where.append(f"v{version}: {said}" if version else said)
    return [what, *where]


def render_changes(changes: Sequence[InputChange], old: int, new: int, console: Console) -> None:
    """Each changed field: its path, before → after, and its line and source in each version
    (a block per field: paths are long, and a table would fold them at a terminal's width)."""
    for change in changes:
        console.print(Text(change.path, style="bold"), soft_wrap=True)
        for line in _described(change, old, new):
            console.print(Text(f"  {line}"), soft_wrap=True)


def render_diff(diff: ScenarioDiff, console: Console) -> None:
    old, new = diff.before, diff.after
    count = len(diff.changes)
    console.print(
        f"{old.scenario}: v{old.version} → v{new.version}, "
        + (f"{count} field{'s' if count != 1 else ''} changed" if count else "no field changed"),
        style="bold",
        markup=False,
        highlight=False,
    )
    for v in (old, new):
        note = f": {v.note}" if v.note else ""
        console.print(
            f"v{v.version} saved {stamp(v.created_at)} UTC by {v.author}{note}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if count:
        console.print()
        render_changes(diff.changes, old.version, new.version, console)


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
    saving, beats = f"Saving ({currency})", "P(beats status quo)"
    for function in dict.fromkeys(o.function for o in comparison.options):
        options = _table(
            "Option",
            saving,
            "Change",
            beats,
            "Rank",
            title=f"{function}: options",
            short=(saving, "Change", beats, "Rank"),
        )
        for o in comparison.options:
            if o.function != function:
                continue
            saving_a, beats_a, rank_a = _side(o.before)
            saving_b, beats_b, rank_b = _side(o.after)
            change = o.saving_change
            _row(
                options,
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
    console.print()
    console.print("Changed inputs", style="italic")
    render_changes(comparison.changes, a.version, b.version, console)
    console.print()
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
