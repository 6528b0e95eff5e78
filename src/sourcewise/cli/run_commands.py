"""``sourcewise run``: decision runs of saved scenario versions, kept with their draws, seed,
software and data versions and result; verified, compared, proposed, approved or rejected,
and written as the board's business case or an Excel workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sourcewise.cli.app import (
    EXIT_INVALID,
    DbOption,
    ExecutorOption,
    OutputFormat,
    SeedOption,
    app,
    executor_or_fail,
    fail_message,
    print_or_write,
    progress_bar,
    store_or_fail,
    write,
    write_bytes,
)
from sourcewise.cli.workspace_commands import (
    FormatOption,
    NameArgument,
    VersionOption,
    print_json,
    workspace_errors,
)
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS

if TYPE_CHECKING:
    from sourcewise.services.decision_runs import Recomputed
    from sourcewise.services.governance_store import UowFactory
    from sourcewise.workspace.records import DecisionRun

run_app = typer.Typer(
    help=(
        "Decision runs of saved scenario versions: start, list, show, verify, compare; "
        "propose, approve, reject; report and export."
    ),
    no_args_is_help=True,
)
app.add_typer(run_app, name="run")

RunArgument = Annotated[int, typer.Argument(min=1, help="The run's id (`sourcewise run list`).")]
CommentOption = Annotated[str, typer.Option(help="Why: kept with the review and in the log.")]


@run_app.command("start")
def run_start(
    name: NameArgument,
    version: VersionOption = None,
    draws: Annotated[
        int,
        typer.Option(
            min=0,
            max=MAX_DRAWS,
            help="Monte Carlo draws; 0: none (then no business case report can be made).",
        ),
    ] = DEFAULT_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    executor: ExecutorOption = "local",
    db: DbOption = None,
) -> None:
    """Decide a saved version (the latest by default) as `decide` would, and keep the run as
    a draft with everything needed to reproduce it."""
    from sourcewise.reports.run_result import run_result
    from sourcewise.services.decision_runs import run_saved, work_of
    from sourcewise.services.scenario_library import get_version

    make_uow = store_or_fail(db)
    with workspace_errors():
        stored = get_version(make_uow, name, version)
        work = work_of(stored, draws)
    with (
        executor_or_fail(executor) as runner,
        progress_bar(f"deciding {stored.label} ({runner.name})", work) as advance,
        workspace_errors(),
    ):
        run = run_saved(
            make_uow,
            stored.scenario,
            stored.version,
            render=run_result,
            draws=draws,
            seed=seed,
            executor=runner,
            progress=advance,
        )
    from sourcewise.reports.workspace_terminal import render_recommendations

    typer.echo(f"run {run.id}: {stored.label}, {draws:,} draws, seed {seed} ({run.status.value})")
    print_or_write(lambda console: render_recommendations(run.result, console), None)
    typer.echo(f"next: `sourcewise run propose {run.id}` asks for its approval")


@run_app.command("list")
def run_list(
    scenario: Annotated[str | None, typer.Option(help="Only this scenario's runs.")] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """The decision runs, newest first: scenario version, status, who decided them, when."""
    from sourcewise.services.decision_runs import list_runs

    with workspace_errors():
        runs = list_runs(store_or_fail(db), scenario)
    if output is OutputFormat.json:
        from sourcewise.reports.workspace_json import run_json

        print_json([run_json(r) for r in runs])
        return
    from sourcewise.reports.workspace_terminal import render_runs

    print_or_write(lambda console: render_runs(runs, console), None)


@run_app.command("show")
def run_show(
    run: RunArgument, output: FormatOption = OutputFormat.table, db: DbOption = None
) -> None:
    """A run: status and review, scenario version, draws and seed, software and data versions,
    result digest, recommendation. --format json prints the stored result itself (the decide
    document and the simulation document, as docs/decide-json.md and docs/simulate.md say)."""
    from sourcewise.services.decision_runs import get_run

    with workspace_errors():
        found = get_run(store_or_fail(db), run)
    if output is OutputFormat.json:
        print_json(found.result)
        return
    from sourcewise.reports.workspace_terminal import render_run

    print_or_write(lambda console: render_run(found, console), None)


def _recompute(make_uow: UowFactory, run: int, executor: str) -> Recomputed:
    """Decide a run's version again with its draws and seed, with a progress bar."""
    from sourcewise.reports.run_result import run_result
    from sourcewise.services.decision_runs import get_run, recompute_run, run_version, work_of

    with workspace_errors():
        found = get_run(make_uow, run)
        work = work_of(run_version(make_uow, found), found.draws)
    with (
        executor_or_fail(executor) as runner,
        progress_bar(f"deciding {found.label} again ({runner.name})", work) as advance,
        workspace_errors(),
    ):
        return recompute_run(make_uow, run, render=run_result, executor=runner, progress=advance)


