"""``sourcewise serve`` and ``sourcewise user``: the web app and its accounts."""

from __future__ import annotations

from typing import Annotated

import typer

from sourcewise.cli.app import DbOption, app, fail_message, store_or_fail

ROLES = ("admin", "analyst", "viewer", "provider")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    https: Annotated[
        bool,
        typer.Option("--https", help="Served behind https: Secure cookies and HSTS."),
    ] = False,
    db: DbOption = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes sharing the port (uvicorn workers); PostgreSQL for more "
            "than one, or SQLite on this machine (WAL: one writer at a time).",
        ),
    ] = 1,
    job_threads: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=64,
            help="Threads of each server process running background jobs; 0: only "
            "`sourcewise worker` processes run them. Default $SOURCEWISE_JOB_WORKERS, else 2.",
            show_default=False,
        ),
    ] = None,
    monitor_every: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=1440,
            help="Run the monitoring of every engagement (as `monitor run --all`) every so many "
            "minutes inside the server; servers sharing a database take turns. Default "
            "$SOURCEWISE_MONITOR_EVERY_MINUTES, else off (0) for cron or a timer.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run the web app and REST API (OpenAPI docs at /api/docs)."""
    import dataclasses
    import os
    from datetime import timedelta

    import uvicorn

    from sourcewise.services.governance_store import store_url
    from sourcewise.web.app import create_app
    from sourcewise.web.settings import WebSettings

    settings = WebSettings.from_environment(db)
    if https:
        settings = dataclasses.replace(settings, secure_cookies=True)
    if job_threads is not None:
        settings = dataclasses.replace(settings, job_workers=job_threads)
    if monitor_every is not None:
        every = timedelta(minutes=monitor_every) if monitor_every else None
        settings = dataclasses.replace(settings, monitor_every=every)
    store_or_fail(db)  # a clear message if the database is missing or not migrated
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    url, shown = store_url(db)
    if url.startswith("sqlite"):
        typer.echo(
            f"warning: {workers} server processes share the SQLite database {shown}: in WAL "
            "mode processes on this machine read at once and write one at a time (never put "
            "the file on a network file system); use PostgreSQL for more, or several machines",
            err=True,
        )
    # Each worker process builds its own app (and its own database pool) from these.
    os.environ.update(settings.to_environment())
    uvicorn.run(
        "sourcewise.web.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
    )


user_app = typer.Typer(
    help="Users of the web app and API, and their API tokens.", no_args_is_help=True
)
app.add_typer(user_app, name="user")


def _password(given: str | None) -> str:
    if given is not None:
        return given
    import os

    from_env = os.environ.get("SOURCEWISE_PASSWORD")
    if from_env:
        return from_env
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Lower-case user name.")],
    role: Annotated[str, typer.Option(help="admin, analyst, viewer or provider.")] = "viewer",
    provider: Annotated[
        str | None, typer.Option(help="For the provider role: whose engagements it sees.")
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(help="Else $SOURCEWISE_PASSWORD, else asked for (not echoed)."),
    ] = None,
    approver: Annotated[
        bool,
        typer.Option(
            "--approver",
            help="May approve or reject business cases others propose (any role but provider).",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Add a user (the password is stored as an argon2 hash)."""
    from sourcewise.security.users import Role
    from sourcewise.services.accounts import NO_PROVIDER_APPROVER, AccountError, add_user

    if role not in ROLES:
        fail_message(f"unknown role '{role}'; use one of {', '.join(ROLES)}")
    if approver and role == "provider":
        fail_message(NO_PROVIDER_APPROVER)  # before asking for a password
    make_uow = store_or_fail(db)
    try:
        add_user(make_uow, username, _password(password), Role(role), provider, approver=approver)
    except AccountError as error:
        fail_message(str(error))
    typer.echo(
        f"added {role} '{username}'"
        + (f" for {provider}" if provider else "")
        + (", an approver" if approver else "")
    )


@user_app.command("approver")
def user_approver(
    username: str,
    grant: Annotated[
        bool | None,
        typer.Option(
            "--grant/--revoke",
            help="Grant approving business cases, or take it away.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Grant USERNAME approving or rejecting business cases that others propose, or revoke
    it (never for provider users; logged in the audit log)."""
    from sourcewise.services.accounts import AccountError, set_approver

    if grant is None:
        raise typer.BadParameter("give --grant or --revoke")
    make_uow = store_or_fail(db)
    try:
        user = set_approver(make_uow, username, grant)
    except AccountError as error:
        fail_message(str(error))
    state = "may approve business cases" if user.approver else "may not approve business cases"
    typer.echo(f"'{username}' {state}")


@user_app.command("list")
def user_list(db: DbOption = None) -> None:
    """The users, their roles and tokens."""
    from sourcewise.services.views import users_with_tokens

    for user, tokens in users_with_tokens(store_or_fail(db)):
        names = ", ".join(t.name + (" (revoked)" if t.revoked else "") for t in tokens)
        extra = f" for {user.provider}" if user.provider else ""
        state = " [disabled]" if user.disabled else ""
        grant = ", approver" if user.approver else ""
        typer.echo(f"{user.username}: {user.role}{extra}{grant}{state}; tokens: {names or 'none'}")


@user_app.command("password")
def user_password(
    username: str,
    password: Annotated[
        str | None, typer.Option(help="Else $SOURCEWISE_PASSWORD or asked.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Set a user's password."""
    from sourcewise.services.accounts import AccountError, set_password

    make_uow = store_or_fail(db)
    try:
        set_password(make_uow, username, _password(password))
    except AccountError as error:
        fail_message(str(error))
    typer.echo(f"password of '{username}' changed")


@user_app.command("token")
def user_token(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for.")],
    days: Annotated[int | None, typer.Option(min=1, max=3650, help="Expires after.")] = None,
    db: DbOption = None,
) -> None:
    """Create an API token for USERNAME; it is printed once and stored only as a hash."""
    from sourcewise.services.accounts import AccountError, create_token

    make_uow = store_or_fail(db)
    try:
        raw = create_token(make_uow, username, name, days)
    except AccountError as error:
        fail_message(str(error))
    typer.echo(raw)


@user_app.command("revoke")
def user_revoke(username: str, name: str, db: DbOption = None) -> None:
    """Revoke USERNAME's API token NAME."""
    from sourcewise.services.accounts import AccountError, revoke_token

    make_uow = store_or_fail(db)
    try:
        revoke_token(make_uow, username, name)
    except AccountError as error:
        fail_message(str(error))
    typer.echo(f"revoked '{name}' of '{username}'")
