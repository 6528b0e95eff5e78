"""``sourcewise scenario save|list|show|diff|checkout|share`` and ``engagement link``: scenarios
kept in the decision workspace with immutable versions, and the approved business case an
engagement is governed against. Runs of saved versions and their approval: ``run_commands``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from sourcewise.cli.app import (
    DbOption,
    OutputFormat,
    fail,
    fail_message,
    print_or_write,
    store_or_fail,
    write,
    write_bytes,
)
from sourcewise.cli.governance_commands import engagement_app
from sourcewise.cli.scenario_group import scenario_app

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")]
NameArgument = Annotated[
    str, typer.Argument(help="The saved scenario's name (`sourcewise scenario list`).")
]
VersionOption = Annotated[
    int | None, typer.Option("--version", min=1, help="Version number; the latest by default.")
]


@contextmanager
def workspace_errors(label: str = "not valid") -> Iterator[None]:
    """The workspace services' refusals as exit code 1 with their message: an unknown name or
    run (with a did-you-mean), a step not allowed, an invalid scenario (every problem, each
    with its file, line and field, under ``label``)."""
    from sourcewise.domain.problems import InputError
    from sourcewise.services.approvals import ApprovalError
    from sourcewise.services.engagement_cases import CaseError
    from sourcewise.services.scenario_library import ScenarioAccessError

    try:
        yield
    except InputError as error:
        fail(list(error.problems), label)
    except (KeyError, IndexError):
        raise  # a bug, not a refusal
    except (LookupError, ScenarioAccessError, ApprovalError, CaseError) as error:
        fail_message(str(error))


def print_json(data: object) -> None:
    write(json.dumps(data, indent=2, ensure_ascii=False, default=str), None)


@scenario_app.command("save")
def scenario_save(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    name: Annotated[
        str | None,
        typer.Option(
            help="The scenario's name in the workspace; by default the file's name without "
            "its extension (us-customer-service for us-customer-service.yaml), so saving the "
            "same file again adds a version to the same scenario."
        ),
    ] = None,
    note: Annotated[str, typer.Option(help="What this version changes, or why it was saved.")] = "",
    private: Annotated[
        bool,
        typer.Option(
            "--private",
            help="Only you (and admins) see it; a new scenario is shared with the team otherwise.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Save FILE as the next version of a scenario: checked as `validate` does, then kept
    byte for byte, comments and sources included. The same text again makes no new version."""
    from sourcewise.services.scenario_library import save_scenario
    from sourcewise.services.scenarios import scenario_file_text
    from sourcewise.workspace.records import Visibility

    make_uow = store_or_fail(db)
    with workspace_errors(f"{file} is not valid; nothing saved"):
        text = scenario_file_text(file)
        saved = save_scenario(
            make_uow,
            text,
            name if name is not None else file.stem,
            note,
            visibility=Visibility.PRIVATE if private else None,
            source=str(file),
        )
    if not saved.created:
        typer.echo(f"{saved.scenario.name}: unchanged: identical to v{saved.version.version}")
        return
    sharing = "shared with the team" if saved.scenario.visibility is Visibility.TEAM else "private"
    typer.echo(f"saved {saved.version.label} ({sharing}, owner {saved.scenario.owner})")