def _differences(recomputed: Recomputed) -> list[str]:
    """What changed since the run, to explain a result that is not reproduced."""
    from sourcewise import __version__
    from sourcewise.data.fingerprint import data_version

    again, run = recomputed.reproduction, recomputed.reproduction.run
    found = []
    if not again.same_software:
        found.append(f"the software changed: sourcewise {run.software_version} → {__version__}")
    if not again.same_data:
        found.append(f"the packaged data changed: {run.data_version} → {data_version()}")
    return found


@run_app.command("verify")
def run_verify(run: RunArgument, executor: ExecutorOption = "local", db: DbOption = None) -> None:
    """Decide a run's version again with its draws and seed and check that the result is the
    stored one, byte for byte (exit code 1 when it is not); says whether the software or the
    packaged data changed since."""
    recomputed = _recompute(store_or_fail(db), run, executor)
    again = recomputed.reproduction
    changes = _differences(recomputed)
    if again.identical:
        typer.echo(f"{again.run.label}: identical (sha256 {again.digest})")
        for change in changes:
            typer.echo(f"  although {change}")
        return
    typer.echo(
        f"{again.run.label}: NOT identical: stored sha256 {again.run.result_digest}, "
        f"now {again.digest}"
    )
    for change in changes or ["the software and the data are the versions the run used"]:
        typer.echo(f"  {change}")
    raise typer.Exit(EXIT_INVALID)