@scenario_app.command("list")
def scenario_list(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """The saved scenarios: owner, sharing, latest version and when it was saved."""
    from sourcewise.services.scenario_library import scenarios_with_latest

    rows = scenarios_with_latest(store_or_fail(db))
    if output is OutputFormat.json:
        from sourcewise.reports.workspace_json import scenarios_json

        print_json(scenarios_json(rows))
        return
    from sourcewise.reports.workspace_terminal import render_scenarios

    print_or_write(lambda console: render_scenarios(rows, console), None)


@scenario_app.command("show")
def scenario_show(
    name: NameArgument,
    version: Annotated[
        int | None,
        typer.Option("--version", min=1, help="Print this version's text, as it was saved."),
    ] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """A scenario's versions: when each was saved, by whom, with what note; with --version,
    that version's text."""
    from sourcewise.reports import workspace_json
    from sourcewise.services.scenario_library import get_version, scenario_versions

    make_uow = store_or_fail(db)
    if version is not None:
        with workspace_errors():
            found = get_version(make_uow, name, version)
        if output is OutputFormat.json:
            print_json({**workspace_json.version_json(found), "text": found.text})
        else:
            sys.stdout.write(found.text)
        return
    with workspace_errors():
        scenario, versions = scenario_versions(make_uow, name)
    if output is OutputFormat.json:
        print_json(workspace_json.versions_json(scenario, versions))
        return
    from sourcewise.reports.workspace_terminal import render_versions

    print_or_write(lambda console: render_versions(scenario, versions, console), None)


@scenario_app.command("diff")
def scenario_diff(
    name: NameArgument,
    before: Annotated[int, typer.Argument(min=1, help="The earlier version.")],
    after: Annotated[int, typer.Argument(min=1, help="The later version.")],
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Every changed input between two versions, field by field: before and after, and the
    line and `source` each version gives for it."""
    from sourcewise.services.scenario_library import diff_versions

    with workspace_errors():
        diff = diff_versions(store_or_fail(db), name, before, after)
    if output is OutputFormat.json:
        from sourcewise.reports.workspace_json import diff_json

        print_json(diff_json(diff))
        return
    from sourcewise.reports.workspace_terminal import render_diff

    print_or_write(lambda console: render_diff(diff, console), None)


@scenario_app.command("checkout")
def scenario_checkout(
    name: NameArgument,
    out: Annotated[Path, typer.Option("--out", "-o", help="The YAML file to write.")],
    version: VersionOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUT if it exists.")] = False,
    db: DbOption = None,
) -> None:
    """Write a version's text to a file, byte for byte as it was saved (edit it, then `scenario
    save` it as the next version)."""
    from sourcewise.services.scenario_library import get_version

    if out.exists() and not force:
        fail_message(f"{out} exists; give --force to overwrite it, or another --out")
    with workspace_errors():
        found = get_version(store_or_fail(db), name, version)
    write_bytes(found.text.encode("utf-8"), out)
    typer.echo(f"checked out {found.label} to {out}")


@scenario_app.command("share")
def scenario_share(
    name: NameArgument,
    team: Annotated[bool, typer.Option("--team", help="Every colleague sees it.")] = False,
    private: Annotated[
        bool, typer.Option("--private", help="Only its owner and admins see it.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Share a scenario with the team, or make it private again (its owner or an admin, in
    the web app; the command line may do either)."""
    from sourcewise.services.scenario_library import share_scenario
    from sourcewise.workspace.records import Visibility

    if team == private:
        raise typer.BadParameter("give one of --team and --private")
    visibility = Visibility.TEAM if team else Visibility.PRIVATE
    with workspace_errors():
        shared = share_scenario(store_or_fail(db), name, visibility)
    state = "shared with the team" if shared.visibility is Visibility.TEAM else "private"
    typer.echo(f"{shared.name} is {state}")


@engagement_app.command("link")
def engagement_link(
    engagement: Annotated[str, typer.Argument(help="Engagement name.")],
    run: Annotated[
        int | None, typer.Option("--run", min=1, help="The approved decision run's id.")
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(help="Or a saved scenario, with --version: its latest approved run."),
    ] = None,
    version: Annotated[
        int | None, typer.Option("--version", min=1, help="With --scenario: the version.")
    ] = None,
    function: Annotated[
        str | None,
        typer.Option(help="The function the engagement carries out; by default its own."),
    ] = None,
    option: Annotated[
        str | None,
        typer.Option(
            help="The option it carries out; by default the one with its provider, else the "
            "only one in its country, else the run's recommendation."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Govern ENGAGEMENT against an approved business case: its planned months become the
    case's, and `benefits`, the dashboard and the engagement page measure against it and name
    it."""
    from sourcewise.services.engagement_cases import approved_run_of, link_engagement

    either = "give --run ID, or --scenario NAME with --version V"
    make_uow = store_or_fail(db)
    with workspace_errors():
        if run is None:
            if scenario is None or version is None:
                raise typer.BadParameter(either)
            run = approved_run_of(make_uow, scenario, version)
        elif scenario is not None or version is not None:
            raise typer.BadParameter(f"{either}, not both")
        linked = link_engagement(make_uow, engagement, run, function, option)
    typer.echo(
        f"{linked.case.engagement} is governed against {linked.label}: "
        f"{linked.case.function} / {linked.case.option}"
    )