@run_app.command("compare")
def run_compare(
    before: Annotated[int, typer.Argument(min=1, help="The earlier run's id.")],
    after: Annotated[int, typer.Argument(min=1, help="The later run's id.")],
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Two runs side by side: recommendations; each option's saving, probability of beating
    the status quo and rank, before → after; the inputs that changed; and the changed inputs
    that drove the difference (first-order estimates)."""
    from sourcewise.services.run_comparison import compare_runs

    with workspace_errors():
        comparison = compare_runs(store_or_fail(db), before, after)
    if output is OutputFormat.json:
        from sourcewise.reports.workspace_json import comparison_json

        print_json(comparison_json(comparison))
        return
    from sourcewise.reports.workspace_terminal import render_comparison

    print_or_write(lambda console: render_comparison(comparison, console), None)


def _reviewed(run: DecisionRun) -> str:
    review = run.review
    if review.reviewed_by:
        return f"{run.label} {run.status.value} by {review.reviewed_by}"
    return f"{run.label} {run.status.value} by {review.proposed_by}"


@run_app.command("propose")
def run_propose(
    run: RunArgument,
    note: Annotated[str, typer.Option(help="What the approvers should know.")] = "",
    db: DbOption = None,
) -> None:
    """Ask for approval of a draft run, as $SOURCEWISE_ACTOR (else the login name); another
    person, an approver, then approves or rejects it."""
    from sourcewise.services.approvals import propose_run

    with workspace_errors():
        proposed = propose_run(store_or_fail(db), run, note)
    typer.echo(_reviewed(proposed))


@run_app.command("approve")
def run_approve(run: RunArgument, comment: CommentOption, db: DbOption = None) -> None:
    """Approve a proposed run as $SOURCEWISE_ACTOR (else the login name), who must be a user
    with the approver grant and not the one who proposed it. An approved run is frozen and
    engagements can be governed against it (`engagement link`)."""
    from sourcewise.services.approvals import approve_run

    with workspace_errors():
        approved = approve_run(store_or_fail(db), run, comment)
    typer.echo(_reviewed(approved))


@run_app.command("reject")
def run_reject(run: RunArgument, comment: CommentOption, db: DbOption = None) -> None:
    """Reject a proposed run, saying why (an approver other than the proposer, as for
    approve); it stays on record, frozen."""
    from sourcewise.services.approvals import reject_run

    with workspace_errors():
        rejected = reject_run(store_or_fail(db), run, comment)
    typer.echo(_reviewed(rejected))


def _provenance(run: DecisionRun, reproduced: bool) -> str:
    """The line under the business case's title naming the run, its version and review."""
    review = run.review
    if review.reviewed_by and review.reviewed_at:
        status = f"{run.status.value} by {review.reviewed_by} on {review.reviewed_at:%Y-%m-%d}"
        if review.review_comment:
            status += f": “{review.review_comment}”"
    elif review.proposed_by and review.proposed_at:
        status = (
            f"proposed by {review.proposed_by} on {review.proposed_at:%Y-%m-%d}, awaiting approval"
        )
    else:
        status = "draft, not proposed for approval"
    check = (
        f"result reproduced (sha256 {run.result_digest[:12]}…)"
        if reproduced
        else "RESULT DIFFERS FROM THE STORED RUN: this is not the case that was decided"
    )
    return f"Decision run {run.id} of {run.scenario} v{run.version} · {status} · {check}"


@run_app.command("report")
def run_report(
    run: RunArgument,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="HTML file to write (self-contained, offline).")
    ],
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write it even when the result is not the stored one, marked so."
        ),
    ] = False,
    executor: ExecutorOption = "local",
    db: DbOption = None,
) -> None:
    """The business case of a run for the board (as `sourcewise report`), naming the run, its
    scenario version and approval. The version is decided again with the run's draws and
    seed; a result that differs from the stored one is refused unless --force."""
    from sourcewise.reports.business_case import render_business_case
    from sourcewise.services.decision_runs import get_run
    from sourcewise.services.scenarios import sources_of_text

    make_uow = store_or_fail(db)
    with workspace_errors():
        stored = get_run(make_uow, run)
    if stored.draws == 0:
        fail_message(
            f"{stored.label} was decided without draws; the business case needs the "
            f"simulation: `sourcewise run start {stored.scenario} --version {stored.version}` "
            "with draws"
        )
    recomputed = _recompute(make_uow, run, executor)
    again = recomputed.reproduction
    if not again.identical:
        why = "; ".join(_differences(recomputed)) or "the software and data are the same"
        message = (
            f"{stored.label}: deciding it again does not give the stored result ({why}); "
            f"`sourcewise run verify {run}` shows the digests"
        )
        if not force:
            fail_message(f"{message}. Nothing written; --force writes it marked as differing")
        typer.echo(f"warning: {message}; writing it marked as differing", err=True)
    version = recomputed.version
    sources = sources_of_text(version.text, version.label, recomputed.decision.scenario)
    html = render_business_case(
        recomputed.decision, sources, _provenance(again.run, again.identical)
    )
    write(html, out)


@run_app.command("export")
def run_export(
    run: RunArgument,
    out: Annotated[Path, typer.Option("--out", "-o", help="The workbook (.xlsx) to write.")],
    db: DbOption = None,
) -> None:
    """A run's stored result as an Excel workbook (the sheets of `decide --format xlsx`), with
    the run, its scenario version, review and digest on the about sheet."""
    from sourcewise.reports.decision_workbook import result_workbook_bytes
    from sourcewise.services.decision_runs import get_run

    with workspace_errors():
        found = get_run(store_or_fail(db), run)
    review = found.review
    provenance = [
        ("decision run", found.id),
        ("scenario version", f"{found.scenario} v{found.version}"),
        ("status", found.status.value),
        ("decided by", found.actor),
        ("decided at (UTC)", f"{found.created_at:%Y-%m-%d %H:%M}"),
        ("proposed by", review.proposed_by),
        ("reviewed by", review.reviewed_by),
        ("review comment", review.review_comment),
        ("data version", found.data_version),
        ("result digest (sha256)", found.result_digest),
    ]
    write_bytes(result_workbook_bytes(found.result, provenance), out)
